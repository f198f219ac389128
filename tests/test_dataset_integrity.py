"""A dataset folder as published: ``diplonews validate DIR`` checks its datapackage.json and SHA256SUMS
(the folder rules), and ``load``/``connect`` read only the tables the datapackage describes.

Each test copies a fresh build of the seeds and damages one thing; every folder rule fires on its
damage and stays quiet on the fresh build.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from diplonews import api
from diplonews.cli import main
from diplonews.errors import UserError
from diplonews.validators.dataset import validate_dataset
from diplonews.validators.dataset_rules import FOLDER_RULES, RULES
from diplonews.validators.integrity import DatasetFolderError

from .synthetic import make_rows, unreadable_copy, write_dataset

FOLDER_RULE_NAMES = [r.name for r in FOLDER_RULES]


@pytest.fixture
def copy(seed_build, tmp_path) -> Path:
    """A writable copy of a fresh build."""
    return Path(shutil.copytree(seed_build, tmp_path / "dataset"))


def _fired(folder: Path) -> dict[str, list[str | None]]:
    """The files each rule reported on, for the rules that reported an error."""
    out: dict[str, list[str | None]] = {}
    for f in api.validate(folder).errors:
        out.setdefault(f.rule, []).append(f.file)
    return out


def _edit_datapackage(folder: Path, edit) -> None:
    path = folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    edit(package)
    path.write_text(json.dumps(package), encoding="utf-8")


def test_folder_rules_explain_themselves_and_are_new_names():
    assert len(set(FOLDER_RULE_NAMES)) == len(FOLDER_RULE_NAMES)
    assert not set(FOLDER_RULE_NAMES) & {r.name for r in RULES}
    for rule in FOLDER_RULES:
        assert rule.why.endswith(".") and len(rule.why) > 20, rule.name


@pytest.mark.parametrize("rule", FOLDER_RULE_NAMES)
def test_folder_rule_quiet_on_a_fresh_build(rule, seed_build):
    report = api.validate(seed_build)
    assert rule in report.rules_run
    assert rule not in report.by_rule(), report.render()
    assert report.errors == [], report.render()


def test_extra_parquet_table_is_an_error_and_never_loaded(copy):
    shutil.copyfile(copy / "parquet" / "events.parquet", copy / "parquet" / "secret.parquet")
    fired = _fired(copy)
    assert fired["no_undescribed_files"] == ["parquet/secret.parquet"]
    assert "parquet/secret.parquet" in fired["checksums_match"]  # not listed in SHA256SUMS either
    assert "secret" not in api.load(copy)
    views = api.connect(copy).execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    assert "secret" not in {v for (v,) in views}


def test_extra_json_table_is_an_error(copy):
    (copy / "json" / "secret.json").write_text("[]\n")
    assert _fired(copy)["no_undescribed_files"] == ["json/secret.json"]


def test_unparseable_datapackage_is_an_error_and_load_refuses_it(copy):
    (copy / "datapackage.json").write_text("{ this is not JSON", encoding="utf-8")
    fired = _fired(copy)
    assert fired["datapackage_readable"] == ["datapackage.json"]
    assert fired["checksums_match"] == ["datapackage.json"]  # its bytes changed, too
    for read in (api.load, api.connect):
        with pytest.raises(DatasetFolderError, match="datapackage.json is not valid JSON") as caught:
            read(copy)
        assert isinstance(caught.value, UserError) and caught.value.hint


def test_missing_datapackage_is_an_error_and_load_refuses_it(copy):
    (copy / "datapackage.json").unlink()
    assert _fired(copy)["datapackage_readable"] == ["datapackage.json"]
    with pytest.raises(DatasetFolderError, match="no tables in .*: it has no datapackage.json"):
        api.load(copy)


def test_datapackage_without_resources_is_unreadable(copy):
    _edit_datapackage(copy, lambda p: p.pop("resources"))
    assert "datapackage_readable" in _fired(copy)
    with pytest.raises(DatasetFolderError, match="lists no resources"):
        api.connect(copy)


def test_resource_path_outside_the_folder_is_unreadable(copy):
    _edit_datapackage(copy, lambda p: p["resources"][0].update(path="../outside.json"))
    assert "datapackage_readable" in _fired(copy)


def test_datapackage_leaving_out_a_table_is_an_error_and_load_skips_it(copy):
    _edit_datapackage(copy, lambda p: p.update(resources=[r for r in p["resources"] if r["name"] != "demands"]))
    fired = _fired(copy)
    assert fired["datapackage_matches_schema"] == ["datapackage.json"]
    # Its files are now described by nothing.
    assert sorted(fired["no_undescribed_files"]) == ["json/demands.json", "parquet/demands.parquet"]
    assert "demands" not in api.load(copy)


def test_datapackage_describing_an_unknown_table_is_an_error(copy):
    shutil.copyfile(copy / "json" / "topics.json", copy / "json" / "extra.json")
    shutil.copyfile(copy / "parquet" / "topics.parquet", copy / "parquet" / "extra.parquet")
    _edit_datapackage(copy, lambda p: p["resources"].append({"name": "extra", "path": "json/extra.json"}))
    fired = _fired(copy)
    assert fired["datapackage_matches_schema"] == ["datapackage.json"]
    assert "no_undescribed_files" not in fired  # described, yet not a table of the schema
    assert "extra" in api.load(copy)  # what the descriptor says is what load() gives


def test_described_table_without_its_parquet_file_is_refused_by_load(copy):
    (copy / "parquet" / "events.parquet").unlink()
    assert "table_files_match_schema" in _fired(copy)
    with pytest.raises(DatasetFolderError, match="describes parquet/events.parquet, which is missing"):
        api.load(copy)


@pytest.mark.parametrize("damage", ["truncated", "empty"])
@pytest.mark.parametrize("reader", [api.load, api.connect])
def test_damaged_parquet_file_is_refused_with_a_hint(copy, damage, reader):
    # load() raised pyarrow's ArrowInvalid, connect() DuckDB's error: not a UserError, no hint.
    path = copy / "parquet" / "events.parquet"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"")
    with pytest.raises(DatasetFolderError, match=f"table events of {copy} cannot be read") as caught:
        reader(copy)
    assert "diplonews validate" in caught.value.hint


def test_wrong_checksum_is_an_error(copy):
    readme = copy / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert _fired(copy) == {"checksums_match": ["README.md"]}


def test_missing_listed_file_is_an_error(copy):
    (copy / "figures" / "network.svg").unlink()
    assert _fired(copy) == {"checksums_match": ["figures/network.svg"]}


def test_unlisted_file_is_an_error(copy):
    (copy / "notes.txt").write_text("not part of the dataset\n")
    assert _fired(copy) == {"checksums_match": ["notes.txt"]}


def test_missing_or_malformed_sha256sums_is_an_error(copy):
    sums = copy / "SHA256SUMS"
    lines = sums.read_text(encoding="utf-8").splitlines()
    sums.write_text("\n".join(["not a checksum line", *lines[1:]]) + "\n", encoding="utf-8")
    fired = _fired(copy)["checksums_match"]
    assert "SHA256SUMS" in fired and lines[0].split("  ")[1] in fired  # the malformed line; its file now unlisted
    sums.unlink()
    assert _fired(copy) == {"checksums_match": ["SHA256SUMS"]}


def test_datapackage_hash_is_checked_even_when_sha256sums_was_redone(copy):
    from diplonews.builders.publish.package import sha256sums

    (copy / "json" / "topics.json").write_text("[]\n")
    (copy / "SHA256SUMS").write_text(sha256sums(copy), encoding="utf-8")
    fired = _fired(copy)
    assert fired["checksums_match"] == ["json/topics.json"]


def test_build_check_on_tables_alone_is_unchanged(tmp_path):
    # The build validates its tables before writing datapackage.json and SHA256SUMS: the folder
    # rules are not part of that check, only of validating a finished folder.
    folder = write_dataset(make_rows(random.Random(9)), tmp_path / "tables-only")
    report = validate_dataset(folder)
    assert report.ok and not set(FOLDER_RULE_NAMES) & set(report.rules_run)
    assert {"datapackage_readable", "checksums_match"} <= set(_fired(folder))


def test_cli_validate_reports_a_damaged_folder_without_traceback(copy, capsys):
    (copy / "datapackage.json").write_text("[]", encoding="utf-8")
    assert main(["validate", str(copy)]) == 1
    out = capsys.readouterr()
    assert "[datapackage_readable]" in out.out and "Traceback" not in out.out + out.err


@pytest.mark.parametrize("name", ["y*z", "x[1]", "q?r"])
def test_a_folder_named_with_glob_characters_is_read_as_named(name, seed_build, tmp_path):
    # Beside it lies the folder its name matches as a glob ('yaz', 'x1', 'qbr'), with files no one can read.
    shutil.copytree(seed_build, tmp_path / name)
    unreadable_copy(seed_build, tmp_path / name.replace("*", "a").replace("[1]", "1").replace("?", "b"))
    report = api.validate(tmp_path / name)
    assert report.ok, report.render()
    articles = len(api.load(tmp_path / name)["articles"])
    assert api.connect(tmp_path / name).execute("SELECT count(*) FROM articles").fetchone()[0] == articles > 0


def test_a_glob_character_beside_a_backslash_is_refused(seed_build, tmp_path):
    # DuckDB splits such a path at the backslash and finds nothing: said so, not reported as missing files.
    folder = tmp_path / "a\\b" / "y*z"
    shutil.copytree(seed_build, folder)
    with pytest.raises(UserError, match="backslash"):
        api.validate(folder)
    with pytest.raises(UserError, match="backslash"):
        api.connect(folder)
