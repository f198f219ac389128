"""The authoring commands (new, actor add, event add, topic add) write nothing `diplonews validate` then refuses
for a reason they could have checked: they refuse it first, with one line and a hint, and change nothing."""

from __future__ import annotations

import itertools
import shlex
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from diplonews import api
from diplonews.builders.authoring.registry_edit import RULE_HINTS
from diplonews.cli import main
from diplonews.errors import UserError
from diplonews.schema.annotation import ActorRegistry, AnnotationFile, EventRegistry, TopicRegistry
from diplonews.validators.catalog import RULE_GROUPS
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


def _errors(seeds: Path) -> list[str]:
    return [f.render() for f in api.validate(seeds).errors]


# --- event add: every combination of the date options ---------------------------------------------

WINDOWS = {  # --date, --date-end, --open: a window of each precision, each open side, and undated
    "one day": ("2025-03-10", None, None),
    "three days": ("2025-03-10", "2025-03-12", None),
    "half a month": ("2025-03-10", "2025-03-25", None),
    "across months": ("2025-03-10", "2025-05-01", None),
    "across years": ("2025-12-20", "2026-01-10", None),
    "before": (None, "2025-03-20", "start"),
    "after": ("2025-03-10", None, "end"),
    "undated": (None, None, None),
    # refused whatever the rest: an end alone without --open, a reversed window, --open on the wrong side
    "end alone": (None, "2025-03-20", None),
    "reversed": ("2025-03-10", "2025-03-01", None),
    "both dates, open end": ("2025-03-10", "2025-03-12", "end"),
    "start alone, open start": ("2025-03-10", None, "start"),
    "open, undated": (None, None, "end"),
}
PRECISIONS = (None, "day", "week", "month", "year", "multi_year")
DURATIONS = (None, "1", "20")


@pytest.fixture
def small_seeds(tmp_path) -> Path:
    """A seeds folder with two actors and empty events and topics (quick to compile again and again)."""
    seeds = tmp_path / "seeds"
    (seeds / "registry").mkdir(parents=True)
    (seeds / "annotations").mkdir()
    (seeds / "texts").mkdir()
    (seeds / "registry" / "actors.yaml").write_text(
        "actors:\n  - id: turkiye\n    name: Türkiye\n    type: state\n    aliases: [Türkiye]\n"
        "  - id: hakan-fidan\n    name: Hakan Fidan\n    type: person\n    aliases: [Fidan]\n"
        "    roles:\n      - {role: foreign-minister, organization: turkiye, start: 2023-06-04}\n", encoding="utf-8")
    (seeds / "registry" / "events.yaml").write_text("events: []\n", encoding="utf-8")
    (seeds / "registry" / "topics.yaml").write_text("topics: []\n", encoding="utf-8")
    return seeds


@pytest.mark.slow  # 234 commands, each compiling the registries (about a minute)
def test_event_add_writes_only_date_options_that_validate_accepts(small_seeds, capsys):
    # Every window x precision x duration through the command; what it accepts goes into one registry,
    # which validate must then accept; what it refuses it refuses alone, with a hint, changing nothing.
    # Each accepted event is moved to a part (events-*.yaml, which the build and the command read too), so that
    # the command's round trip of events.yaml stays as quick over the 234 cases as at the first.
    events, part = small_seeds / "registry" / "events.yaml", small_seeds / "registry" / "events-accepted.yaml"
    accepted, refused, moved = [], [], "events:\n"
    for n, ((window, (start, end, open_side)), precision, duration) in enumerate(
            itertools.product(WINDOWS.items(), PRECISIONS, DURATIONS)):
        argv = ["event", "add", "--seeds", str(small_seeds), "--id", f"e{n}", "--type", "meeting", "--status",
                "occurred", "--basis", "stated", "--summary", "A meeting.", "--participant",
                "hakan-fidan:participant:foreign-minister"]
        for option, value in (("--date", start), ("--date-end", end), ("--open", open_side),
                              ("--precision", precision), ("--duration-days", duration)):
            argv += [option, value] if value else []
        before = events.read_bytes()
        status, _, err = _run(capsys, *argv)
        case = (window, precision, duration)
        if status == 0:
            accepted.append(case)
            moved += events.read_text(encoding="utf-8").split("events:\n", 1)[1]
            part.write_text(moved, encoding="utf-8")
            events.write_bytes(before)
            continue
        refused.append(case)
        assert events.read_bytes() == before and "Traceback" not in err, (case, err)
        assert err.startswith("error: ") and err.count("\n  hint: ") == 1, (case, err)
    assert not _errors(small_seeds), "event add wrote events that validate refuses"
    assert len(yaml.safe_load(part.read_text(encoding="utf-8"))["events"]) == len(accepted)
    # The defaults give a valid event where the options say nothing more ...
    for window in ("one day", "three days", "half a month", "across months", "across years", "before", "after",
                   "undated"):
        assert (window, None, None) in accepted, window
    # ... and the combinations validate refuses are refused.
    for case in [("end alone", None, None), ("reversed", None, None), ("both dates, open end", None, None),
                 ("one day", "week", "20"), ("three days", "month", None), ("across months", "month", None),
                 ("after", "week", None), ("undated", "day", None), ("three days", None, "20")]:
        assert case in refused, case


