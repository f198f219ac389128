"""The build cache: what an incremental build may reuse from the last successful build.

Keyed by content: a registry file is reused when its bytes hash the same, an article when its
annotation file and its text hash the same and no registry ID it could reference has gone. The
cache lives next to the output (``.dataset.cache/``), is never published, and is ignored
whenever the code that builds (or the codebooks) changed.

Two shortcuts keep an incremental build from reading everything again, both guarded by a file's
size and modification and change times (as git's index does): a source file whose stat is the
one recorded is not hashed again, and the rows of unchanged articles are read back from the last
output's own Parquet files, reused only while those files are the ones that build wrote.

Nothing in the folder is trusted: every file carries a checksum of its contents and is decoded into
declared types (MessagePack, tables as Arrow IPC; no pickle, so no file can run code), and a file
that is missing, damaged, foreign or of another shape is a cache miss, never an error.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, get_type_hints

import msgspec
import pyarrow as pa
import pyarrow.parquet as pq

from diplonews.builders.compile.article import FileResult
from diplonews.builders.compile.corpus import Compiled, Given, compile_registries, source_files
from diplonews.builders.compile.registry import (
    REGISTRIES,
    REGISTRY_OUTPUTS,
    REGISTRY_TABLES,
    RegistryResult,
    merge_registries,
)
from diplonews.builders.gcpause import gc_paused
from diplonews.builders.write.shards import SHARDED_TABLES, is_sharded, read_parts, shard_indices, table_files
from diplonews.files import FileHashes, sha256_file, stat_key
from diplonews.progress import Progress
from diplonews.schema import ARTICLE_TABLES, CODEBOOK_TABLES
from diplonews.validators.dataset import Changes
from diplonews.validators.findings import Finding, finding_from_dict, finding_to_dict

FORMAT = 3
"""Version of the cache layout; part of the key, so a new layout ignores old caches."""


RACY_NS = 2_000_000_000
"""A file changed this close to (or after) the start of a build may change again within the same
timestamp tick without its stat changing (git's "racily clean" files): its stat is not recorded,
so the next build reads it again."""


LIBRARIES = ("pyarrow", "duckdb", "pydantic", "pyyaml")
"""Libraries whose version can change the bytes written (Parquet's created_by, DuckDB's JSON), what a
rule reports, or how a source parses; the cache is keyed by their versions too."""


def code_fingerprint() -> str:
    """Hash of everything that decides what a build produces besides the sources: the code, codebooks,
    Python and the versions of the libraries that parse, write and check."""
    import sys
    from importlib.metadata import version

    import yaml

    from diplonews import builders, schema, validators

    versions = [sys.version, *(f"{name} {version(name)}" for name in LIBRARIES),
                f"libyaml {getattr(yaml, '__with_libyaml__', False)}"]
    h = hashlib.sha256(f"format {FORMAT}\n{versions}".encode())
    for package in (schema, builders, validators):
        root = Path(package.__file__).resolve().parent
        for path in sorted([*root.rglob("*.py"), *root.glob("codebook/*.csv")]):
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


# -- what the cache files hold, as the types they are decoded into -------------------------

FindingDict = TypedDict("FindingDict", get_type_hints(Finding))
"""A finding as :func:`finding_to_dict` writes it (the fields of :class:`Finding`)."""


class ArticleEntry(TypedDict):
    """What the cache keeps of an annotation file (see :func:`_entry`)."""

    yaml_sha: str
    article_id: str
    id_line: int | None
    text_file: str
    text_line: int | None
    digest: str
    findings: list[FindingDict]


class OutputRecord(TypedDict):
    """One table of the last output: its signature, and per file its stat_key and SHA-256."""

    signature: str
    files: dict[str, tuple[list[int], str]]


class Manifest(TypedDict):
    """The cache's index (``manifest.msgpack``)."""

    key: str
    registry: dict[str, str | None]  # registry file -> SHA-256 of its bytes
    articles: dict[str, ArticleEntry]
    shas: dict[str, tuple[list[int] | None, str]]  # source file -> [stat_key or None, SHA-256]
    outputs: dict[str, OutputRecord]


class RegistryIds(TypedDict):
    """The registry IDs of the last build (``ids.msgpack``)."""

    actor: set[str]
    event: set[str]
    topic: set[str]


def _table_to_ipc(obj: Any) -> bytes:
    if not isinstance(obj, pa.Table):
        raise NotImplementedError(f"cannot store {type(obj).__name__} in the cache")
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, obj.schema) as writer:
        writer.write_table(obj)
    return sink.getvalue().to_pybytes()


