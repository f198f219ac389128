"""Sharded datasets (``diplonews build --shards N``): the tables keyed by article_id as N files each, by a
stable hash of the article ID; every reader reads both layouts and finds the same."""

from __future__ import annotations

import json
import shutil
import tarfile
from fnmatch import fnmatch
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

import diplonews
import diplonews.api
from diplonews.builders.pipeline import build
from diplonews.builders.publish import download as download_module
from diplonews.builders.publish.release import archive_root, release
from diplonews.builders.write import tables as write_module
from diplonews.builders.write.shards import SHARDED_TABLES, read_table, shard_of, table_files
from diplonews.builders.write.tables import write_tables
from diplonews.schema import TABLES
from diplonews.validators.dataset import validate_dataset, validate_published
from diplonews.validators.engines import engine_factory, table_paths
from diplonews.validators.integrity import DatasetFolderError

from .bench_support import REPO, bench_generator
from .test_download import serve  # noqa: F401 - the fixture serving a release on 127.0.0.1
from .test_metadata import offline  # noqa: F401 - the fixture failing any network access

N = 4



def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def reshard(src: Path, dst: Path, shards: int) -> Path:
    """The tables of the dataset in ``src`` (either layout) written again as ``shards`` shards."""
    tables = {name: read_table(name, paths) for name, paths in table_paths(src).items()}
    write_tables(tables, dst, {}, dst, shards=shards)
    return dst


@pytest.fixture(scope="module")
def sharded_seed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("shards") / "dataset"
    assert build(REPO / "seeds", out, use_cache=False, shards=N).written
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    """A generated corpus built single-file and sharded, and a copy with one violation of every rule
    planted, in both layouts."""
    root = tmp_path_factory.mktemp("generated")
    gen = bench_generator()
    gen.generate(0.0005, root / "clean")
    gen.generate(0.0005, root / "broken", inject=1, seeds=False)
    out = {"single": root / "single", "sharded": root / "sharded", "broken": root / "broken" / "dataset"}
    assert build(root / "clean" / "seeds", out["single"], use_cache=False).written
    assert build(root / "clean" / "seeds", out["sharded"], use_cache=False, shards=N).written
    out["broken_sharded"] = reshard(out["broken"], root / "broken_sharded", N)
    return out


def _findings(report):
    return [(f.rule, f.severity, f.table, f.key, f.message, f.file) for f in report.findings], report.counts


# -- the hash and the layout ---------------------------------------------------------------------

def test_the_shard_of_an_article_is_fixed_and_reproducible_in_sql():
    # sha256("2025-03-16-erdogan-trump-call-readout") starts 87eccd5ece7b102a: 9794... % 8 == 2
    assert shard_of("2025-03-16-erdogan-trump-call-readout", 8) == 2
    assert shard_of("2025-03-16-erdogan-trump-call-readout", 4) == 2
    assert shard_of("2025-03-16-erdogan-trump-call-readout", 3) == 0x87eccd5ece7b102a % 3
    ids = ["2025-03-16-erdogan-trump-call-readout", "a", "ü𝔘x", "bench-000123", ""]
    # The documented recipe, in DuckDB: the first 8 bytes of the SHA-256 of the UTF-8 bytes, modulo N.
    sql = "SELECT ('0x' || sha256(x)[1:16])::UBIGINT % 8 FROM unnest(?::VARCHAR[]) WITH ORDINALITY t(x, i) ORDER BY i"
    assert [r[0] for r in duckdb.sql(sql, params=[ids]).fetchall()] == [shard_of(i, 8) for i in ids]


def test_sharded_tables_are_those_with_an_article_id(repo):
    """The tables sharded are those docs/scale.md lists (derived from the models' article_id columns)."""
    assert set(SHARDED_TABLES) == {"articles", "actor_mentions", "event_mentions", "positions", "demands",
                                   "demand_addressees", "attribution_sources", "attributions", "event_relations",
                                   "errata"}
    listed = (repo / "docs" / "scale.md").read_text(encoding="utf-8").split("every table with an `article_id` column")[1]
    listed = listed.split(")")[0]
    assert all(f"`{name}`" in listed for name in SHARDED_TABLES)


def test_layout_on_disk(sharded_seed):
    files = _tree(sharded_seed)
    for t in TABLES:
        name = t.table_name
        on_disk = sorted(rel for rel in files if rel.count("/") and rel.split("/")[1] in
                         (name, f"{name}.parquet", f"{name}.json"))
        assert on_disk == sorted(table_files(name, N)), name
    assert table_files("articles", N)[1] == "parquet/articles/part-00001-of-00004.parquet"
    # Every article's rows are in the part its hash names.
    for name in SHARDED_TABLES:
        for i, part in enumerate(table_files(name, N)[:N]):
            ids = read_table(name, [sharded_seed / part])["article_id"].to_pylist()
            assert all(shard_of(a, N) == i for a in ids), (name, part)


