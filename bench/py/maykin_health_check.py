#!/usr/bin/python3
"""Stand-in for `maykin-common health-check` (maykinmedia/django-common, maykin_common/cli.py,
0.20.x), for the benchmarks only: the same endpoint completion, the same requests call, the
same output lines and exit codes.

    /usr/bin/python3 maykin_health_check.py --endpoint http://127.0.0.1:8000/_healthz/livez/

It is a LOWER BOUND of the real command's cost: maykin-common's module also imports typer
(and with it click), which Debian's Python does not have; this one parses its two options
with argparse from the standard library instead, and prints without typer's colouring.
"""

import argparse
import sys
from urllib.parse import urlparse, urlunparse

import requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="/_healthz/livez/")
    parser.add_argument("--timeout", type=int, default=3)
    args = parser.parse_args()

    endpoint = args.endpoint
    if not endpoint.startswith(("http://", "https://")):
        endpoint = f"http://{endpoint}"
    parsed = urlparse(endpoint)
    url = urlunparse(
        (
            parsed.scheme,
            parsed.netloc or "localhost:8000",
            parsed.path or "/_healthz/livez/",
            parsed.params,
            parsed.query,
            parsed.fragment,
        )
    )

    try:
        response = requests.get(url, timeout=args.timeout)
    except requests.RequestException as exc:
        print(f"DOWN ({exc.__class__.__name__})", file=sys.stderr)
        return 1
    if response.ok:
        print(f"UP, response status code: {response.status_code}")
        return 0
    print(f"DOWN, response status code: {response.status_code}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
