"""What a finished dataset folder promises besides its tables: a readable ``datapackage.json`` naming
every table, and a ``SHA256SUMS`` listing every file with its hash.

``datapackage.json`` describes each table by its JSON file (``json/<table>.json``, what Frictionless
tools read); the Parquet file of the same table is ``parquet/<table>.parquet``. A sharded table
(``diplonews build --shards N``, see docs/scale.md) is a multipart resource instead: its ``path`` lists
``json/<table>/part-00000-of-0000N.jsonl`` ..., and its Parquet files are
``parquet/<table>/part-00000-of-0000N.parquet`` ..., one per shard, in the same order. This module uses
the standard library only, so that :func:`diplonews.load` can read the table list without importing
the schema models.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from diplonews.errors import UserError

from .folder import DatasetFolder, as_folder

DATAPACKAGE = "datapackage.json"
SUMS = "SHA256SUMS"

_TABLE_NAME = re.compile(r"[a-z][a-z0-9_]*")
_SUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")
REBUILD_HINT = "rebuild it with 'diplonews build', or download the release again with 'diplonews download'"
"""The hint for a damaged or incomplete dataset folder."""


class DatasetFolderError(UserError, FileNotFoundError):
    """A folder that is not a readable dataset: no usable ``datapackage.json``, or a table file missing.

    Also a FileNotFoundError, which is what loading a folder without tables raised before."""


def parquet_path(table: str) -> str:
    """The Parquet file of ``table``, relative to the dataset folder."""
    return f"parquet/{table}.parquet"


SHARD_FILE = re.compile(r"part-(\d{5})-of-(\d{5})")
"""The name (without extension) of one shard's file: its index and the number of shards, from 0."""


def shard_file(kind: str, table: str, index: int, count: int) -> str:
    """The file of shard ``index`` of ``count`` of ``table``, relative to the dataset folder: ``kind``
    is ``parquet`` (``parquet/<table>/part-00003-of-00008.parquet``) or ``json`` (``json/<table>/...jsonl``,
    JSON Lines: the parts of a Frictionless multipart resource are read as their concatenation, which
    for JSON Lines, unlike JSON arrays, is again JSON Lines)."""
    return f"{kind}/{table}/part-{index:05d}-of-{count:05d}.{'parquet' if kind == 'parquet' else 'jsonl'}"


def resource_paths(resource: dict) -> list[str]:
    """The JSON file(s) of a datapackage resource: its ``path``, or the list of a multipart resource."""
    path = resource["path"]
    return list(path) if isinstance(path, list) else [path]


def parquet_files(name: str, resource: dict) -> list[str]:
    """The Parquet file(s) of the table a datapackage resource describes, relative to the folder:
    ``parquet/<table>.parquet``, or of a multipart resource each JSON part's Parquet twin."""
    if not isinstance(resource["path"], list):
        return [parquet_path(name)]
    return [shard_file("parquet", name, *map(int, SHARD_FILE.search(p).groups())) for p in resource["path"]]


def _safe_relative(path: str) -> bool:
    """True when ``path`` names a file inside the folder in one spelling only: no absolute path, no
    ``..``, no URL, and in normal form (no ``./``, ``//`` or trailing ``/``, which a local file system
    resolves and a listing of the folder, such as an object store's, does not)."""
    pure = PurePosixPath(path)
    return (bool(path) and pure.as_posix() == path and not pure.is_absolute() and ".." not in pure.parts
            and ":" not in path and "\\" not in path)