def _table_from_ipc(cls: type, obj: Any) -> pa.Table:
    # Bytes only: given a string, Arrow would open it as a path. (pa.Table is the one type left to this hook.)
    if not isinstance(obj, bytes):
        raise TypeError(f"expected Arrow IPC bytes for {cls.__name__}")
    try:
        table = pa.ipc.open_stream(obj).read_all()
        table.validate(full=True)
    except pa.ArrowException as exc:
        raise ValueError(str(exc)) from None  # msgspec turns a ValueError into a ValidationError
    return table


_ENCODER = msgspec.msgpack.Encoder(enc_hook=_table_to_ipc)
_SORTED = msgspec.msgpack.Encoder(order="deterministic")  # sets in sorted order: the same IDs, the same bytes
_MANIFEST = msgspec.msgpack.Decoder(Manifest)
_IDS = msgspec.msgpack.Decoder(RegistryIds)
_REGISTRY = msgspec.msgpack.Decoder(RegistryResult, dec_hook=_table_from_ipc)

# CRC-32 finds any flipped byte or short burst and all but one in 4 billion other damages, at three times
# the speed of SHA-256 (hundreds of MB at 100,000 articles); no hash would stop someone who can write
# the folder, and what they can write is data in declared types, never code.
_CHECKSUM = 4


def write_checked(path: Path, value: Any, encoder: msgspec.msgpack.Encoder = _ENCODER) -> None:
    """Write ``value`` as MessagePack after the CRC-32 of those bytes."""
    payload = encoder.encode(value)
    with open(path, "wb") as fh:
        fh.write(zlib.crc32(payload).to_bytes(_CHECKSUM, "big"))
        fh.write(payload)


def read_checked(path: Path, decoder: msgspec.msgpack.Decoder) -> Any | None:
    """What :func:`write_checked` wrote, decoded into the decoder's type; None when the file is missing,
    unreadable, damaged (its checksum differs: a changed byte may still decode, into other rows) or of
    another shape."""
    try:
        data = memoryview(path.read_bytes())
    except OSError:
        return None
    checksum, payload = data[:_CHECKSUM], data[_CHECKSUM:]
    if zlib.crc32(payload).to_bytes(_CHECKSUM, "big") != checksum:
        return None
    try:
        with gc_paused():
            return decoder.decode(payload)
    except msgspec.DecodeError:  # ValidationError included
        return None


def registry_entry_name(rel: str, sha: str) -> str:
    """The file name of a registry file's entry: by path too, as two files may have the same bytes."""
    return hashlib.sha256(f"{rel}\0{sha}".encode()).hexdigest() + ".msgpack"


def _linked(src: Path, dst: Path) -> bool:
    """Whether ``dst`` could be made a hard link to ``src`` (not on every file system)."""
    try:
        os.link(src, dst)
    except OSError:
        return False
    return True


@functools.cache
def _registry_schemas() -> dict[str, pa.Schema]:
    """The schemas of the registry tables, as written (``tables.to_arrow``)."""
    from diplonews.schema import TABLES_BY_NAME
    from diplonews.schema.generate import arrow_schema

    return {name: arrow_schema(TABLES_BY_NAME[name]) for name in REGISTRY_TABLES}


