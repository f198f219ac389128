"""On Apache Spark (local[2]) the rules find exactly what they find on DuckDB: the same rows, messages,
order and counts, on the seed dataset, on a copy that breaks every rule, and on edge rows; and a dataset
folder given by URL is validated on Spark as the same folder given by path."""

from __future__ import annotations

import json
import random
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from diplonews import api
from diplonews.builders.pipeline import build
from diplonews.cli import main
from diplonews.errors import UserError
from diplonews.schema import TABLES
from diplonews.schema.fields import alias_key
from diplonews.validators import dataset
from diplonews.validators.dataset import Changes, validate_dataset
from diplonews.validators.dataset_rules import RULES
from diplonews.validators.dataset_rules import FOLDER_RULES
from diplonews.validators.engines import engine_factory, table_files_in

from .conftest import REPO
from .synthetic import BREAKS, make_rows, unreadable_copy, window_relation_rows, write_dataset

pytestmark = pytest.mark.spark


def _findings(report):
    return [(f.rule, f.severity, f.table, f.key, f.message) for f in report.findings], report.counts


def _same_on_both(folder, spark, **kwargs):
    duck = validate_dataset(folder, **kwargs)
    assert _findings(validate_dataset(folder, engine=engine_factory("spark", spark=spark), **kwargs)) == _findings(duck)
    return duck


def _seed_rows(seed_build):
    return {t.table_name: pq.read_table(seed_build / "parquet" / f"{t.table_name}.parquet").to_pylist()
            for t in TABLES}


def test_seed_dataset(seed_build, spark):
    _same_on_both(seed_build, spark)


def _every_rule_broken(seed_build):
    """The seed dataset's rows with every rule broken at once."""
    rows = _seed_rows(seed_build)
    for brk in BREAKS.values():
        brk(rows)
        # The next break takes the first row of a table again; another row keeps this break visible.
        for table in ("actor_mentions", "event_mentions"):
            rows[table].append(rows[table].pop(0))
    return rows


def test_every_rule_broken_at_once(seed_build, spark, tmp_path):
    report = _same_on_both(write_dataset(_every_rule_broken(seed_build), tmp_path / "broken"), spark)
    assert sorted(r.name for r in RULES if r.name not in report.by_rule()) == []


def test_relation_dates_on_windows(spark, tmp_path):
    """Windows, durations and open sides (datediff on both engines): the same three relations reported."""
    report = _same_on_both(write_dataset(window_relation_rows(), tmp_path / "windows"), spark)
    assert sorted(f.key.split("/")[1] for f in report.findings if f.rule == "relation_dates_consistent") == [
        "bad-duration", "bad-open-day", "bad-window"]


def _edge_rows():
    rows = make_rows(random.Random(14), n_articles=3, n_actors=4)
    article = rows["articles"][0]
    text = article["text"] = "𝔘nicode 𝄞 talks in İstanbul on Sunday\n" + article["text"]
    # text_sha256 no longer matches the text: text_hash_matches fires on both engines.
    mention = dict(rows["actor_mentions"][0], article_id=article["article_id"])
    rows["actor_mentions"] += [
        dict(mention, mention_id="bad/neg", span_start=-3, span_end=4, quote="𝔘nic"),
        dict(mention, mention_id="bad/reversed", span_start=9, span_end=2, quote="x"),
        dict(mention, mention_id="bad/empty", span_start=5, span_end=5, quote=""),
        dict(mention, mention_id="bad/beyond", span_start=0, span_end=len(text) + 1, quote=text),
        # Right in code points, and one off where a UTF-16 count would put it (after two astral characters).
        dict(mention, mention_id="astral/right", span_start=10, span_end=15, quote=text[10:15]),
        dict(mention, mention_id="astral/utf16", span_start=10, span_end=15, quote=text[12:17]),
    ]
    rows["articles"][1]["language"] = "en\n"  # a pattern that $ would let through
    rows["events"][0]["status"] = "occurred\n"  # an enum value with a trailing newline
    rows["positions"][0]["topic_id"] = rows["positions"][0]["target_actor_id"] = None
    actors = [a["actor_id"] for a in rows["actors"]]
    # The engines lowercase 'İ' and a final 'Σ' differently; the rules compare the key the build folded.
    rows["actor_aliases"] += [
        {"actor_id": a, "alias": alias, "alias_key": alias_key(alias)}
        for a, alias in zip(actors, ["İlhan", "ilhan", "ΣΑΜΑΡΑΣ", "σαμαρασ"])
    ]
    return rows


