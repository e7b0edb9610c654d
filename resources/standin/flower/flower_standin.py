#!/usr/bin/env python3
"""A stand-in for Celery Flower: `python3 flower_standin.py 127.0.0.1:PORT`.

Flower is not packaged for Debian. What OK Health checks of it is its start page (compose's
`maykin-common health-check --endpoint=http://localhost:5555/`) and that the page is not
open to anonymous users. So this serves what those checks see of Flower: with
OKH_FLOWER_BASIC_AUTH=user:password (Flower's --basic-auth), "/" and "/healthcheck" answer
401 with a WWW-Authenticate challenge unless the request carries those credentials; then
"/" is a small HTML page and "/healthcheck" is "OK", as in Flower. Anything else is 404.
"""
import base64
import hmac
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CREDENTIALS = os.environ.get("OKH_FLOWER_BASIC_AUTH", "")
PAGE = b"<!DOCTYPE html><html><head><title>Flower</title></head><body><h1>Flower (OK Health stand-in)</h1></body></html>\n"


class Handler(BaseHTTPRequestHandler):
    server_version = "TornadoServer/6.2"  # what Flower's Tornado says

    def authorised(self):
        if not CREDENTIALS:
            return True
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            given = base64.b64decode(header[6:], validate=True).decode("utf-8")
        except ValueError:
            return False
        return hmac.compare_digest(given, CREDENTIALS)

    def answer(self, status, body, content_type="text/html; charset=UTF-8", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path not in ("/", "/healthcheck"):
            self.answer(404, b"404: Not Found\n", "text/plain")
        elif not self.authorised():
            self.answer(401, b"401: Unauthorized\n", "text/plain", [("WWW-Authenticate", 'Basic realm="flower"')])
        elif self.path == "/healthcheck":
            self.answer(200, b"OK", "text/plain")
        else:
            self.answer(200, PAGE)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        print(f"{self.address_string()} {format % args}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    host, port = sys.argv[1].rsplit(":", 1)
    server = ThreadingHTTPServer((host, int(port)), Handler)
    print(f"flower stand-in serving on http://{host}:{port}/", file=sys.stderr, flush=True)
    server.serve_forever()