@dataclass
class BuildCache:
    """The cache folder of one output folder."""

    folder: Path
    key: str = field(default_factory=code_fingerprint)
    manifest: Manifest | dict = field(default_factory=dict)  # {} when there is no usable cache
    output: Path | None = None
    started_ns: int = field(default_factory=time.time_ns)
    shas: dict[str, list] = field(default_factory=dict)  # rel -> [stat_key, sha] of the sources seen
    reused: set[str] = field(default_factory=set)  # registry entry files read intact, kept as they are

    @classmethod
    def for_output(cls, out: Path) -> BuildCache:
        """The cache of ``out`` (loaded if it exists, is intact and was made by the same code)."""
        cache = cls(Path(out).parent / f".{Path(out).name}.cache")
        manifest = read_checked(cache.folder / "manifest.msgpack", _MANIFEST)
        if manifest is not None and manifest["key"] == cache.key:
            cache.manifest = manifest
        cache.output = Path(out)
        return cache

    def sha(self, path: str | Path, rel: str) -> str:
        """SHA-256 of a source file; not read again when its stat is the one recorded with its hash."""
        key = stat_key(path)
        known = self.manifest.get("shas", {}).get(rel)
        sha = known[1] if known and known[0] == key else sha256_file(path)
        self.remember(rel, key, sha)
        return sha

    def remember(self, rel: str, key: list[int], sha: str) -> None:
        """Record a source's hash with its stat (taken before it was read), unless the stat is too
        recent to vouch for the bytes (see RACY_NS)."""
        racy = max(key[1], key[2]) >= self.started_ns - RACY_NS
        self.shas[rel] = [None if racy else key, sha]

    def intact_outputs(self) -> dict[str, OutputRecord]:
        """Per table, the records of its files in the last output, for the tables whose files are
        still exactly what that build wrote (the same stat, change time included); other tables are
        left out. It stats every file of the last output: :func:`plan` calls it once per build (linking
        a file into the new output changes its change time, so a later call would miss it)."""
        return {table: record for table, record in self.manifest.get("outputs", {}).items()
                if not self.changed_files(record)}

    def changed_files(self, record: OutputRecord) -> list[str]:
        """The files of a table's record whose stat is no longer the one recorded, or that are gone."""
        changed = []
        for rel, (key, _) in record["files"].items():
            try:
                same = stat_key(self.output / rel) == key
            except OSError:
                same = False
            if not same:
                changed.append(rel)
        return changed

    # -- reading ------------------------------------------------------------------------
    def registry_result(self, rel: str, sha: str) -> RegistryResult | None:
        """The compiled result of a registry file with these bytes, if cached."""
        if self.manifest.get("registry", {}).get(rel) != sha:
            return None
        name = registry_entry_name(rel, sha)
        result = read_checked(self.folder / "registry" / name, _REGISTRY)
        if result is None or result.file != rel or result.kind not in REGISTRIES:
            return None
        schemas = _registry_schemas()
        if result.tables.keys() != schemas.keys() or any(
                not result.tables[t].schema.equals(schema, check_metadata=True) for t, schema in schemas.items()):
            return None
        self.reused.add(name)
        return result

    def article(self, rel: str, yaml_sha: str, texts: str, texts_rel: str) -> ArticleEntry | None:
        """The cached entry of an annotation file, if the file and its text (in folder ``texts``,
        ``texts_rel`` as reports name it) are unchanged."""
        entry = self.manifest.get("articles", {}).get(rel)
        if not entry or entry["yaml_sha"] != yaml_sha:
            return None
        name = entry["text_file"]
        try:
            sha = self.sha(f"{texts}/{name}", f"{texts_rel}/{name}")
        except OSError:
            return None  # the text is gone: compile the file, which reports it
        return entry if sha == entry["digest"] else None

    def registry_ids(self) -> dict[str, set[str]] | None:
        """The registry IDs of the last build, if cached."""
        return read_checked(self.folder / "ids.msgpack", _IDS) if self.manifest else None

    def article_tables(self, article_ids: set[str], outputs: dict[str, OutputRecord]) -> dict[str, pa.Table]:
        """The cached rows of the given articles, per article table, read from the last output's files
        (``outputs``: :meth:`intact_outputs`, which holds every article table when articles are reused)."""
        import pyarrow.compute as pc

        keep = pa.array(sorted(article_ids), type=pa.string())
        out = {}
        for name in ARTICLE_TABLES:
            # One file, or a sharded table's parts (order does not matter: rows are filtered, then assembled).
            table = read_parts([self.output / rel for rel in outputs[name]["files"] if rel.endswith(".parquet")])
            out[name] = table.filter(pc.is_in(table["article_id"], value_set=keep))
        return out

    # -- writing ------------------------------------------------------------------------
    def save(self, registry: dict[str, tuple[str, RegistryResult]], articles: dict[str, ArticleEntry],
             ids: dict[str, set[str]], outputs: dict[str, OutputRecord]) -> None:
        """Replace the cache with what the build that just succeeded used and produced; ``outputs``
        holds per table its signature and the records of its files in the new output."""
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"{self.folder.name}.", dir=self.folder.parent))
        try:
            (tmp / "registry").mkdir()
            # Always the results this build used: an older cache may hold entries of other code.
            for rel, (sha, result) in registry.items():
                name = registry_entry_name(rel, sha)
                # An entry read intact is kept as it is, not encoded and written again.
                if not (name in self.reused and _linked(self.folder / "registry" / name, tmp / "registry" / name)):
                    write_checked(tmp / "registry" / name, result)
            write_checked(tmp / "ids.msgpack", ids, _SORTED)
            write_checked(tmp / "manifest.msgpack",
                   {"key": self.key, "registry": {rel: sha for rel, (sha, _) in registry.items()},
                    "articles": articles, "shas": self.shas, "outputs": outputs})
            if self.folder.is_dir() and not self.folder.is_symlink():
                shutil.rmtree(self.folder)
            elif self.folder.is_symlink() or self.folder.exists():
                self.folder.unlink()  # not a cache folder: a file, or a link os.replace would not replace
            os.replace(tmp, self.folder)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp)


