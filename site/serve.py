"""Serve a generated site on 127.0.0.1 with the standard library's HTTP server."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .build import SiteError

_PORT_HINT = "give --port a number from 1024 to 65535 that nothing else uses, or 0 to pick a free one"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


def make_server(folder: str | Path, port: int = 8000, quiet: bool = False) -> ThreadingHTTPServer:
    """An HTTP server for ``folder`` bound to 127.0.0.1 only (``port`` 0 picks a free one); call
    ``serve_forever()`` on it. ``quiet`` drops the per-request log lines. A port out of range, taken
    or not allowed is a :class:`SiteError`. The folder is read per request, so it may be written after."""
    if not 0 <= port <= 65535:  # bind() would raise OverflowError, which is no OSError
        raise SiteError(f"{port} is not a port number", _PORT_HINT)
    handler = functools.partial(_QuietHandler if quiet else SimpleHTTPRequestHandler, directory=str(folder))
    try:
        return ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise SiteError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}", _PORT_HINT) from None
