#!/usr/bin/env python3
"""httpd - the HTTP server of fc-load's http:// tests, on 127.0.0.1.

Usage: httpd.py PORTFILE [CERT KEY]

Listens on a free port, serving https with CERT and KEY when given, and
writes the port to PORTFILE once it accepts connections. The token that
/private.csv expects comes from the environment (FC_TEST_TOKEN), never
from the command line. Routes:

  /good.csv       200 text/csv, a BOM and CRLF line ends (BODY)
  /plain.csv      200 text/plain, BODY
  /bad.csv        200 text/csv, a non-number on line 3
  /missing.csv    404
  /private.csv    200 with "Authorization: Bearer $FC_TEST_TOKEN", else 401
  /forbidden.csv  403
  /flaky.csv?ID   503 (Retry-After: 1) the first time for each ID, then 200
  /down.csv       503 always
  /slow.csv       200, after 30 seconds of silence
  /page.html      200 text/html
  /sniff.csv      200 text/plain, but an HTML body
  /moved.csv      302 to /good.csv
  /away.csv       302 to /private.csv on localhost: another host name
"""
import http.server
import os
import ssl
import sys
import threading
import time

BODY = b"\xef\xbb\xbfunique_id,ds,y\r\nA,2024-01-01,1\r\nA,2024-02-01,2.5\r\n"
BAD = b"unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-01,x\n"
HTML = b"<!DOCTYPE html>\n<html><body>Sign in</body></html>\n"

seen = set()
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def send(self, code, body=b"", ctype="text/csv", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/good.csv":
            self.send(200, BODY)
        elif path == "/plain.csv":
            self.send(200, BODY, "text/plain; charset=utf-8")
        elif path == "/bad.csv":
            self.send(200, BAD)
        elif path == "/missing.csv":
            self.send(404, b"no such file\n", "text/plain")
        elif path == "/private.csv":
            want = "Bearer " + os.environ["FC_TEST_TOKEN"]
            if self.headers.get("Authorization") == want:
                self.send(200, BODY)
            else:
                self.send(401, b"", "text/plain",
                          [("WWW-Authenticate", "Bearer")])
        elif path == "/forbidden.csv":
            self.send(403, b"", "text/plain")
        elif path == "/flaky.csv":
            with lock:
                first = query not in seen
                seen.add(query)
            if first:
                self.send(503, b"", "text/plain", [("Retry-After", "1")])
            else:
                self.send(200, BODY)
        elif path == "/down.csv":
            self.send(503, b"", "text/plain")
        elif path == "/slow.csv":
            time.sleep(30)
            self.send(200, BODY)
        elif path == "/page.html":
            self.send(200, HTML, "text/html; charset=utf-8")
        elif path == "/sniff.csv":
            self.send(200, HTML, "text/plain")
        elif path == "/moved.csv":
            self.send(302, b"", "text/plain", [("Location", "/good.csv")])
        elif path == "/away.csv":
            to = "http://localhost:%d/private.csv" % self.server.server_address[1]
            self.send(302, b"", "text/plain", [("Location", to)])
        else:
            self.send(404, b"", "text/plain")

    def log_message(self, fmt, *args):
        pass


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if len(sys.argv) == 4:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