def texts_are_plain(texts: Path) -> bool:
    """Whether every entry of the corpus folder is a regular file or a link to one inside the folder (or a
    folder, which no text_file can name); else a text may be a pipe or lead out, and must be compiled to be
    reported, never hashed from the build cache."""
    if not texts.is_dir():
        return True
    root = os.path.realpath(texts)
    with os.scandir(texts) as entries:
        for entry in entries:
            # Cheap for a large corpus: the entry's type comes with the listing, no stat per file.
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not (os.path.isfile(target) and os.path.commonpath([root, target]) == root):
                    return False
            elif not (entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False)):
                return False
    return True


# -- the policy around the stages: what to take from the cache, what changed, what to remember ----

@dataclass
class Plan:
    """What an incremental build takes from its cache instead of compiling, the hashes of the sources
    (by report name) that decide it, and the tables of the last output still as it wrote them."""

    cache: BuildCache
    given: Given
    registry_shas: dict[str, str | None]
    yaml_shas: dict[str, str | None]
    entries: dict[str, ArticleEntry]  # the cache entries of the annotation files given
    # cache.intact_outputs(), checked once, before any file of the last output is linked into the new one
    intact: dict[str, OutputRecord] = field(default_factory=dict)


@dataclass
class Reuse:
    """What a compiled build took from the cache: the rows of the unchanged articles (and their IDs), and
    per table a signature of every source its rows come from (see :func:`_signatures`)."""

    rows: dict[str, pa.Table] = field(default_factory=dict)
    articles: frozenset[str] = frozenset()
    signatures: dict[str, str] = field(default_factory=dict)


def changed_since_plan(unchanged: Plan | None) -> list[str]:
    """The files of the last output that :func:`plan` found intact and that have changed since (the
    dataset folder edited or checked out during the build): the rows read back from them and the hashes
    recorded for them are no longer theirs. Stats only; called just before any of them is linked."""
    if unchanged is None:
        return []
    return [rel for record in unchanged.intact.values() for rel in unchanged.cache.changed_files(record)]


