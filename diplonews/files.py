"""Files: written so that a failure never leaves a half-written one behind, hashed, and recognised
unchanged. A leaf of the project: it imports nothing else of it, so every stage can use it.

``tempfile`` creates private files (0600) and folders (0700); what we publish or hand back to the
user must get the permissions any other file would, so both are set from the umask (or, for a file
being replaced, kept as they were).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename.

    A file being replaced keeps its mode; a new one gets the mode the umask gives."""
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # the bytes are on disk before the name points at them
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_temp_dir(parent: Path, prefix: str) -> Path:
    """A new empty folder in ``parent`` with the permissions the umask gives (not mkdtemp's 0700)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(folder, 0o777 & ~_umask())
    return folder


def why_not_a_folder(folder: Path) -> str | None:
    """Why ``folder`` cannot be, or be created as, a folder ("is a file", "lies under X, which is a file"),
    or None when it can; checked before any work, as creating it would fail only at the end."""
    for path in (folder, *folder.parents):
        if path.exists():
            if path.is_dir():
                return None
            return "is a file" if path == folder else f"lies under {path}, which is a file"
    return None


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


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class FileHashes:
    """SHA-256 of the files of one dataset folder, each read once however many descriptors list it.

    ``known`` maps a relative path to the hash of a file reused unchanged from the previous build
    (checked intact just before it was linked), which is then not computed again."""

    def __init__(self, folder: Path, known: dict[str, str] | None = None):
        self.folder = folder
        self.done: dict[str, str] = dict(known or {})

    def __call__(self, rel: str) -> str:
        """The hex SHA-256 of ``folder/rel``."""
        if rel not in self.done:
            self.done[rel] = sha256_file(self.folder / rel)
        return self.done[rel]


def stat_key(path: str | Path) -> list[int]:
    """What changes whenever a file's bytes do: size, mtime, ctime (which no tool can set back), device
    and inode."""
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino]