def test_a_sharded_build_is_byte_identical_when_repeated(sharded_seed, tmp_path):
    again = tmp_path / "again"
    assert build(REPO / "seeds", again, use_cache=False, shards=N).written
    assert _tree(again) == _tree(sharded_seed)


def test_shards_must_be_a_positive_number(tmp_path, capsys):
    from diplonews.cli import main

    assert main(["build", "--out", str(tmp_path / "d"), "--shards", "0"]) != 0
    err = capsys.readouterr().err
    assert "number of shards" in err and "Traceback" not in err
    assert not (tmp_path / "d").exists()


# -- reading: validate, load, connect, site -------------------------------------------------------

def test_validate_finds_the_same_in_both_layouts(generated):
    clean = validate_published(generated["sharded"])
    assert clean.findings == [] and clean.counts == validate_published(generated["single"]).counts
    broken, broken_sharded = validate_dataset(generated["broken"]), validate_dataset(generated["broken_sharded"])
    assert broken.findings and _findings(broken_sharded) == _findings(broken)


def test_load_and_connect_give_the_same_tables(generated):
    single, sharded = diplonews.load(generated["single"]), diplonews.load(generated["sharded"])
    assert sorted(sharded) == sorted(single)
    for name in single:
        pd.testing.assert_frame_equal(sharded[name], single[name])
    a, b = diplonews.connect(generated["single"]), diplonews.connect(generated["sharded"])
    for t in TABLES:
        order = ", ".join(t.primary_key)
        query = f"SELECT * FROM {t.table_name} ORDER BY {order}"
        assert a.sql(query).fetchall() == b.sql(query).fetchall(), t.table_name


def test_the_site_reads_a_sharded_dataset(sharded_seed, tmp_path):
    from diplonews.site.build import build_site

    single = tmp_path / "single"
    assert build(REPO / "seeds", single, use_cache=False).written
    build_site(single, tmp_path / "site1")
    build_site(sharded_seed, tmp_path / "site4")
    assert _tree(tmp_path / "site4") == _tree(tmp_path / "site1")


# -- descriptors -----------------------------------------------------------------------------------

def _parts(folder: Path, kind: str, name: str) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in (folder / kind / name).iterdir())


