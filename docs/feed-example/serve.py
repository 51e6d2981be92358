"""Serve the example feed page and forward its two sparkads calls, adding the feed token.

    python3 docs/feed-example/serve.py --sparkads http://127.0.0.1:8000 --feed-token <token>

Then open http://127.0.0.1:8080/?country=FR. Your own server does the same in its framework:
forward POST /sparkads/api/v1/feed/decisions and /sparkads/api/v1/events with
`Authorization: Bearer <feed token>`, and serve /sparkads/static/sparkads-feed.js (or your own
copy of the built file). Standard library only; `--log FILE` writes every events batch and the
server's answer as JSON lines."""

from __future__ import annotations

import argparse
import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES = {"/": ("index.html", "text/html"), "/feed.js": ("feed.js", "text/javascript"),
         "/feed.css": ("feed.css", "text/css")}  # fmt: skip
FORWARDED = {"/sparkads/api/v1/feed/decisions", "/sparkads/api/v1/events"}
PACKAGE = "/sparkads/static/sparkads-feed.js"
MAX_BODY = 1_000_000
CSP = "default-src 'self'; img-src 'self' {sparkads}; media-src 'self' {sparkads}"


def handler(sparkads: str, feed_token: str, log: Path | None) -> type[BaseHTTPRequestHandler]:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path in PAGES:
                name, kind = PAGES[path]
                self.answer(200, (HERE / name).read_bytes(), f"{kind}; charset=utf-8")
            elif path == PACKAGE:
                self.forward("GET", sparkads + "/static/sparkads-feed.js", None)
            else:
                self.answer(404, b"Not found", "text/plain")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if self.path not in FORWARDED or not 0 < length <= MAX_BODY:
                self.answer(404 if self.path not in FORWARDED else 413, b"", "text/plain")
                return
            body = self.rfile.read(length)
            status, answer = self.forward(
                "POST", sparkads + self.path.removeprefix("/sparkads"), body
            )
            if log is not None and self.path.endswith("/events"):
                with lock, log.open("a") as sink:
                    sink.write(json.dumps({"sent": json.loads(body), "status": status,
                                           "answer": json.loads(answer or b"null")}) + "\n")  # fmt: skip

        def forward(self, method: str, url: str, body: bytes | None) -> tuple[int, bytes]:
            headers = {"Authorization": f"Bearer {feed_token}", "Content-Type": "application/json",
                       "Accept-Language": self.headers.get("Accept-Language", "en")}  # fmt: skip
            # Only the sparkads URL given on the command line (checked http/https in main).
            request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                    status, content = response.status, response.read()
                    kind = response.headers.get("Content-Type", "application/json")
            except urllib.error.HTTPError as refused:
                status, content = refused.code, refused.read()
                kind = refused.headers.get("Content-Type", "application/json")
            except OSError:
                status, content, kind = 502, b'{"error":{"code":"unreachable"}}', "application/json"
            self.answer(status, content, kind)
            return status, content

        def answer(self, status: int, content: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Content-Security-Policy", CSP.format(sparkads=sparkads))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sparkads", default="http://127.0.0.1:8000")
    parser.add_argument("--feed-token", required=True, help="from `sparkads feeds create`")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--log", type=Path, default=None)
    args = parser.parse_args()
    if not args.sparkads.startswith(("http://", "https://")):
        parser.error("--sparkads must be an http:// or https:// URL")
    server = ThreadingHTTPServer(
        (args.host, args.port), handler(args.sparkads.rstrip("/"), args.feed_token, args.log)
    )
    print(
        f"Pocket feed on http://{args.host}:{args.port}/ (sparkads at {args.sparkads})", flush=True
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
