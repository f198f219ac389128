"""Where a dataset folder's files are: the one seam through which the validators read a folder.

A :class:`DatasetFolder` lists the files under the folder, reads a small file's bytes, hashes a file
and reads a Parquet file's Arrow schema. :class:`LocalFolder` reads the local file system, as every
engine always has; a folder at a URL (``s3a://``, ``hdfs://``, ``abfss://``, ``file://``, ...) is read
through Spark's own Hadoop file systems (:mod:`diplonews.validators.engines.hadoop`), so the Spark
engine validates it with the very same folder checks. This module uses the standard library only:
:func:`diplonews.load` reads the table list through it without importing the schema models.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING

from diplonews.errors import UserError

if TYPE_CHECKING:
    import pyarrow as pa

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:/")
"""A scheme of two letters or more, then a slash: ``s3a://b/x``, ``file:///x``, ``dbfs:/mnt/x``; not ``C:\\x``
or ``C:/x`` (a drive letter is one letter), not ``dataset``."""

SOURCE_FOLDERS = ("registry", "annotations")
"""Either of these subfolders makes a folder one of annotation sources (a seeds folder), not a dataset."""


def is_url(location: str | Path) -> bool:
    """Whether ``location`` names a folder by URL (a scheme such as ``s3a://``) rather than a local path."""
    return _URL.match(str(location)) is not None


def in_path_order(rels: list[str]) -> list[str]:
    """Relative paths sorted as ``sorted(Path.rglob(...))`` sorts them: part by part, so 'a/b' before 'a-c'."""
    return sorted(rels, key=lambda rel: rel.split("/"))


class DatasetFolder(ABC):
    """The files of one dataset folder, by path relative to it (``parquet/events.parquet``)."""

    location: str
    """The folder as its files' paths start (a local path in POSIX form, or a URL without a final slash)."""

    def __str__(self) -> str:
        return self.location

    def path(self, rel: str) -> str:
        """The path (or URL) of the file ``rel``, as an engine reads it and a message names it."""
        return f"{self.location}/{rel}"

    @abstractmethod
    def files(self) -> list[str]:
        """Every file under the folder (not folders), relative, in the order of ``sorted(Path.rglob("*"))``."""

    @abstractmethod
    def names(self, rel: str) -> list[str]:
        """The names in the subfolder ``rel`` (none when there is no such folder)."""

    @abstractmethod
    def is_file(self, rel: str) -> bool:
        """Whether ``rel`` is a file of the folder."""

    @abstractmethod
    def read_bytes(self, rel: str) -> bytes:
        """The bytes of the (small) file ``rel``; FileNotFoundError when there is none, OSError (with a
        ``strerror``) when it cannot be read."""

    @abstractmethod
    def sha256(self, rel: str) -> str:
        """The hex SHA-256 of the file ``rel``, each file read once."""

    @abstractmethod
    def parquet_schema(self, rel: str) -> pa.Schema:
        """The Arrow schema in the footer of the Parquet file ``rel`` (as ``pyarrow.parquet.read_schema``
        gives it); raises whatever pyarrow raises on a file it cannot read."""

    def holds_sources(self) -> bool:
        """Whether this is a folder of annotation sources (a seeds folder) rather than a built dataset."""
        return any(self.names(sub) for sub in SOURCE_FOLDERS)


class LocalFolder(DatasetFolder):
    """A folder on the local file system (or a mount of a remote one, such as ``/dbfs/...``)."""

    def __init__(self, root: str | Path) -> None:
        if is_url(root) and not isinstance(root, Path):
            raise UserError(f"{root} is a URL, not a local folder", "a folder at a URL is read by the Spark "
                            "engine: diplonews validate URL --engine spark (engine='spark')")
        self.root = Path(root)
        # The text given, as engines have always been given it (DuckDB reads './x' and 'x/' alike).
        self.location = self.root.as_posix() if isinstance(root, Path) else str(root).rstrip("/")
        self._hashes = None

    def __str__(self) -> str:
        return str(self.root)

    def path(self, rel: str) -> str:
        """See :meth:`DatasetFolder.path` (in the local form: ``./x`` is ``x``, backslashes on Windows)."""
        return str(self.root / rel)

    def files(self) -> list[str]:
        """See :meth:`DatasetFolder.files`."""
        return [p.relative_to(self.root).as_posix() for p in sorted(self.root.rglob("*")) if p.is_file()]

    def names(self, rel: str) -> list[str]:
        """See :meth:`DatasetFolder.names`."""
        folder = self.root / rel
        return [p.name for p in folder.iterdir()] if folder.is_dir() else []

    def is_file(self, rel: str) -> bool:
        """See :meth:`DatasetFolder.is_file`."""
        return (self.root / rel).is_file()

    def holds_sources(self) -> bool:
        """See :meth:`DatasetFolder.holds_sources`; locally an empty subfolder counts too (a seeds folder
        just begun is validated as sources, which say what it lacks)."""
        return any((self.root / sub).is_dir() for sub in SOURCE_FOLDERS)

    def read_bytes(self, rel: str) -> bytes:
        """See :meth:`DatasetFolder.read_bytes`."""
        return (self.root / rel).read_bytes()

    def sha256(self, rel: str) -> str:
        """See :meth:`DatasetFolder.sha256`: read in chunks, once (:class:`diplonews.files.FileHashes`)."""
        if self._hashes is None:
            from diplonews.files import FileHashes

            self._hashes = FileHashes(self.root)
        return self._hashes(rel)

    def parquet_schema(self, rel: str) -> pa.Schema:
        """See :meth:`DatasetFolder.parquet_schema`."""
        import pyarrow.parquet as pq  # here: pyarrow costs ~0.1 s to import, and load() reads no schema

        return pq.read_schema(self.root / rel)


def as_folder(folder: str | Path | DatasetFolder) -> DatasetFolder:
    """``folder`` as a :class:`DatasetFolder`: a local path becomes a :class:`LocalFolder`."""
    return folder if isinstance(folder, DatasetFolder) else LocalFolder(folder)
