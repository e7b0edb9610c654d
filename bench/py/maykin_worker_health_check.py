#!/usr/bin/python3
"""Stand-in for `maykin-common worker-health-check` (maykinmedia/django-common,
maykin_common/cli.py, 0.20.x), for the benchmarks only: a Celery app for the broker, the
event-loop liveness file's age, `control.ping(destination=[name], timeout=...)`, the
readiness file when asked; the same output lines and exit codes (1, 2, 4).

    /usr/bin/python3 maykin_worker_health_check.py --liveness-file F \
        --broker redis://127.0.0.1:6379/0 --worker-name celery@host

It is a LOWER BOUND of the real command's cost: maykin-common's module also imports typer
(and with it click), which Debian's Python does not have; this one parses its options with
argparse from the standard library instead, and prints without typer's colouring. Like the
real module it imports requests (cli.py does so at module level, for every command).
"""

import argparse
import socket
import sys
import time
from pathlib import Path

import requests  # noqa: F401 -- maykin_common/cli.py imports it for every command

EXIT_EVENT_LOOP_BROKEN = 1
EXIT_PING_FAILURE = 2
EXIT_NOT_READY = 4


def paired(parser, name, default):
    dest = name.replace("-", "_")
    parser.add_argument(f"--{name}", dest=dest, action="store_true", default=default)
    parser.add_argument(f"--no-{name}", dest=dest, action="store_false")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--liveness-file", type=Path, default=Path("/tmp/celery_worker_event_loop_live"))
    parser.add_argument("--max-age", type=int, default=70)
    paired(parser, "skip-event-loop-liveness", False)
    parser.add_argument("--broker", default="redis://localhost:6379/0")
    parser.add_argument("--worker-name", default=f"celery@{socket.gethostname()}")
    parser.add_argument("--ping-timeout", type=int, default=3)
    paired(parser, "skip-ping", False)
    parser.add_argument("--readiness-file", type=Path, default=Path("/tmp/celery_worker_ready"))
    paired(parser, "skip-readiness", True)
    args = parser.parse_args()

    from celery import Celery

    celery_app = Celery(broker=args.broker)

    if not args.skip_event_loop_liveness:
        if not args.liveness_file.exists() or not args.liveness_file.is_file():
            print(f"File '{args.liveness_file}' does not exist or is not a file.", file=sys.stderr)
            return EXIT_EVENT_LOOP_BROKEN
        age_in_seconds = int(time.time() - args.liveness_file.stat().st_mtime)
        if age_in_seconds > args.max_age:
            print(f"File '{args.liveness_file}' is older than max-age.", file=sys.stderr)
            return EXIT_EVENT_LOOP_BROKEN
        print("The event loop appears to be running.")

    if not args.skip_ping:
        replies = celery_app.control.ping(destination=[args.worker_name], timeout=args.ping_timeout)
        if not replies:
            print(f"No reply to ping from '{args.worker_name}' after {args.ping_timeout}s.", file=sys.stderr)
            return EXIT_PING_FAILURE
        print(f"{args.worker_name}: PONG.")

    if not args.skip_readiness:
        if not args.readiness_file.exists() or not args.readiness_file.is_file():
            print(f"File '{args.readiness_file}' does not exist - worker is not ready.", file=sys.stderr)
            return EXIT_NOT_READY
        print("The worker appears ready to process tasks.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