def _edge_dataset(folder, *breaks):
    """The edge rows, broken by ``breaks``, with rows whose keys are null added: the schema's columns
    are non-nullable, so those two tables are rewritten with the same types, nullable."""
    rows = _edge_rows()
    for brk in breaks:
        brk(rows)
    write_dataset(rows, folder)
    mention = rows["actor_mentions"][0]
    with_nulls = {
        "actor_mentions": [dict(mention, mention_id=None, span_start=0, span_end=1, quote="𝔘"),
                           dict(mention, mention_id=None, span_start=0, span_end=2, quote="x")],
        "actor_aliases": [{"actor_id": None, "alias": "ghost", "alias_key": "ghost"},
                          {"actor_id": None, "alias": "Ghost", "alias_key": "ghost"}],
    }
    for name, extra in with_nulls.items():
        path = folder / "parquet" / f"{name}.parquet"
        schema = pa.schema([f.with_nullable(True) for f in pq.read_schema(path)])
        pq.write_table(pa.Table.from_pylist(rows[name] + extra, schema=schema), path)
    return folder


def test_edge_rows(spark, tmp_path):
    report = _same_on_both(_edge_dataset(tmp_path / "edge"), spark)
    keys = {(f.rule, f.key) for f in report.findings}
    assert {("alias_maps_to_one_actor", "ilhan"), ("alias_maps_to_one_actor", "σαμαρασ"),
            ("quote_matches_span", "astral/utf16"), ("span_within_text", "bad/neg"),
            ("quote_matches_span", None), ("primary_key_unique", None)} <= keys
    assert ("quote_matches_span", "astral/right") not in keys
    messages = " ".join(f.message for f in report.findings)
    assert "'en\n' does not match" in messages and "'occurred\n' is not one of" in messages


def test_listing_cap_and_incremental_scope(spark, tmp_path, monkeypatch):
    folder = _edge_dataset(tmp_path / "edge", BREAKS["quote_matches_span"])
    article_id = pq.read_table(folder / "parquet" / "articles.parquet")["article_id"][0].as_py()
    monkeypatch.setattr(dataset, "SAMPLE_LIMIT", 1)  # counts stay exact beyond the listing
    changed = Changes(unchanged_tables=frozenset({"actors", "topics"}),
                      changed_articles=frozenset({article_id}))
    report = _same_on_both(folder, spark, changes=changed)
    listed = [f.rule for f in report.findings]
    assert any(count > listed.count(rule) for rule, count in report.counts.items()), report.counts


# -- a dataset folder at a URL ------------------------------------------------------------------------
# file:// URLs: Hadoop's LocalFileSystem, reached through the very calls an s3a:// or hdfs:// URL takes.

@pytest.fixture(scope="module")
def sharded_build(tmp_path_factory):
    """The seeds built as 3 shards."""
    out = tmp_path_factory.mktemp("sharded") / "dataset"
    assert build(REPO / "seeds", out, use_cache=False, shards=3).written
    return out


def _url(folder) -> str:
    """The file:// URL of a folder as written, not percent-encoded as Path.as_uri() does: Hadoop (and Spark)
    read a URL as written, so %20 would name a folder called '%20'."""
    posix = folder.as_posix()
    return "file://" + posix if posix.startswith("/") else "file:///" + posix


def _as_named_locally(report, url, folder):
    """A report's findings, counts and rules, with the folder named as a local run names it (messages and
    hints that name a file name it under the folder as given: its URL, or its path)."""
    def local(text):
        return text.replace(url, str(folder)) if text else text

    return ([(f.rule, f.severity, f.table, f.key, local(f.message), f.file, local(f.hint)) for f in report.findings],
            report.counts, report.rules_run)


def _same_by_url(folder, spark):
    """validate() of ``folder`` by path on DuckDB, and by its file:// URL on Spark: the same report."""
    url = _url(folder)
    local = api.validate(folder)
    assert _as_named_locally(api.validate(url, engine="spark", spark=spark), url, folder) == \
        _as_named_locally(local, url, folder)
    return local


@pytest.mark.parametrize("layout", ["single", "sharded"])
def test_a_dataset_at_a_url_is_validated_as_at_its_path(layout, seed_build, sharded_build, spark):
    folder = {"single": seed_build, "sharded": sharded_build}[layout]
    remote = engine_factory("spark", spark=spark).folder(_url(folder))
    assert len(table_files_in(remote)["articles"]) == (3 if layout == "sharded" else 1)  # shards found at the URL
    report = _same_by_url(folder, spark)
    assert report.rules_run[:len(FOLDER_RULES)] == [r.name for r in FOLDER_RULES] and len(report.rules_run) > 20
    assert report.ok, report.render()
    if layout == "sharded":  # by path on Spark too (the single-file seed dataset: test_seed_dataset)
        assert _findings(api.validate(folder, engine="spark", spark=spark)) == _findings(report)


def test_every_rule_broken_at_a_url(seed_build, spark, tmp_path):
    report = _same_by_url(write_dataset(_every_rule_broken(seed_build), tmp_path / "broken"), spark)
    assert sorted(r.name for r in RULES if r.name not in report.by_rule()) == []