def test_datapackage_lists_the_parts_and_validates(sharded_seed):
    from frictionless import Package

    package = json.loads((sharded_seed / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    for name in SHARDED_TABLES:
        assert resources[name]["path"] == _parts(sharded_seed, "json", name)
        assert resources[name]["format"] == "jsonl" and "hash" not in resources[name]
    assert resources["events"]["path"] == "json/events.json"
    report = Package(str(sharded_seed / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])[:5]
    rows = {r.name: len(r.read_rows()) for r in Package(str(sharded_seed / "datapackage.json")).resources}
    assert rows == {name: len(frame) for name, frame in diplonews.load(sharded_seed).items()}


def test_croissant_file_sets_include_exactly_the_parts(sharded_seed, offline):  # noqa: F811
    import mlcroissant as mlc

    doc = json.loads((sharded_seed / "croissant.json").read_text())
    sets = {d["@id"]: d for d in doc["distribution"] if d["@type"] == "cr:FileSet"}
    objects = {d["@id"] for d in doc["distribution"] if d["@type"] == "cr:FileObject"}
    assert sorted(sets) == sorted(f"{kind}/{name}" for name in SHARDED_TABLES for kind in ("json", "parquet"))
    on_disk = {p.relative_to(sharded_seed).as_posix() for p in sharded_seed.rglob("*") if p.is_file()}
    for fid, file_set in sets.items():
        matched = sorted(rel for rel in on_disk if fnmatch(rel, file_set["includes"]))
        assert matched == _parts(sharded_seed, *fid.split("/")), fid
    assert not any(rel.rpartition("/")[0] in sets for rel in objects)
    dataset = mlc.Dataset(jsonld=str(sharded_seed / "croissant.json"))
    records = list(dataset.records("actor_mentions"))
    assert len(records) == len(diplonews.load(sharded_seed)["actor_mentions"])


def test_card_data_files_globs_match_exactly_the_parts(sharded_seed):
    card = (sharded_seed / "README.md").read_text()
    meta = yaml.safe_load(card.split("---\n")[1])
    on_disk = {p.relative_to(sharded_seed).as_posix() for p in sharded_seed.rglob("*.parquet")}
    for config in meta["configs"]:
        pattern = config["data_files"][0]["path"]
        matched = sorted(rel for rel in on_disk if fnmatch(rel, pattern))
        assert matched == sorted(p for p in table_files(config["config_name"], N) if p.endswith(".parquet"))


# -- writing: failures, incremental rebuilds, releases ---------------------------------------------

def test_a_killed_sharded_write_leaves_the_previous_dataset(sharded_seed, tmp_path, monkeypatch):
    out = tmp_path / "dataset"
    shutil.copytree(sharded_seed, out)
    before = _tree(out)
    real, written = write_module.write_parquet, []

    def killed_midway(table, path, *args):
        written.append(path)
        if len(written) == 5:
            raise KeyboardInterrupt
        real(table, path, *args)

    monkeypatch.setattr(write_module, "write_parquet", killed_midway)
    with pytest.raises(KeyboardInterrupt):
        build(REPO / "seeds", out, use_cache=False, shards=8)
    assert _tree(out) == before
    assert not any(p.name.startswith(".dataset.build-") for p in tmp_path.iterdir())


def test_a_rebuild_rewrites_only_the_shards_whose_articles_changed(seeds_copy, tmp_path):
    out = tmp_path / "dataset"
    assert build(seeds_copy, out, shards=N).written
    inodes = {rel: (out / rel).stat().st_ino for rel in _tree(out)}
    changed = "2025-03-16-erdogan-trump-call-readout"
    with (seeds_copy / "annotations" / f"{changed}.yaml").open("a", encoding="utf-8") as f:
        f.write("# touched: the file changes, its rows do not\n")
    assert build(seeds_copy, out, shards=N).written
    rewritten = {rel for rel in inodes if rel.rpartition("/")[0].split("/")[-1] in SHARDED_TABLES
                 and (out / rel).stat().st_ino != inodes[rel]}
    part = f"part-{shard_of(changed, N):05d}-of-{N:05d}"
    assert rewritten == {rel for name in SHARDED_TABLES for rel in table_files(name, N) if part in rel}
    fresh = tmp_path / "fresh"
    assert build(seeds_copy, fresh, use_cache=False, shards=N).written
    assert _tree(out) == _tree(fresh)
    # Another number of shards is another layout: nothing of the old one is reused or left.
    assert build(seeds_copy, out, shards=2).written
    assert _tree(out) == _tree(reshard_build(seeds_copy, tmp_path / "two", 2))


def reshard_build(seeds: Path, out: Path, shards: int) -> Path:
    assert build(seeds, out, use_cache=False, shards=shards).written
    return out


def test_an_empty_part_is_refused_by_connect_before_any_query(tmp_path, sharded_seed):
    # A view over parts reads only the first part's schema when made: the empty part was found mid-query.
    copy = Path(shutil.copytree(sharded_seed, tmp_path / "dataset"))
    (copy / "parquet" / "articles" / f"part-00001-of-{N:05d}.parquet").write_bytes(b"")
    with pytest.raises(DatasetFolderError, match="table articles of .* cannot be read: .*too small to be a Parquet file"):
        diplonews.connect(copy)


def test_a_sharded_release_downloads_verifies_and_loads(tmp_path, serve, sharded_seed):  # noqa: F811
    dist = tmp_path / "dist"
    result = release(REPO / "seeds", dist, REPO, variant="full", shards=N)
    root = archive_root(diplonews.metadata.DATASET_VERSION, "full")
    with tarfile.open(result.archive) as tar:
        names = tar.getnames()
    assert f"{root}/parquet/articles/part-00000-of-{N:05d}.parquet" in names
    server = serve(dist)
    folder = download_module.download(diplonews.metadata.DATASET_VERSION, server.url, tmp_path / "cache",
                                       variant="full")
    assert download_module.verify_folder(folder) == []
    assert validate_published(folder).findings == []
    got, built = diplonews.load(folder), diplonews.load(sharded_seed)
    for name in built:
        pd.testing.assert_frame_equal(got[name], built[name])


def test_a_sharded_standoff_release_and_its_hydration(tmp_path):
    dist = tmp_path / "dist"
    result = release(REPO / "seeds", dist, REPO, variant="standoff", shards=N)
    with tarfile.open(result.archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    standoff = tmp_path / "unpacked" / archive_root(diplonews.metadata.DATASET_VERSION)
    assert len(table_paths(standoff)["positions"]) == N
    assert validate_published(standoff).findings == []
    withheld = diplonews.api.hydrate(standoff, REPO / "seeds" / "texts", tmp_path / "hydrated")
    assert withheld == []
    assert len(table_paths(tmp_path / "hydrated")["positions"]) == N
    single = tmp_path / "single"
    assert build(REPO / "seeds", single, use_cache=False).written
    for name, frame in diplonews.load(single).items():
        pd.testing.assert_frame_equal(diplonews.load(tmp_path / "hydrated")[name], frame)


# -- Spark ----------------------------------------------------------------------------------------

@pytest.mark.spark
def test_spark_finds_in_shards_what_duckdb_finds_in_one_file(generated, spark):
    engine = engine_factory("spark", spark=spark)
    for single, sharded in (("single", "sharded"), ("broken", "broken_sharded")):
        duck = validate_dataset(generated[single])
        assert _findings(validate_dataset(generated[sharded], engine=engine)) == _findings(duck), sharded
