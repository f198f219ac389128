"""Serve a generated site on 127.0.0.1 with the standard library's HTTP server."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


def make_server(folder: str | Path, port: int = 8000, quiet: bool = False) -> ThreadingHTTPServer:
    """An HTTP server for ``folder`` bound to 127.0.0.1 only (``port`` 0 picks a free one); call
    ``serve_forever()`` on it. ``quiet`` drops the per-request log lines."""
    handler = functools.partial(_QuietHandler if quiet else SimpleHTTPRequestHandler, directory=str(folder))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)