@pytest.mark.parametrize("options,message,hint", [
    # the exploratory test's two events: an end alone, and both dates with --open end
    (["--date-end", "2025-03-20"], "[event_open_side_stated] date_open null does not match the window open..2025-03-20",
     "--date-end alone takes --open start"),
    (["--date", "2025-03-10", "--date-end", "2025-03-12", "--open", "end"], "--open end goes with --date alone",
     "give --date, not --date-end"),
    (["--date", "2025-03-10", "--open", "start"], "--open start goes with --date-end alone", "give --date-end"),
    # a call some day of a week, its precision left to the default
    (["--date", "2025-03-17", "--date-end", "2025-03-23", "--duration-days", "1"],
     "[event_precision_matches_window] date_precision day does not describe the window", "--precision"),
    (["--date", "2025-03-10", "--date-end", "2025-03-01"], "[event_date_order] date_end 2025-03-01 is before",
     "--date is the first day"),
    # a capacity the actor does not hold, and an actor taking part twice
    (["--date", "2025-03-10", "--participant", "marco-rubio:host:president"],
     "[role_held_on_event_date] marco-rubio does not hold role president", "CAPACITY"),
    (["--date", "2025-03-10", "--participant", "hakan-fidan:host"], "[participant_listed_once]", "once"),
    # a place's country well-formed but no country, as actor add refuses it
    (["--date", "2025-03-10", "--country", "TRK"], "unknown country code 'TRK'", "TUR"),
])
def test_event_add_refuses_what_validate_would_refuse(seeds_copy, capsys, options, message, hint):
    argv = ["event", "add", "--seeds", str(seeds_copy), "--id", "t1", "--type", "visit", "--status", "occurred",
            "--basis", "stated", "--summary", "x", "--participant", "hakan-fidan:participant", *options]
    got, got_hint = _refused(capsys, seeds_copy, *argv)
    assert message in got and hint in got_hint


def test_every_rule_hint_names_a_rule():
    names = {rule.name for group in RULE_GROUPS.values() for rule in group}
    assert set(RULE_HINTS) <= names


# --- actor add -------------------------------------------------------------------------------------

def test_actor_add_refuses_a_role_that_ends_before_it_starts(seeds_copy, capsys):
    message, hint = _refused(capsys, seeds_copy, "actor", "add", "--seeds", str(seeds_copy), "--id", "t", "--name",
                             "T", "--type", "person", "--role", "president:turkiye:2025-01-01:2024-01-01")
    # judged by the build's own rule, not a copy of it
    assert "[role_period_valid] end_date 2024-01-01 is before start_date 2025-01-01" in message and "START" in hint
    # a role of one day (start = end) is a role
    assert _run(capsys, "actor", "add", "--seeds", str(seeds_copy), "--id", "t", "--name", "T", "--type", "person",
                "--role", "president:turkiye:2025-01-01:2025-01-01")[0] == 0


def test_actor_add_refuses_an_anonymous_source_without_its_month(seeds_copy, capsys):
    message, hint = _refused(capsys, seeds_copy, "actor", "add", "--seeds", str(seeds_copy), "--id",
                             "anon-officials", "--name", "Officials", "--type", "anonymous_source")
    assert "[anonymous_source_id_dated]" in message and "anon-<description>-YYYY-MM" in hint


def test_registry_parts_count_for_ids_aliases_labels_and_references(seeds_copy, capsys):
    # <kind>-*.yaml parts are read by the build: an ID, alias or label there is taken, an actor there is known.
    reg = seeds_copy / "registry"
    (reg / "actors-extra.yaml").write_text(
        "actors:\n  - id: kaja-kallas\n    name: Kaja Kallas\n    type: person\n    aliases: [Kallas]\n",
        encoding="utf-8")
    (reg / "topics-extra.yaml").write_text(
        "topics:\n  - id: grain\n    label: Grain deal\n    description: Grain.\n", encoding="utf-8")
    seeds = str(seeds_copy)
    assert "already exists" in _refused(capsys, seeds_copy, "actor", "add", "--seeds", seeds, "--id", "kaja-kallas",
                                        "--name", "K", "--type", "person")[0]
    assert "already belongs to 'kaja-kallas'" in _refused(capsys, seeds_copy, "actor", "add", "--seeds", seeds,
                                                          "--id", "k", "--name", "K", "--type", "person",
                                                          "--alias", "kallas")[0]
    assert "already has the label" in _refused(capsys, seeds_copy, "topic", "add", "--seeds", seeds, "--id", "g",
                                               "--label", "grain DEAL", "--description", "d")[0]
    assert _run(capsys, "event", "add", "--seeds", seeds, "--id", "2025-06-13-fidan-kallas-call", "--type",
                "phone_call", "--status", "occurred", "--date", "2025-06-13", "--basis", "relative", "--summary",
                "A call.", "--participant", "kaja-kallas:participant", "--participant", "hakan-fidan:participant")[0] == 0
    assert not _errors(seeds_copy)


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
    # The file keeps no path of this machine or working folder: its header names the default layout.
    header = (seeds / "annotations" / f"{article_id}.yaml").read_text(encoding="utf-8")
    assert str(tmp_path) not in header and f"Read the text: seeds/texts/{article_id}.txt" in header
    assert f"Check often:   diplonews validate --article {article_id}" in header
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
