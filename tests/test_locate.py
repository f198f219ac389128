"""Findings on the built tables point at the file and line where the annotator wrote the row, with the
values in conflict in the hint; a finding whose source is gone stays as it was, and nothing raises."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from diplonews.api import validate_article
from diplonews.builders.compile.evidence import resolve
from diplonews.builders.pipeline import build
from diplonews.builders.sources.locate import locate
from diplonews.schema import ARTICLE_TABLES, CODEBOOK_TABLES, TABLES
from diplonews.validators.findings import Finding, Report, Severity

ARTICLE = "2025-03-16-erdogan-trump-call-readout"
ANNOTATION = f"seeds/annotations/{ARTICLE}.yaml"
EVENTS = "seeds/registry/events.yaml"
ACTORS = "seeds/registry/actors.yaml"


@pytest.fixture
def seeds_copy(seeds_here) -> Path:
    """Given as ``seeds`` from beside it (conftest's seeds_here), so its files are named as the constants here."""
    return seeds_here


def _lines(seeds: Path, rel: str) -> list[str]:
    return (seeds.parent / rel).read_text(encoding="utf-8").split("\n")


def _line_of(seeds: Path, rel: str, text: str, after: int = 0) -> int:
    """The number of the first line after line ``after`` of a seed file that is ``text``."""
    return next(i for i, line in enumerate(_lines(seeds, rel), 1) if i > after and line == text)


def _edit(seeds: Path, rel: str, old: str, new: str, after: int = 0) -> int:
    """Replace the first line ``old`` after line ``after`` of a seed file by ``new``; returns its number."""
    number = _line_of(seeds, rel, old, after)
    lines = _lines(seeds, rel)
    lines[number - 1] = new
    (seeds.parent / rel).write_text("\n".join(lines), encoding="utf-8")
    return number


def _built(seeds: Path, out: Path) -> Report:
    return build(seeds, out / "dataset", use_cache=False).report


def _located(seeds: Path, out: Path, rule: str) -> list[Finding]:
    found = [f for f in locate(_built(seeds, out), seeds).findings if f.rule == rule]
    assert found, f"{rule} did not fire"
    return found


EARLIEST_AFTER_LATEST = ("  published_date_earliest: 2025-03-16", "  published_date_earliest: 2025-03-20")


def test_article_date_order_points_at_the_date_and_shows_all_three(seeds_copy, tmp_path):
    line = _edit(seeds_copy, ANNOTATION, *EARLIEST_AFTER_LATEST)
    found = _located(seeds_copy, tmp_path, "article_date_order")
    first = next(f for f in found if f.message.startswith("published_date_earliest"))
    assert (first.file, first.line) == (ANNOTATION, line)
    assert (first.table, first.key) == ("articles", ARTICLE)  # the row is still named
    assert "2025-03-20 is after published_date_latest 2025-03-16" in first.message
    assert f"published_date_earliest 2025-03-20 (line {line})" in first.hint
    assert f"published_date_latest 2025-03-16 (line {line + 1})" in first.hint
    # the stated date is now outside the interval too: that finding points at published_date
    outside = next(f for f in found if f.message.startswith("published_date "))
    assert outside.line == line - 1 and "[2025-03-20, 2025-03-16]" in outside.message
    assert first.render().startswith(
        f"ERROR {ANNOTATION}:{line} (articles[{ARTICLE}]): [article_date_order] published_date_earliest 2025-03-20"
    )


def test_occurred_event_after_report_names_both_dates_and_where_each_is_written(seeds_copy, tmp_path):
    # The article now says it was published before the call it reports as having happened.
    for key in ("published_date", "published_date_earliest", "published_date_latest"):
        latest = _edit(seeds_copy, ANNOTATION, f"  {key}: 2025-03-16", f"  {key}: 2025-03-15")
    found = _located(seeds_copy, tmp_path, "occurred_event_not_after_report")
    call = "2025-03-16-erdogan-trump-call"
    start = _line_of(seeds_copy, EVENTS, "    date_start: 2025-03-16", _line_of(seeds_copy, EVENTS, f"  - id: {call}"))
    # the mention that dates the call 'on Sunday'
    mention = _line_of(seeds_copy, ANNOTATION, '    date_expression: "on Sunday"') - 2
    [f] = [f for f in found if f.line == mention]
    assert f.file == ANNOTATION and f.table == "event_mentions" and f.key.startswith(f"{ARTICLE}/")
    assert f"event {call} (occurred) starts 2025-03-16" in f.message
    assert f"date_start 2025-03-16 ({EVENTS}:{start})" in f.hint
    assert f"published_date_latest 2025-03-15 (line {latest})" in f.hint
    lines = _lines(seeds_copy, ANNOTATION)
    assert all(f.file == ANNOTATION and lines[f.line - 1].startswith("  - event: ") for f in found)


def test_role_held_points_at_the_capacity_and_lists_the_terms_held(seeds_copy, tmp_path):
    # CAATSA sanctions moved into 2021, when Trump was not president
    event_line = _line_of(seeds_copy, EVENTS, "  - id: 2020-caatsa-sanctions-on-turkiye")
    start = _edit(seeds_copy, EVENTS, "    date_start: 2020-01-01", "    date_start: 2021-06-01")
    _edit(seeds_copy, EVENTS, "    date_end: 2020-12-31", "    date_end: 2021-12-31")
    capacity = _line_of(seeds_copy, EVENTS, "      - {actor: donald-trump, role: initiator, capacity: president}",
                        event_line)
    [f] = _located(seeds_copy, tmp_path, "role_held_on_event_date")
    assert (f.file, f.line) == (EVENTS, capacity)
    assert "on 2021-06-01..2021-12-31" in f.message
    assert "held 2017-01-20..2021-01-20 in united-states, 2025-01-20..open in united-states" in f.message
    terms = _line_of(seeds_copy, ACTORS, "  - id: donald-trump")
    first_term = _line_of(seeds_copy, ACTORS, "    roles:", terms) + 1
    assert f"date_start 2021-06-01 (line {start})" in f.hint and f"date_end 2021-12-31 (line {start + 1})" in f.hint
    assert f"president of united-states 2017-01-20..2021-01-20 ({ACTORS}:{first_term})" in f.hint
    assert f"president of united-states 2025-01-20..open ({ACTORS}:{first_term + 1})" in f.hint


def test_role_never_held_says_so(seeds_copy, tmp_path):
    line = _edit(seeds_copy, EVENTS, "      - {actor: hakan-fidan, role: participant, capacity: foreign-minister}",
                 "      - {actor: hakan-fidan, role: participant, capacity: president}")
    [f] = _located(seeds_copy, tmp_path, "role_held_on_event_date")
    assert (f.file, f.line) == (EVENTS, line) and "(no such role recorded)" in f.message
    held = _line_of(seeds_copy, ACTORS, "      - {role: foreign-minister, organization: turkiye, start: 2023-06-04, "
                                        "source: public record}")
    assert f"foreign-minister of turkiye 2023-06-04..open ({ACTORS}:{held})" in f.hint


def test_registry_row_in_a_split_registry_points_at_its_entry(seeds_copy, tmp_path):
    # event_date_order on an events row, and an unused actor in an actors-*.yaml part
    line = _edit(seeds_copy, EVENTS, "    date_end: 2020-12-31", "    date_end: 2019-12-31")
    (seeds_copy / "registry" / "actors-extra.yaml").write_text(
        "actors:\n  - id: nobody-at-all\n    name: Nobody\n    type: person\n", encoding="utf-8")
    located = locate(_built(seeds_copy, tmp_path), seeds_copy).findings
    [order] = [f for f in located if f.rule == "event_date_order"]
    assert (order.file, order.line) == (EVENTS, line) and order.key == "2020-caatsa-sanctions-on-turkiye"
    assert f"date_start 2020-01-01 (line {line - 1})" in order.hint
    assert f"date_end 2019-12-31 (line {line})" in order.hint
    [orphan] = [f for f in located if f.rule == "no_orphan_actor" and f.key == "nobody-at-all"]
    assert (orphan.file, orphan.line) == ("seeds/registry/actors-extra.yaml", 2)


def test_demand_row_points_at_its_entry_and_shows_both_actors(seeds_copy, tmp_path):
    demand = _line_of(seeds_copy, ANNOTATION, "  - id: erdogan-asks-us-to-understand-counterterrorism-interests")
    addressee = _edit(seeds_copy, ANNOTATION, "    addressee: united-states", "    addressee: recep-tayyip-erdogan",
                      demand)
    [f] = _located(seeds_copy, tmp_path, "demand_claimant_not_addressee")
    assert (f.file, f.line) == (ANNOTATION, demand)
    assert f"claimant recep-tayyip-erdogan (line {addressee - 1})" in f.hint
    assert f"addressee recep-tayyip-erdogan (line {addressee})" in f.hint


def test_position_warning_points_at_its_event(seeds_copy, tmp_path):
    position = _line_of(seeds_copy, ANNOTATION, "  - id: erdogan-supports-trump-peace-steps")
    # an event this article does not mention
    event = _edit(seeds_copy, ANNOTATION, "    event: 2025-03-16-erdogan-trump-call",
                  "    event: 2019-turkiye-s400-acquisition", position)
    [f] = _located(seeds_copy, tmp_path, "voiced_event_mentioned")
    assert (f.file, f.line, f.table) == (ANNOTATION, event, "positions")


def test_alias_shared_names_every_actor_listing_it(seeds_copy, tmp_path):
    line = _edit(seeds_copy, ACTORS, "    aliases: [Joe Biden, Biden]", "    aliases: [Joe Biden, Biden, Trump]")
    [f] = _located(seeds_copy, tmp_path, "alias_maps_to_one_actor")
    first = _line_of(seeds_copy, ACTORS, "    aliases: [Donald Trump, Trump]")
    assert (f.file, f.line) == (ACTORS, first)
    assert f"donald-trump (line {first})" in f.hint and f"joe-biden (line {line})" in f.hint


def test_validate_article_places_its_findings(seeds_copy):
    line = _edit(seeds_copy, ANNOTATION, *EARLIEST_AFTER_LATEST)
    report = validate_article(seeds_copy, ARTICLE)
    f = next(f for f in report.errors if f.rule == "article_date_order")
    assert (f.file, f.line) == (ANNOTATION, line) and "2025-03-20" in f.hint
    # JSON keeps its fields, now filled in
    listed = next(x for x in json.loads(report.to_json())["findings"] if x["rule"] == "article_date_order")
    assert (listed["file"], listed["line"], listed["table"], listed["key"]) == (ANNOTATION, line, "articles", ARTICLE)


def test_a_mention_in_a_text_with_crlf_line_ends_is_placed(seeds_copy):
    """The compiler keeps a text's CRLF; locate read texts with newline translation, so past the first line end
    no entry resolved to the mention's span and the finding named no file."""
    path = seeds_copy / "texts" / "000_98d600180e60fb2a.txt"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    found = resolve(path.read_bytes().decode("utf-8"), "Russia", 2)
    key = f"{ARTICLE}/{found.start}-{found.end}/russia"
    [f] = locate(Report([Finding("some_rule", Severity.error, "x", table="actor_mentions", key=key)]),
                 seeds_copy).findings
    assert (f.file, f.line) == (ANNOTATION, _line_of(seeds_copy, ANNOTATION,
                                                     '  - {actor: russia, quote: "Russia", occurrence: 2}'))


def _row_findings(dataset: Path) -> list[Finding]:
    """A finding on every row of every table built from the seeds, as a rule would report it."""
    out = []
    for t in TABLES:
        if t.table_name in CODEBOOK_TABLES:
            continue
        rows = pq.read_table(dataset / "parquet" / f"{t.table_name}.parquet", columns=list(t.primary_key))
        for row in rows.to_pylist():
            key = "|".join(str(row[k]) for k in t.primary_key)
            out.append(Finding("some_rule", Severity.error, "something is wrong", table=t.table_name, key=key))
    return out


def test_every_seed_row_is_placed_at_its_entry(seed_build, repo):
    seeds = repo / "seeds"
    findings = _row_findings(seed_build)
    assert {f.table for f in findings} == {t.table_name for t in TABLES} - set(CODEBOOK_TABLES)
    located = locate(Report(findings), seeds).findings
    # role_seq counts the terms of one office by start date
    second_term = next(f for f in located if f.key == "donald-trump|president|united-states|2")
    assert "start: 2025-01-20" in _lines(seeds, second_term.file)[second_term.line - 1]
    for f in located:
        assert f.file and f.line, f"{f.table}[{f.key}] not placed"
        line = _lines(seeds, f.file)[f.line - 1]
        assert _expected_text(f.table, f.key) in line, (f.table, f.key, line)


def _expected_text(table: str, key: str) -> str:
    """What the line a row is placed at must contain."""
    if table == "attributions":  # '<fact id>:<local source>' at the fact's source: line; the article's at the fact
        fact, local = key.rsplit(":", 1)
        if local != "author":
            return local
        return _expected_text("event_mentions" if fact.count("/") == 2 else "positions", fact)
    parts = key.replace("|", "/").split("/")
    if table == "articles":
        return "article:"
    if table == "actor_roles":
        return f"role: {parts[1]}, organization: {parts[2]}"
    if table in ("actor_mentions", "event_participants"):
        return f"actor: {parts[-1]}"
    if table == "event_mentions":
        return f"event: {parts[-1]}"
    if table == "demand_addressees":  # '<demand id>|<actor id>' at the demand's addressee: line
        return parts[-1]
    return parts[-1] if table == "actor_aliases" else f"id: {parts[-1]}"


def test_unplaceable_findings_stay_as_they_are(seed_build, repo):
    unplaceable = [
        Finding("codes_in_codebook", Severity.error, "root_code 01 is not a prefix", table="cameo_codes", key="020"),
        Finding("no_orphan_actor", Severity.warning, "actor is never mentioned or used", table="actors", key="no-such"),
        Finding("table_files_match_schema", Severity.error, "table file is missing", table="events"),
        Finding("span_within_text", Severity.error, "span 1-2 outside text", table="actor_mentions", key="bad-key"),
        Finding("occurred_event_not_after_report", Severity.error, "event x (occurred) starts …",
                table="event_mentions", key=f"{ARTICLE}/0-1/no-such-event"),
        Finding("alias_maps_to_one_actor", Severity.error, "alias used by a, b", table="actor_aliases", key="zzz"),
        Finding("quote_found", Severity.error, "quote not found", file=ANNOTATION, line=3),  # already placed
    ]
    report = Report(list(unplaceable), ["x"], {"x": 1})
    located = locate(report, repo / "seeds")
    assert located.findings == unplaceable and located.rules_run == ["x"] and located.counts == {"x": 1}
    assert report.findings == unplaceable  # pure: the report given is not changed
    assert unplaceable[0].render().startswith("ERROR cameo_codes[020]: [codes_in_codebook]")


GARBLES = {
    "deleted": None,
    "not YAML": b"article: [unclosed\n  - {\n",
    "not UTF-8": b"\xff\xfe\x00garbage",
    "empty": b"",
    "a list": b"- just\n- a list\n",
    "wrong shapes": b"article: 5\nactors: {id: x}\nevents: [1, [2], {participants: 3, roles: [4]}]\n"
                    b"actor_mentions: 7\npositions: [null]\naliases: 9\n",
}


def _broken(seeds: Path, out: Path, seed_build: Path) -> Report:
    """The report of a build over seeds broken for three rules, before its findings are placed, plus a
    finding on every row."""
    from unittest import mock

    from diplonews.builders import pipeline as stages

    _edit(seeds, ANNOTATION, *EARLIEST_AFTER_LATEST)
    _edit(seeds, EVENTS, "      - {actor: hakan-fidan, role: participant, capacity: foreign-minister}",
          "      - {actor: hakan-fidan, role: participant, capacity: president}")
    _edit(seeds, ACTORS, "    aliases: [Joe Biden, Biden]", "    aliases: [Joe Biden, Biden, Trump]")
    with mock.patch.object(stages, "locate", lambda report, seeds: report):
        report = _built(seeds, out)
    assert {"article_date_order", "role_held_on_event_date", "alias_maps_to_one_actor"} <= set(report.by_rule())
    report.findings += _row_findings(seed_build)
    return report


def _garble(paths: list[Path], garble: str) -> None:
    for path in paths:
        if GARBLES[garble] is None:
            path.unlink()
        else:
            path.write_bytes(GARBLES[garble])


@pytest.mark.parametrize("garble", sorted(GARBLES))
def test_sources_gone_after_the_build_leave_findings_unplaced(seeds_copy, tmp_path, seed_build, garble):
    report = _broken(seeds_copy, tmp_path, seed_build)
    _garble([*seeds_copy.rglob("*.yaml"), *seeds_copy.rglob("*.txt")], garble)
    assert locate(report, seeds_copy).findings == report.findings


@pytest.mark.parametrize("garble", sorted(GARBLES))
def test_registry_findings_are_placed_when_only_annotations_are_gone(seeds_copy, tmp_path, seed_build, garble):
    report = _broken(seeds_copy, tmp_path, seed_build)
    _garble([*(seeds_copy / "annotations").glob("*.yaml"), *(seeds_copy / "texts").glob("*.txt")], garble)
    located = locate(report, seeds_copy).findings
    for f in located:
        assert bool(f.file) == (f.table not in ARTICLE_TABLES), f
    [role] = [f for f in located if f.rule == "role_held_on_event_date"]
    assert role.file == EVENTS and "foreign-minister of turkiye" in role.hint


def test_odd_values_in_the_sources_never_raise(seeds_copy, tmp_path, seed_build):
    report = _broken(seeds_copy, tmp_path, seed_build)
    # parseable, and holding the IDs searched for, but with values of every wrong type
    odd = (
        "article: {id: [x], text_file: 000_98d600180e60fb2a.txt}\n"
        "actors: [{id: [hakan-fidan], aliases: [Trump, [x], {a: 1}], roles: [{role: [president], organization: {},"
        " start: [1]}, 5]}, {id: {donald-trump: 1}}, 3, null]\n"
        "events: [1, [2], {id: {2025-03-25-fidan-rubio-meeting: 1}, participants: 3},"
        " {id: 2025-03-25-fidan-rubio-meeting, participants: [[hakan-fidan], {actor: hakan-fidan}]}]\n"
        "actor_mentions: 7\n"
        "event_mentions: [{event: 2025-03-16-erdogan-trump-call, quote: Donald Trump, occurrence: -3},"
        " {event: 2025-03-16-erdogan-trump-call, quote: [e]}, {event: 2025-03-16-erdogan-trump-call, quote: e,"
        " occurrence: x}]\n"
        "positions: [null, {id: [1]}]\n"
        "demands: {id: x}\n"
    )
    for path in seeds_copy.rglob("*.yaml"):
        path.write_text(odd, encoding="utf-8")
    located = locate(report, seeds_copy)
    assert len(located.findings) == len(report.findings)


def test_the_build_and_validate_place_their_findings(seeds_copy, tmp_path, capsys):
    from diplonews.cli import main

    line = _edit(seeds_copy, ANNOTATION, *EARLIEST_AFTER_LATEST)
    found = [f for f in _built(seeds_copy, tmp_path).findings if f.rule == "article_date_order"]
    assert found and all(f.file == ANNOTATION for f in found)
    assert line in [f.line for f in found]
    assert main(["validate", str(seeds_copy)]) == 1
    assert f"{ANNOTATION}:{line} (articles[{ARTICLE}])" in capsys.readouterr().out