def plan(cache: BuildCache | None, seeds: Path, progress: Progress | None = None) -> Plan | None:
    """The files of ``seeds`` unchanged since the cached build, with their results from the cache.

    A registry file is taken when its bytes are the same; an annotation file when it and its text are, the
    last output's article tables are still those the cached build wrote, and no registry ID it could
    reference has gone (if a registry changed, the registries are compiled first to know)."""
    if cache is None:
        return None
    files = source_files(seeds)
    given = Given(files)
    intact = cache.intact_outputs()
    registry_shas = {files.name(p): cache.sha(p, files.name(p)) if p.is_file() else None for _, p in files.registry}
    # Only regular files are hashed: reading a FIFO would hang (compiling the file reports it).
    yaml_shas = {files.name(path): cache.sha(path, files.name(path)) if regular else None
                 for path, regular in zip(files.annotations, files.regular)}
    for name, sha in registry_shas.items():
        result = cache.registry_result(name, sha) if sha else None
        if result is not None:
            given.registry[name] = result
    entries: dict[str, ArticleEntry] = {}
    # The rows of unchanged articles are read back from the last output's article tables, if intact.
    if all(name in intact for name in ARTICLE_TABLES) and texts_are_plain(files.texts):
        texts, texts_rel = str(files.texts), files.name(files.texts)
        for name, sha in yaml_shas.items():
            entry = cache.article(name, sha, texts, texts_rel)
            if entry:
                entries[name] = entry
                given.articles[name] = _from_entry(name, entry)
    registry_changed = (len(given.registry) < len(registry_shas)
                        or set(cache.manifest.get("registry", {})) != set(registry_shas))
    if given.articles and registry_changed:
        # Reused articles stay valid only while every registry ID they could reference exists.
        given.registry = {r.file: r for r in compile_registries(files, given.registry, progress)}
        new = merge_registries(list(given.registry.values())).index.ids
        old = cache.registry_ids()
        if old is None or any(not old[k] <= new[k] for k in new):
            given.articles, entries = {}, {}
    return Plan(cache, given, registry_shas, yaml_shas, entries, intact)


def _from_entry(file: str, entry: ArticleEntry) -> FileResult:
    """A file unchanged since the cached build: its facts and findings, its rows still in the last output."""
    return FileResult(file, entry["article_id"], entry["id_line"], entry["text_file"], entry["text_line"],
                      entry["digest"], findings=[finding_from_dict(f) for f in entry["findings"]], reused=True)


def _entry(result: FileResult, yaml_sha: str) -> ArticleEntry:
    """What the cache keeps of a compiled annotation file (one the build accepted: it was read, so hashed)."""
    return ArticleEntry(yaml_sha=yaml_sha, article_id=result.article_id, id_line=result.id_line,
                        text_file=result.text_file, text_line=result.text_line, digest=result.digest,
                        findings=[finding_to_dict(f) for f in result.findings])


def reuse(plan: Plan | None, compiled: Compiled) -> Reuse:
    """What the build took from the cache, once compiled: the cached rows of the unchanged articles it
    kept (read from the last output) and the tables' signatures; the hashes of the texts read are noted."""
    if plan is None:
        return Reuse()
    files = compiled.files
    for res in compiled.articles:
        if res.text_stat is not None:
            plan.cache.remember(files.name(files.texts / res.text_file), res.text_stat, res.digest)
    articles = frozenset(res.article_id for res in compiled.accepted if res.reused)
    rows = plan.cache.article_tables(set(articles), plan.intact) if articles else {}
    return Reuse(rows, articles, _signatures(plan, compiled))


def _signatures(plan: Plan, compiled: Compiled) -> dict[str, str]:
    """Per table, a hash of every source its rows come from, when all of them were hashed.

    Rows of a successful build depend only on these sources and the code: a reference that does not
    resolve is an error, so no build is written whose rows a registry change could have altered.
    Equal signatures mean the table is the one the last build wrote, so its files can be reused.
    """
    files = compiled.files
    out = {name: "codebook" for name in CODEBOOK_TABLES}
    for kind, tables in REGISTRY_OUTPUTS.items():
        h = hashlib.sha256(kind.encode())
        for k, path in files.registry:
            if k == kind:
                name = files.name(path)
                sha = plan.registry_shas[name]
                if sha is None:
                    return {}
                h.update(f"{name}\0{sha}\n".encode())
        out.update(dict.fromkeys(tables, h.hexdigest()))
    shas = [plan.yaml_shas[res.file] for res in compiled.articles]
    if any(sha is None for sha in shas):
        return {}
    listing = "".join(f"{res.file}\0{sha}\0{res.text_file}\0{res.digest}\n"
                      for res, sha in zip(compiled.articles, shas))
    out.update(dict.fromkeys(ARTICLE_TABLES, hashlib.sha256(f"articles\n{listing}".encode()).hexdigest()))
    return out


