"""The authoring commands (new, actor add, event add, topic add) write nothing `diplonews validate` then refuses
for a reason they could have checked: they refuse it first, with one line and a hint, and change nothing."""

from __future__ import annotations

import shlex
import shutil
from datetime import date
from pathlib import Path

import pytest

from diplonews import api
from diplonews.cli import main
from diplonews.errors import UserError
from diplonews.schema.annotation import ActorRegistry, AnnotationFile, EventRegistry, TopicRegistry
from diplonews.validators.source_rules import PATTERN_HINTS

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "fidan-kallas-call.txt"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _refused(capsys, seeds: Path, *argv: str) -> tuple[str, str]:
    """The message and hint of a command that must refuse and leave ``seeds`` as it was."""
    before = _files(seeds)
    status, _, err = _run(capsys, *argv)
    assert status == 1 and "Traceback" not in err, err
    assert _files(seeds) == before, "a refused command must change nothing"
    message, hint = err.rstrip("\n").split("\n  hint: ")
    assert message.startswith("error: ") and "\n" not in message, err
    return message, hint


# --- new -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("options,message,hint", [
    (["--language", "english"], "--language 'english': String should match pattern", "language codes are ISO 639"),
    (["--language", "EN"], "--language 'EN'", "language codes"),
    (["--title", "x" * 20_001], "--title xxxx", "a value this long is a mistake"),
    (["--outlet", "\udcff"], "--outlet '\\udcff'", "UTF-8"),  # an argument of bytes that are not UTF-8
    (["--date-basis", "inferred", "--date-earliest", "2025-06-13", "--date-latest", "2025-06-14", "--note", "n"],
     "--date is a date the article states", "--date-earliest"),
])
def test_new_refuses_option_values_validate_would_refuse(seeds_copy, capsys, options, message, hint):
    got, got_hint = _refused(capsys, seeds_copy, "new", str(EXAMPLE), "--seeds", str(seeds_copy), "--date",
                             "2025-06-14", *options)
    assert message in got and hint in got_hint


def test_a_language_that_does_not_match_gets_a_hint_about_language_codes(seeds_copy):
    made = api.new_article(seeds_copy, EXAMPLE, date=date(2025, 6, 14))
    path = made.annotation_path
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: english"), encoding="utf-8")
    [error] = api.validate_article(seeds_copy, made.article_id).errors
    assert "article.language" in error.message and "language codes are ISO 639" in error.hint


def _patterns(schema: dict) -> set[str]:
    found = set()
    if isinstance(schema, dict):
        found |= {schema["pattern"]} if isinstance(schema.get("pattern"), str) else set()
        for value in schema.values():
            found |= _patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= _patterns(value)
    return found


def test_every_pattern_of_the_sources_has_its_hint():
    models = (AnnotationFile, ActorRegistry, EventRegistry, TopicRegistry)
    assert set().union(*(_patterns(m.model_json_schema()) for m in models)) <= set(PATTERN_HINTS)


# --- messages name the seeds folder given ------------------------------------------------------------

def test_messages_and_next_steps_name_the_seeds_folder_given(tmp_path, repo, capsys):
    seeds = tmp_path / "my seeds"
    shutil.copytree(repo / "seeds", seeds)
    status, out, _ = _run(capsys, "new", str(EXAMPLE), "--date", "2025-06-14", "--seeds", str(seeds))
    assert status == 0
    article_id = out.split()[2]
    check = f"diplonews validate '{seeds}' --article {article_id}"
    assert out.splitlines()[-1].endswith(f"then: {check}")
    header = (seeds / "annotations" / f"{article_id}.yaml").read_text(encoding="utf-8")
    assert f"Read the text: {seeds}/texts/{article_id}.txt" in header
    assert f"Check often:   {check}" in header and f"When done:     diplonews build --seeds '{seeds}'" in header
    assert main(shlex.split(check)[1:]) == 0  # the command as printed runs
    capsys.readouterr()
    message, _ = _refused(capsys, seeds, "new", str(EXAMPLE), "--date", "2025-06-14", "--seeds", str(seeds))
    assert f"already in the corpus as {seeds}/texts/{article_id}.txt" in message
    _, hint = _refused(capsys, seeds, "event", "add", "--seeds", str(seeds), "--id", "x", "--type", "visit",
                       "--status", "occurred", "--basis", "stated", "--summary", "x", "--date", "2025-03-10",
                       "--participant", "zzqxv:participant")
    assert hint == f"list them with: diplonews actor list --seeds '{seeds}'"


def test_with_the_default_seeds_folder_the_commands_are_as_documented(tmp_path, repo, capsys, monkeypatch):
    shutil.copytree(repo / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    status, out, _ = _run(capsys, "new", str(EXAMPLE), "--date", "2025-06-14")
    article_id = out.split()[2]
    assert status == 0 and out.splitlines()[-1] == (f"next: edit seeds/annotations/{article_id}.yaml, then: "
                                                    f"diplonews validate --article {article_id}")
    header = (tmp_path / "seeds" / "annotations" / f"{article_id}.yaml").read_text(encoding="utf-8")
    assert f"Read the text: seeds/texts/{article_id}.txt" in header and "When done:     diplonews build\n" in header
    with pytest.raises(UserError) as exc:
        api.add_actor("seeds", id="x", name="X", type="person", parent="zzqxv")
    assert exc.value.hint == "list them with: diplonews actor list"
