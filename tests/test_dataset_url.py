"""A dataset folder given by URL (issue 14), without Java: what counts as a URL, what is refused
before any Spark starts, and the order in which both kinds of folder list their files. The URL itself,
read through Spark's Hadoop file systems, is checked in tests/test_spark_parity.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplonews import api
from diplonews.cli import main
from diplonews.errors import UserError
from diplonews.validators.engines import table_files_in, table_paths
from diplonews.validators.folder import LocalFolder, in_path_order, is_url


@pytest.mark.parametrize("location", [
    "s3a://bucket/diplonews", "hdfs://namenode:8020/data/diplonews", "abfss://c@account.dfs.core.windows.net/d",
    "gs://bucket/d", "file:///tmp/dataset", "file:/tmp/dataset", "dbfs:/mnt/diplonews", "S3A://Bucket/x",
])
def test_a_scheme_and_a_slash_make_a_url(location):
    assert is_url(location)


@pytest.mark.parametrize("location", [
    "dataset", "./dataset", "/data/diplonews", "C:\\data\\diplonews", "C:/data/diplonews", "c:dataset",
    "my:folder", "data/s3a://x", "", Path("dataset"),
])
def test_a_local_path_is_no_url(location):
    # A drive letter is one letter, so Windows paths stay paths; a colon without a slash is a file name.
    assert not is_url(location)


def test_a_url_on_the_duckdb_engine_is_refused_with_a_hint():
    with pytest.raises(UserError, match="s3a://bucket/diplonews is a URL: the duckdb engine reads a local") as refused:
        api.validate("s3a://bucket/diplonews")
    assert "--engine spark" in refused.value.hint and "local or mounted path" in refused.value.hint
    # A seeds folder at a URL is refused alike: sources are validated on a local disk.
    assert "seeds folder is always validated locally" in refused.value.hint


def test_the_cli_keeps_a_url_whole_and_refuses_it_without_a_traceback(capsys):
    assert main(["validate", "hdfs://namenode:8020/data/diplonews"]) != 0
    out = capsys.readouterr()
    # Not 'hdfs:/namenode...': a Path would have folded the double slash.
    assert "hdfs://namenode:8020/data/diplonews is a URL" in out.err + out.out
    assert "Traceback" not in out.err + out.out


def test_a_local_folder_cannot_be_named_by_url():
    with pytest.raises(UserError, match="is a URL") as refused:
        LocalFolder("s3a://bucket/diplonews")
    assert "--engine spark" in refused.value.hint


@pytest.mark.parametrize("read", [api.load, api.connect])
def test_load_and_connect_refuse_a_url_without_folding_it(read):
    with pytest.raises(UserError, match="s3a://bucket/diplonews is a URL"):
        read("s3a://bucket/diplonews")


def test_files_come_in_the_order_rglob_sorted_them(tmp_path):
    for rel in ("a-c", "a/x", "a/b-c/d", "a/b/c", "B", ".hidden", "json/x/part-1.jsonl", "json/x.json"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    listed = LocalFolder(tmp_path).files()
    assert listed == [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    # The order a remote listing is put in (part by part: 'a/b...' before 'a-c', which plain string order reverses).
    assert in_path_order(sorted(listed, reverse=True)) == listed
    assert listed.index("a/b/c") < listed.index("a-c") and sorted(listed).index("a/b/c") > sorted(listed).index("a-c")


def test_shards_are_found_through_the_folder(tmp_path):
    parts = tmp_path / "parquet" / "articles"
    parts.mkdir(parents=True)
    for name in ("part-00001-of-00002.parquet", "part-00000-of-00002.parquet", "notes.txt"):
        (parts / name).write_text("x")
    rels = table_files_in(LocalFolder(tmp_path))
    assert rels["articles"] == ["parquet/articles/part-00000-of-00002.parquet",
                                "parquet/articles/part-00001-of-00002.parquet"]
    assert rels["events"] == ["parquet/events.parquet"]
    # The paths an engine reads start as the folder was given (DuckDB and Spark read them as such).
    assert table_paths(tmp_path)["events"] == [f"{tmp_path.as_posix()}/parquet/events.parquet"]
    assert table_paths(f"{tmp_path}/")["articles"][0] == f"{tmp_path.as_posix()}/{rels['articles'][0]}"


def test_an_unknown_engine_is_named_as_such_for_a_url_too():
    with pytest.raises(UserError, match="unknown engine 'postgres'"):
        api.validate("s3a://bucket/diplonews", engine="postgres")