def read_resources(folder: Path | DatasetFolder) -> dict[str, dict]:
    """The resources of ``folder/datapackage.json`` by table name, in the order it lists them.

    Raises :class:`DatasetFolderError` when the file is missing, is not JSON, or does not give every
    resource a table name and a path inside the folder.
    """
    folder = as_folder(folder)
    path = folder.path(DATAPACKAGE)
    try:
        text = folder.read_bytes(DATAPACKAGE)
    except FileNotFoundError:
        raise DatasetFolderError(f"no tables in {folder}: it has no {DATAPACKAGE}",
                                 f"is it a diplonews dataset folder? If so, {REBUILD_HINT}") from None
    except OSError as exc:
        raise DatasetFolderError(f"cannot read {path}: {exc.strerror}", REBUILD_HINT) from None
    try:
        package = json.loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise DatasetFolderError(f"{path} is not valid JSON", f"the folder is damaged: {REBUILD_HINT}") from None
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list) or not resources:
        raise DatasetFolderError(f"{path} lists no resources, so it names no table", REBUILD_HINT)
    out: dict[str, dict] = {}
    for i, resource in enumerate(resources):
        name = resource.get("name") if isinstance(resource, dict) else None
        if not isinstance(name, str) or not _TABLE_NAME.fullmatch(name) or name in out:
            raise DatasetFolderError(f"{path}: resource {i + 1} has no table name, or one used before", REBUILD_HINT)
        paths = resource.get("path")
        shards = isinstance(paths, list) and paths and all(  # a multipart resource: one table's shards
            isinstance(p, str) and SHARD_FILE.fullmatch(PurePosixPath(p).stem) for p in paths)
        if not (isinstance(paths, str) or shards) or not all(_safe_relative(p) for p in resource_paths(resource)):
            raise DatasetFolderError(f"{path}: resource {name} has no path inside the folder "
                                     "(relative, in normal form: no ./, .., // or trailing /)", REBUILD_HINT)
        out[name] = resource
    return out


def parquet_tables(folder: Path) -> dict[str, list[Path]]:
    """The Parquet file(s) of every table ``folder/datapackage.json`` describes, by table name: one
    file, or a sharded table's parts in shard order.

    Raises :class:`DatasetFolderError` when the descriptor is unusable or a described table has no file.
    """
    folder = Path(folder)
    files = {name: [folder / rel for rel in parquet_files(name, r)] for name, r in read_resources(folder).items()}
    missing = [file.relative_to(folder).as_posix() for parts in files.values() for file in parts if not file.is_file()]
    if missing:
        raise DatasetFolderError(f"{folder} is incomplete: {DATAPACKAGE} describes {', '.join(missing)}, "
                                 "which is missing", REBUILD_HINT)
    return files


def _listed(folder: DatasetFolder) -> tuple[dict[str, str] | None, list[tuple[str, str]]]:
    """The files ``SHA256SUMS`` lists with their hashes (None if it cannot be read), and the
    problems of the list itself."""
    try:
        # Decoded, then split: the lines read_text() would give (it reads '\r\n' and '\r' as '\n').
        lines = folder.read_bytes(SUMS).decode("utf-8").splitlines()
    except FileNotFoundError:
        return None, [(SUMS, "missing")]
    except (OSError, UnicodeDecodeError):
        return None, [(SUMS, "not readable UTF-8 text")]
    listed: dict[str, str] = {}
    problems = []
    for number, line in enumerate(lines, 1):
        match = _SUM_LINE.fullmatch(line)
        if not match or not _safe_relative(match[2]):
            problems.append((SUMS, f"line {number} is not '<sha256>  <file inside the folder>'"))
        elif match[2] in listed:
            problems.append((match[2], f"listed twice in {SUMS}"))
        else:
            listed[match[2]] = match[1]
    return listed, problems


def checksum_problems(folder: Path | DatasetFolder, sha256: Callable[[str], str]) -> list[tuple[str, str]]:
    """``(file, problem)`` for every file of ``folder`` that ``SHA256SUMS`` does not list, every file it
    lists that is missing, and every file whose hash differs; ``sha256`` hashes a relative path."""
    folder = as_folder(folder)
    listed, problems = _listed(folder)
    if listed is None:
        return problems
    present = set(folder.files()) - {SUMS}
    problems += [(rel, f"listed in {SUMS} but missing") for rel in sorted(listed.keys() - present)]
    problems += [(rel, f"not listed in {SUMS}") for rel in sorted(present - listed.keys())]
    problems += [(rel, f"SHA-256 differs from {SUMS}") for rel in sorted(listed.keys() & present)
                 if sha256(rel) != listed[rel]]
    return problems
