"""Writing files so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def all_or_nothing(*paths: Path) -> Iterator[None]:
    """Remove every one of ``paths`` created inside the block if the block fails."""
    existed = {p: p.exists() for p in paths}
    try:
        yield
    except BaseException:
        for p, was in existed.items():
            if not was:
                p.unlink(missing_ok=True)
        raise
