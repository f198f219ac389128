"""Library functions behind the CLI: build, validate, load, connect."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    from pyspark.sql import SparkSession

    from diplonews.builders.authoring.registry_index import Registry
    from diplonews.builders.authoring.scaffold import NewArticle
    from diplonews.builders.interchange.to_yaml import ImportPlan
    from diplonews.builders.pipeline import BuildResult
    from diplonews.errors import UserError
    from diplonews.validators.findings import Report

_CHECKOUT = Path(__file__).resolve().parent.parent


def default_dataset_dir() -> Path:
    """The dataset folder of this checkout (``<repo>/dataset``)."""
    return _CHECKOUT / "dataset"


def build(seeds: str | Path = "seeds", out: str | Path = "dataset", use_cache: bool = True,
          on_wait: Callable[[str], None] | None = None,
          progress: Callable[[str, int, int], None] | None = None, shards: int = 1) -> BuildResult:
    """Compile annotation sources into a validated dataset folder (unchanged if anything fails).

    ``shards`` > 1 writes each table keyed by ``article_id`` as that many files, split by a hash of the
    ID (docs/scale.md); every reader here reads both layouts.

    Files unchanged since the last build are reused from the build cache next to ``out``. ``out``
    must be a new folder or a previous diplonews dataset; while another build of it runs, this one
    waits (``on_wait`` is told so). ``progress(stage, done, total)`` hears how far it has got.
    """
    from diplonews.builders.pipeline import build as _build

    return _build(Path(seeds), Path(out), use_cache, on_wait, progress, shards)


def is_sources(path: str | Path) -> bool:
    """Whether ``path`` is a folder of annotation sources (a seeds folder) rather than a built dataset."""
    from diplonews.validators.folder import LocalFolder

    return LocalFolder(Path(path)).holds_sources()


def validate(path: str | Path, progress: Callable[[str, int, int], None] | None = None, engine: str = "duckdb",
             spark: SparkSession | None = None, spark_master: str | None = None) -> Report:
    """Validate a dataset folder (its datapackage.json, SHA256SUMS and the cross-table SQL rules) or a
    seeds folder (source rules + a trial build); ``progress`` hears how far it has got.

    ``engine="spark"`` runs the cross-table rules of a dataset folder on Apache Spark, in ``spark`` (an
    existing SparkSession, e.g. a Databricks notebook's) or in one made on ``spark_master`` (default
    ``local[*]``); the findings are those of the default engine, DuckDB. Needs ``diplonews[spark]``.
    On Spark, ``path`` may be the URL of a dataset folder (``s3a://bucket/diplonews``, ``hdfs://...``,
    ``file:///...``; give it as a string): the folder checks read it through the session's Hadoop file
    systems and find what they find in the same folder on a local disk.
    """
    from diplonews.errors import UserError
    from diplonews.validators.engines import engine_factory
    from diplonews.validators.folder import is_url

    if is_url(path):
        return _validate_at_url(str(path), progress, engine, spark, spark_master)

    from diplonews.builders.write.output import restore_if_needed

    path = Path(path)
    restore_if_needed(path)  # a build cut short between two renames left the dataset beside it
    if not path.is_dir():
        raise UserError(f"{path} is not a folder", "give a seeds folder or a built dataset folder")
    if is_sources(path):
        if engine != "duckdb":
            raise UserError(f"{path} holds sources: the {engine} engine validates a built dataset folder",
                            "build it first (diplonews build), then validate the dataset folder")
        return _validate_seeds(path, progress)
    from diplonews.validators.dataset import validate_published

    make_engine = engine_factory(engine, spark, spark_master)
    return validate_published(path, progress, engine=make_engine)


def _validate_at_url(url: str, progress: Callable[[str, int, int], None] | None, engine: str,
                     spark: SparkSession | None, spark_master: str | None) -> Report:
    from diplonews.errors import UserError
    from diplonews.validators.engines import engine_factory

    if engine == "duckdb":
        raise UserError(f"{url} is a URL: the {engine} engine reads a local folder",
                        "validate a dataset folder at a URL with --engine spark (engine='spark'), or give a local "
                        "or mounted path (a seeds folder is always validated locally)")
    make_engine = engine_factory(engine, spark, spark_master)  # an unknown engine is refused here
    folder = make_engine.folder(url)  # the Spark engine's: read through its session
    if folder.holds_sources():
        raise UserError(f"{url} holds sources: a seeds folder is validated on a local disk",
                        "copy it here and run diplonews validate SEEDS, or build it and validate the dataset folder")
    from diplonews.validators.dataset import validate_published

    return validate_published(folder, progress, engine=make_engine)


def _validate_seeds(seeds: Path, progress: Callable[[str, int, int], None] | None) -> Report:
    import tempfile

    from diplonews.builders.pipeline import build as _build

    # A trial build into a scratch folder runs the source rules and the cross-table rules
    # on exactly what would be published, without touching the real dataset.
    with tempfile.TemporaryDirectory(prefix="diplonews-validate-") as tmp:
        return _build(seeds, Path(tmp) / "dataset", use_cache=False, progress=progress).report


def _folder(path: str | Path | None, version: str | None, url: str | None) -> Path:
    """The dataset folder to read: ``path``; else release ``version`` from ``url`` (either may be left
    out: this package's version, the default release URL; downloaded and verified, or from the cache);
    else this checkout's dataset/ when there is one; else this package's release."""
    from diplonews.builders.write.output import restore_if_needed
    from diplonews.errors import UserError

    if path is not None and (version is not None or url is not None):
        # a release to download would be ignored for the folder, silently
        raise UserError(f"give a folder ({path}) or a release to download ({version or url}), not both",
                        "read a folder with load(path) or connect(path); download with version= and/or url=")
    if path is not None:
        from diplonews.validators.folder import is_url

        if is_url(path):
            raise UserError(f"{path} is a URL: load() and connect() read a local or mounted folder",
                            "copy or mount the dataset folder locally (diplonews download fetches a release)")
        path = Path(path).expanduser()  # '~/data' as pandas and DuckDB read it
        restore_if_needed(path)  # a build cut short between two renames is undone before reading
        if path.is_file():  # a release archive, say: else 'cannot read <file>/datapackage.json'
            raise UserError(f"{path} is a file, not a dataset folder",
                            "give the folder holding datapackage.json (diplonews download unpacks a release "
                            "archive and prints its folder)")
        return path
    restore_if_needed(default_dataset_dir())
    if version is None and url is None and (default_dataset_dir() / "parquet").is_dir():
        return default_dataset_dir()
    from diplonews.builders.publish.download import download

    return download(version, url)


def load(
    path: str | Path | None = None, version: str | None = None, url: str | None = None,
    texts: str | Path | None = None,
) -> dict[str, pd.DataFrame]:
    """All tables datapackage.json describes, as pandas DataFrames with pyarrow-backed dtypes (the Arrow
    types :func:`connect` gives: enums as strings), keyed by table name; a folder without a readable
    datapackage.json is refused.

    ``version="0.1.0"`` loads that release (downloaded from ``url`` or the default release URL,
    checked against its SHA-256, cached in ``$DIPLONEWS_DATA_DIR`` or the user cache); ``url`` alone loads
    this package's version from there. A ``path`` with either is refused. ``texts``, a folder
    of texts you have, puts them back into a standoff release as :func:`hydrate` does, in memory.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    # Exactly the tables datapackage.json describes, never another file in the folder. The descriptor
    # is read with the standard library: the schema models (pydantic) would cost more than the tables.
    from diplonews.validators.integrity import parquet_tables

    folder = _folder(path, version, url)
    files = parquet_tables(folder)
    one_file = texts is None and all(len(parts) == 1 for parts in files.values())
    if not one_file:  # a sharded table's parts are joined in published order: the frames equal one file's
        from diplonews.builders.write.shards import read_table
    tables = {}
    for name, parts in files.items():
        try:
            tables[name] = pq.read_table(parts[0]) if one_file else read_table(name, parts)
        except (OSError, pa.ArrowException) as exc:  # a damaged or truncated table file
            raise _unreadable(folder, name, exc) from None
    if texts is not None:
        from diplonews.builders.publish.standoff import hydrate, match_texts

        tables = hydrate(tables, match_texts(Path(texts).expanduser(), tables))
    # Enums are dictionary-encoded in the files; pandas cannot sort, .str or min() a dictionary ArrowDtype
    # column, so they come as strings (the type connect() gives them too).
    plain = {name: pa.schema([f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f
                              for f in table.schema]) for name, table in tables.items()}
    return {name: table.cast(plain[name]).to_pandas(types_mapper=pd.ArrowDtype) for name, table in tables.items()}


def connect(
    path: str | Path | None = None, database: str = ":memory:", version: str | None = None, url: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per table datapackage.json describes, over its Parquet file or
    a sharded table's parts by absolute path (nothing is copied; a ``database`` file keeps the views);
    ``version`` as in :func:`load`."""
    import duckdb

    from diplonews.errors import UserError
    from diplonews.validators.engines import duckdb_file_list
    from diplonews.validators.integrity import parquet_tables

    # Views name their files when queried: by absolute path, so that they still read them after a change
    # of working directory, or from a database file opened elsewhere.
    folder = _folder(path, version, url).absolute()
    tables = parquet_tables(folder)
    con = duckdb.connect(database)
    con.execute("BEGIN TRANSACTION")  # a database file gets every view or, when one is refused, none
    try:
        for name, parts in tables.items():
            files = duckdb_file_list(parts)
            try:
                # A view reads its files only when queried (of a sharded table, only the first part's schema
                # now): every file's footer is read here, so an empty or truncated file is refused, not mid-query.
                con.execute(f"SELECT count(*) FROM parquet_file_metadata({files})").fetchall()
            except duckdb.Error as exc:
                raise _unreadable(folder, name, exc) from None
            try:
                con.execute(f'CREATE OR REPLACE VIEW "{name}" AS SELECT * FROM read_parquet({files})')
            except duckdb.CatalogException:  # a table (not a view) of that name in the database file
                raise UserError(f"the database {database} already holds {name}, which is not a view",
                                "give connect() a new database file, or none (in memory)") from None
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        con.close()
        raise
    return con


def _unreadable(folder: Path, table: str, exc: Exception) -> UserError:
    """The error for a file of ``table`` in ``folder`` that pyarrow or DuckDB could not read (``exc``)."""
    from diplonews.validators.integrity import REBUILD_HINT, DatasetFolderError

    why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return DatasetFolderError(f"table {table} of {folder} cannot be read: {why}",
                              f"the folder is damaged ('diplonews validate {folder}' lists every problem): "
                              + REBUILD_HINT)


def hydrate(standoff: str | Path, texts: str | Path, out: str | Path) -> list[str]:
    """Write to the new folder ``out`` the standoff dataset ``standoff`` with the texts under ``texts``
    (any names, each matched to its article by SHA-256) and their quotes put back; returns the IDs of
    articles whose text is still withheld. With every text, ``out`` is the full build byte for byte."""
    from diplonews.builders.publish.standoff import hydrate_folder

    return hydrate_folder(Path(standoff), Path(texts), Path(out))


def validate_article(seeds: str | Path, article_id: str) -> Report:
    """Check one article quickly: the registries, its annotation file, and the cross-table rules on it
    (their findings placed at the file and line of the source), through the build's own stages. A ``seeds``
    that is no seeds folder, or an article it does not hold, is a UserError."""
    import difflib

    from diplonews.builders.compile.common import require_seeds
    from diplonews.builders.pipeline import check_article
    from diplonews.errors import UserError

    seeds = Path(seeds)
    require_seeds(seeds, "validate's folder argument: diplonews validate DIR --article ID")
    known = sorted(p.stem for p in (seeds / "annotations").glob("*.yaml"))
    if article_id not in known:
        close = difflib.get_close_matches(article_id, known, n=1, cutoff=0.4)
        raise UserError(f"no article '{article_id}' in {seeds / 'annotations'}",
                        f"did you mean '{close[0]}'?" if close else "list them with: diplonews status")
    return check_article(seeds, article_id)


def status(seeds: str | Path = "seeds") -> list[dict]:
    """Per article: counts of confirmed annotations and of open suggestions, or the reason the file cannot
    be read. Raises UserError when ``seeds`` is not a seeds folder."""
    from diplonews.builders.compile.common import require_seeds
    from diplonews.builders.sources.yamlsource import SourceFileError, read_yaml

    require_seeds(Path(seeds))
    out = []
    for path in sorted((Path(seeds) / "annotations").glob("*.yaml")):
        try:
            data = read_yaml(path, str(path))
        except SourceFileError as exc:
            first = exc.findings[0]
            out.append({"article_id": path.stem, "error": first.message + (f" (line {first.line})" if first.line else "")})
            continue
        data = data if isinstance(data, dict) else {}
        row = {"article_id": path.stem}
        for key in ("actor_mentions", "event_mentions", "positions", "demands", "event_relations", "errata",
                    "suggestions"):
            value = data.get(key)
            row[key] = len(value) if isinstance(value, list) else 0
        out.append(row)
    return out


def new_article(seeds: str | Path, text_path: str | Path, **info) -> NewArticle:
    """Add a text to the corpus with a suggested annotation file (see ``diplonews new``)."""
    from diplonews.builders.authoring.scaffold import ArticleInfo
    from diplonews.builders.authoring.scaffold import new_article as _new

    return _new(Path(seeds), Path(text_path), ArticleInfo(**info))


def add_actor(seeds: str | Path, **entry) -> object:
    """Append a validated actor to the registry (see ``diplonews actor add``)."""
    from diplonews.builders.authoring.registry_edit import add_actor as _add

    return _add(Path(seeds), entry)


def add_event(seeds: str | Path, **entry) -> object:
    """Append a validated event to the registry (see ``diplonews event add``)."""
    from diplonews.builders.authoring.registry_edit import add_event as _add

    return _add(Path(seeds), entry)


def add_topic(seeds: str | Path, **entry) -> object:
    """Append a validated topic to the registry (see ``diplonews topic add``)."""
    from diplonews.builders.authoring.registry_edit import add_topic as _add

    return _add(Path(seeds), entry)


def registry_entries(seeds: str | Path, kind: str, query: str | None = None) -> list:
    """The registry entries of ``kind`` (actors, events or topics) of ``seeds``, all of them or those ``query``
    finds: an actor by ID, name or alias; an event by ID, type, summary, location, participant (ID, name or
    alias) or date (YYYY, YYYY-MM, YYYY-MM-DD); a topic by ID, label or description. Case and diacritics are
    ignored. A ``seeds`` that is no seeds folder, or a registry file that does not load, is a UserError (the
    latter at its file and line)."""
    from diplonews.builders.authoring.registry_index import search

    registry = _registry(seeds)
    return search(registry, kind, query) if query is not None else list(getattr(registry, kind))


def registry_nearest(seeds: str | Path, kind: str, query: str) -> str | None:
    """The ID, name, alias or label of ``kind`` nearest to a ``query`` that found nothing (for a hint), or None."""
    from diplonews.builders.authoring.registry_index import closest

    return closest(_registry(seeds), kind, query)


def _registry(seeds: str | Path) -> Registry:
    """The registries of ``seeds``; a folder that is no seeds folder is refused, not read as empty registries
    (a mistyped --seeds would list nothing and succeed)."""
    from diplonews.builders.authoring.registry_index import load_registry
    from diplonews.builders.compile.common import require_seeds

    require_seeds(Path(seeds))
    return load_registry(Path(seeds))


def interchange_formats() -> dict[str, str]:
    """The annotation-tool formats ``export`` and ``import`` speak, each with what its import reads (for CLI
    choices and help)."""
    from diplonews.builders.interchange import FORMATS

    return {name: f.reads for name, f in FORMATS.items()}


def export_annotations(fmt: str, out: str | Path, seeds: str | Path = "seeds",
                       articles: list[str] | None = None) -> list[Path]:
    """Write the texts and every span layer of ``articles`` (default: all) in an annotation tool's
    format (``brat``, ``labelstudio``, ``inception``) into ``out``, with the tool's configuration
    generated from the schema; returns the files written. Refused (UserError) before writing when an article does not load."""
    from diplonews.builders.interchange.formats import export_articles

    return export_articles(fmt, Path(seeds), Path(out), articles)


def import_annotations(fmt: str, path: str | Path, seeds: str | Path = "seeds", **new_article) -> list[ImportPlan]:
    """Turn what an annotation tool exported (``path``) into seeds/annotations/<id>.yaml: comment-preserving
    edits, all files checked first and written all or none; see :func:`import_summary`.

    A text not yet in the corpus is added as :func:`new_article` adds one when ``new_article`` gives at
    least its date (``date=``, or ``date_earliest=``, ``date_latest=``, ``date_basis="inferred"``,
    ``notes=[...]``; ``title=``, ``outlet=``, ...), and refused otherwise."""
    from diplonews.builders.interchange.formats import import_articles

    return import_articles(fmt, Path(path), Path(seeds), new_article or None)


def import_summary(plans: list[ImportPlan]) -> list[str]:
    """What an import changed, per file and layer, and the commands that would register new entries."""
    from diplonews.builders.interchange.to_yaml import summary

    return summary(plans)
