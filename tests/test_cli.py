"""The command line: version, help, what validate checked, which rules exist, progress."""

from __future__ import annotations

import argparse
import io

import pytest

from diplonews.builders.pipeline import build
from diplonews.cli import main, parser, progress_bar
from diplonews.schema import TABLES
from diplonews.validators.dataset_rules import RULES


def test_validate_says_what_it_checked(repo, seed_build, capsys):
    assert main(["validate", str(repo / "seeds"), str(seed_build)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (f"checked {repo / 'seeds'} (annotation sources: source rules, then the cross-table rules on a "
                    f"trial build); {seed_build} (built dataset: descriptor, checksums, table files, then the "
                    "cross-table rules)")


def test_schema_check_says_what_it_checked(repo, capsys):
    assert main(["schema", "--check", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("checked ") and out.rstrip().endswith("all up to date")


def test_version_and_help_on_every_option(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("diplonews ")

    def missing(p: argparse.ArgumentParser, name: str) -> list[str]:
        out = []
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub, subparser in action.choices.items():
                    out += missing(subparser, f"{name} {sub}")
            elif action.help is None:
                out.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
        return out

    assert missing(parser(), "diplonews") == []


def test_build_tells_its_progress_and_draws_it_only_on_a_terminal(repo, tmp_path, capsys):
    calls = []
    assert build(repo / "seeds", tmp_path / "a", use_cache=False, progress=lambda *c: calls.append(c)).written
    compiling = [(done, total) for stage, done, total in calls if stage == "compiling"]
    writing = [(done, total) for stage, done, total in calls if stage == "writing"]
    files = len(list((repo / "seeds" / "annotations").glob("*.yaml"))) + 3  # and the three registries
    assert compiling[-1] == (files, files) and [d for d, _ in compiling] == sorted(d for d, _ in compiling)
    assert writing[-1] == (2 * len(TABLES), 2 * len(TABLES))
    rules = [(done, total) for stage, done, total in calls if stage == "validating"]
    assert rules[-1] == (len(RULES), len(RULES)) and len(rules) == len(RULES)

    assert main(["build", "--seeds", str(repo / "seeds"), "--out", str(tmp_path / "b")]) == 0
    assert capsys.readouterr().err == ""  # not a terminal: no bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    with progress_bar(screen) as update:
        update("compiling", 1, 2)
    assert "compiling" in screen.getvalue()
    with progress_bar(io.StringIO()) as update:
        assert update is None


def test_a_reader_that_goes_away_is_no_traceback():
    """`diplonews rules | head -1`: the pipe closes before everything is written."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "diplonews.cli", "rules"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the command writes
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141
    assert err == b""


def test_rules_json_lists_exactly_the_rules_validate_runs(repo, seed_build, capsys):
    import json

    from diplonews import api

    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    ran = {*api.validate(seed_build).rules_run, *api.validate(repo / "seeds").rules_run}
    assert {r["name"] for r in listed} == ran
    assert len({r["name"] for r in listed}) == len(listed) and all(r["why"] for r in listed)
    assert {r["checks"] for r in listed} == {"source", "files", "tables"}


def test_enum_values_in_help_come_from_the_schema(capsys):
    from diplonews.schema.enums import EventStatus

    with pytest.raises(SystemExit):
        main(["event", "add", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "one of: " + ", ".join(s.value for s in EventStatus) in help_text


def test_import_help_says_what_path_is_for_every_format(capsys):
    from diplonews.api import interchange_formats

    with pytest.raises(SystemExit):
        main(["import", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    path_help = help_text[help_text.index("path what the tool exported ("):help_text.index("-h, --help")]
    for fmt in interchange_formats():
        assert f"{fmt}: " in path_help, fmt


def test_limit_is_a_count_of_findings_and_refuses_a_negative(repo, tmp_path, capsys):
    import shutil

    damaged = tmp_path / "dataset"
    shutil.copytree(repo / "dataset", damaged)
    (damaged / "json" / "events.json").write_text("[]\n")
    assert main(["validate", str(damaged), "--limit", "0"]) == 1
    hidden, summary = capsys.readouterr().out.splitlines()[:2]  # 0: no finding, only how many there are
    assert hidden.startswith("... and ") and summary.startswith(f"{hidden.split()[2]} error(s), 0 warning(s)")
    # -1 printed every finding but the last, then '... and 1 more'
    for command in (["validate", str(damaged)], ["build", "--seeds", str(repo / "seeds"), "--out", str(tmp_path / "b")]):
        with pytest.raises(SystemExit) as done:
            main([*command, "--limit", "-1"])
        err = capsys.readouterr().err.splitlines()
        assert done.value.code == 2 and err[-1].endswith("argument --limit: '-1' is not a count: give a whole number, "
                                                         "0 or more")
    assert not (tmp_path / "b").exists()


def test_validate_article_refuses_more_than_one_folder(capsys):
    assert main(["validate", "--article", "2025-03-16-erdogan-trump-call-readout", "seeds", "dataset"]) == 1
    err = capsys.readouterr().err
    assert "one seeds folder; 2 folders were given" in err and "hint:" in err


def test_validate_article_with_an_empty_id_is_refused_not_the_whole_folder(capsys):
    assert main(["validate", "--article", "", "seeds"]) == 1
    err = capsys.readouterr().err
    assert "no article ''" in err and "hint:" in err
