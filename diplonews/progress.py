"""How long work tells how far it has got, without knowing who is watching."""

from __future__ import annotations

from typing import Callable

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while a stage runs (e.g. "compiling", 1200, 5000). The
command line draws it as a bar on a terminal; the library calls nothing when none is given."""
