"""Serves the demo page and the chat widget from `web/`, with the Rasa server's URL filled in.

Run by `asa-bot run` as its own process: `python -m bot.web --host H --port P --rasa-url URL`.
Only files under `web/` are served; folders are not listed. The demo page gets the Rasa URL in
place of `__ASA_RASA_URL__` and a Content-Security-Policy that allows nothing but this server
and the Rasa server.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
from collections.abc import Sequence
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from bot.settings import PROJECT_ROOT

WEB_ROOT = PROJECT_ROOT / "web"
PLACEHOLDER = "__ASA_RASA_URL__"
_PAGES = {"/", "/index.html"}


def content_security_policy(rasa_url: str) -> str:
    """The demo page may load files from itself and talk to the Rasa server (long-polling)."""
    parts = urlsplit(rasa_url)
    return (
        "default-src 'self'; "
        f"connect-src 'self' {parts.scheme}://{parts.netloc}; "
        "img-src 'self'; style-src 'self'; script-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
    )


def render_page(template: str, rasa_url: str) -> str:
    """The demo page with the Rasa URL in the widget's `data-server` attribute."""
    return template.replace(PLACEHOLDER, html.escape(rasa_url, quote=True))


class _Handler(SimpleHTTPRequestHandler):
    def version_string(self) -> str:
        return "AsA-Web"

    def __init__(self, *args: object, rasa_url: str, directory: str) -> None:
        self.rasa_url = rasa_url
        super().__init__(*args, directory=directory)  # type: ignore[arg-type]

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def do_GET(self) -> None:
        if urlsplit(self.path).path in _PAGES:
            self._send_page(head_only=False)
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        if urlsplit(self.path).path in _PAGES:
            self._send_page(head_only=True)
            return
        super().do_HEAD()

    def _send_page(self, *, head_only: bool) -> None:
        template = (Path(self.directory) / "index.html").read_text(encoding="utf-8")
        body = render_page(template, self.rasa_url).encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", content_security_policy(self.rasa_url))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(HTTPStatus.NOT_FOUND, "Nicht gefunden")


def make_server(host: str, port: int, rasa_url: str, root: Path = WEB_ROOT) -> ThreadingHTTPServer:
    """A server for `root` on host:port; the caller runs `serve_forever()` and closes it."""
    handler = partial(_Handler, rasa_url=rasa_url, directory=str(root))
    return ThreadingHTTPServer((host, port), handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Demoseite und Chat-Widget ausliefern")
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rasa-url", required=True)
    args = parser.parse_args(argv)
    with make_server(args.host, args.port, args.rasa_url) as server:
        print(f"Demoseite: http://{args.host}:{args.port}/ (Rasa: {args.rasa_url})", flush=True)
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