def reusable_tables(plan: Plan | None, reused: Reuse, shards: int = 1) -> dict[str, OutputRecord]:
    """Per table whose sources are those of the last build and whose files there are untouched and laid
    out as ``shards`` asks, the records of those files (they are linked, not written again)."""
    intact = plan.intact if plan is not None else {}
    return {name: r for name, r in intact.items() if reused.signatures.get(name) == r["signature"]
            and sorted(r["files"]) == sorted(table_files(name, shards))}


def reusable_parts(plan: Plan | None, reused: Reuse, tables: dict[str, pa.Table],
                   keep: dict[str, OutputRecord], shards: int) -> set[str]:
    """The files of the shards that hold the same rows as in the last output, in the tables that changed:
    a shard whose articles are those it held (the last output's ``articles`` part says which) and all
    reused unchanged (their rows are read back from that output) is linked, not written again."""
    cache = plan.cache if plan is not None else None
    intact = plan.intact if plan is not None else {}
    if not is_sharded("articles", shards) or "articles" not in intact or "outputs" not in cache.manifest:
        return set()
    articles = tables["articles"]["article_id"]
    held: list[list[str]] = [[] for _ in range(shards)]
    for article, shard in zip(articles.to_pylist(), shard_indices(articles, shards).to_pylist()):
        held[shard].append(article)
    article_parts = table_files("articles", shards)
    # The changed tables laid out as this build lays them out (computed once: the loop runs per shard).
    same_layout = [files for name in SHARDED_TABLES if name not in keep and name in intact
                   and set(intact[name]["files"]) == set(files := table_files(name, shards))]
    parts = set()
    for i in range(shards):
        if article_parts[i] not in intact["articles"]["files"] or not set(held[i]) <= reused.articles:
            continue
        try:
            before = pq.read_table(cache.output / article_parts[i], columns=["article_id"])["article_id"].to_pylist()
        except (OSError, pa.ArrowInvalid):
            continue
        if sorted(before) != sorted(held[i]):
            continue
        for files in same_layout:
            parts |= {files[i], files[shards + i]}
    return parts


def changes_since(plan: Plan | None, reused: Reuse, tables: dict[str, pa.Table],
                  keep: dict[str, OutputRecord]) -> Changes | None:
    """What changed since the last build, if there was one: its cache is saved only once its dataset
    passed every rule, and is ignored when the code (rules included) has changed since."""
    if plan is None or "outputs" not in plan.cache.manifest:
        return None
    articles = {a for a in tables["articles"]["article_id"].to_pylist() if a is not None}
    return Changes(frozenset(keep), frozenset(articles - reused.articles))


def remember(plan: Plan | None, compiled: Compiled, reused: Reuse, out: Path, hashes: FileHashes,
             shards: int = 1) -> list[str]:
    """Save what the build that just replaced ``out`` used and wrote, for the next one to reuse; the notes
    to tell the user (the build stands even if the cache cannot be saved)."""
    if plan is None:
        return []
    # Stats are taken now that the old output is gone: removing it changed the change time of the
    # files both shared (their link count).
    outputs = {
        name: OutputRecord(signature=sig,
                           files={rel: [stat_key(out / rel), hashes(rel)] for rel in table_files(name, shards)})
        for name, sig in reused.signatures.items()
    }
    files = compiled.files
    registry = {files.name(p): (plan.registry_shas[files.name(p)], result)
                for (_, p), result in zip(files.registry, compiled.registry)}
    articles = {res.file: plan.entries[res.file] if res.reused else _entry(res, plan.yaml_shas[res.file])
                for res in compiled.accepted}
    ids = {kind: set(values) for kind, values in compiled.index.ids.items()}
    try:
        plan.cache.save(registry, articles, ids, outputs)
    except OSError as exc:
        # The dataset is in place; an unsaved cache only makes the next build compile everything.
        return [f"build cache not saved ({exc.strerror}): the next build compiles every file again"]
    return []