def _break_tables_and_files(folder):
    """A tampered part, an undescribed Parquet file, a missing part, a column of the wrong type, a cut
    Parquet file, and a Hadoop checksum file (which Hadoop's file:// file system would hide)."""
    parts = folder / "parquet" / "actor_mentions"
    (parts / "part-00000-of-00003.parquet").write_bytes((parts / "part-00001-of-00003.parquet").read_bytes())
    shutil.copyfile(folder / "parquet" / "events.parquet", folder / "parquet" / "secret.parquet")
    (folder / "parquet" / "positions" / "part-00002-of-00003.parquet").unlink()
    topics = pq.read_table(folder / "parquet" / "topics.parquet")
    pq.write_table(topics.set_column(0, topics.field(0).name, topics.column(0).cast(pa.large_string())),
                   folder / "parquet" / "topics.parquet")
    roles = folder / "parquet" / "actor_roles.parquet"
    roles.write_bytes(roles.read_bytes()[-40:])  # its last bytes: the footer's length and PAR1, footer cut
    (folder / "parquet" / ".events.parquet.crc").write_bytes(b"crc\x00")


def _break_descriptor(folder):
    """A datapackage.json naming a table file as ./json/... (which a local file system resolves and a
    listing does not: not a path of the folder in one spelling), and a table file gone."""
    descriptor = folder / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    assert '"path": "json/events.json"' in text
    descriptor.write_text(text.replace('"path": "json/events.json"', '"path": "./json/events.json"'),
                          encoding="utf-8")
    (folder / "parquet" / "errata.parquet").unlink()


def test_broken_folders_at_a_url(seed_build, sharded_build, spark, tmp_path, capsys):
    # Folder names with a space and letters outside ASCII, as a URL names them (not percent-encoded).
    tables = shutil.copytree(sharded_build, tmp_path / "tables dépôt")
    _break_tables_and_files(tables)
    fired = {(f.rule, f.file or f.table) for f in _same_by_url(tables, spark).errors}
    assert {("checksums_match", "parquet/actor_mentions/part-00000-of-00003.parquet"),
            ("checksums_match", "parquet/secret.parquet"), ("no_undescribed_files", "parquet/secret.parquet"),
            ("checksums_match", "parquet/positions/part-00002-of-00003.parquet"),
            ("table_files_match_schema", "topics"), ("table_files_match_schema", "actor_roles"),
            ("checksums_match", "parquet/.events.parquet.crc")} <= fired, fired

    descriptor = shutil.copytree(seed_build, tmp_path / "descriptor ü")
    _break_descriptor(descriptor)
    fired = {(f.rule, f.file or f.table) for f in _same_by_url(descriptor, spark).errors}
    assert {("datapackage_readable", "datapackage.json"), ("checksums_match", "datapackage.json"),
            ("checksums_match", "parquet/errata.parquet"), ("table_files_match_schema", "errata")} <= fired, fired

    # The command line, given the URL: the same JSON report, exit code 1, no traceback.
    url = _url(descriptor)
    assert main(["validate", url, "--engine", "spark", "--format", "json"]) == 1
    by_url = capsys.readouterr()
    assert main(["validate", str(descriptor), "--format", "json"]) == 1
    by_path = capsys.readouterr().out
    assert json.loads(by_url.out.replace(url, str(descriptor))) == json.loads(by_path)
    assert "Traceback" not in by_url.err


def test_what_a_url_that_is_no_dataset_folder_gives(seed_build, spark):
    for url, refusal in [(_url(seed_build / "nothing"), "does not exist"),
                         (_url(seed_build / "datapackage.json"), "is a file, not a folder"),
                         (_url(REPO / "seeds"), "holds sources: a seeds folder is validated on a local disk"),
                         ("nosuchscheme://bucket/diplonews", "cannot read nosuchscheme://bucket/diplonews")]:
        with pytest.raises(UserError, match=refusal) as refused:
            api.validate(url, engine="spark", spark=spark)
        assert refused.value.hint, url
    assert "connector" in refused.value.hint  # a scheme Spark has no file system for


def test_a_folder_named_with_glob_characters_is_read_as_named(seed_build, sharded_build, spark, tmp_path):
    # Beside each lies the folder its name matches as a Hadoop glob, with Parquet files no one can read.
    for name, built, neighbour in (("y*z", seed_build, "yaz"), ("s[1]", sharded_build, "s1"),
                                   ("c{a,b}", seed_build, "ca"), ("q?r", sharded_build, "qbr")):
        folder = tmp_path / name
        shutil.copytree(built, folder)
        unreadable_copy(built, tmp_path / neighbour)
        report = _same_by_url(folder, spark)  # by path on DuckDB, by URL on Spark
        assert report.ok, report.render()
        assert _findings(api.validate(folder, engine="spark", spark=spark)) == _findings(report)
