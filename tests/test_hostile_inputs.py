"""Hostile or broken input is refused with a finding (file, line, hint) or a UserError: never accepted
in silence, never a traceback, never a hang (issue 9)."""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from diplonews import api
from diplonews.builders.authoring.reldates import find_dates
from diplonews.builders.compile.corpus import compile_sources
from diplonews.builders.compile.evidence import closest_text
from diplonews.builders.pipeline import build
from diplonews.cli import main
from diplonews.errors import UserError

ARTICLE = "2025-03-16-erdogan-trump-call-readout"
TEXT = "000_98d600180e60fb2a.txt"


@contextmanager
def deadline(seconds: int = 30):
    """Fail instead of hanging (a FIFO read blocks forever; a quadratic search takes minutes)."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _annotation(seeds: Path) -> Path:
    return seeds / "annotations" / f"{ARTICLE}.yaml"


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(seeds: Path, rule: str | None = None):
    with deadline():
        report = compile_sources(seeds).report
    return [f for f in report.errors if rule is None or f.rule == rule]


# --- 1. empty texts ---------------------------------------------------------------------------


# "\ufeff": what an editor saves as an empty UTF-8 file with a byte order mark; it was accepted as a text
@pytest.mark.parametrize("content", ["", " \n\n\t", "\ufeff", "\ufeff\n\u200b \n"])
def test_empty_text_is_refused_at_the_text_file_line(seeds_copy, content):
    (seeds_copy / "texts" / TEXT).write_text(content, encoding="utf-8")
    [err] = _errors(seeds_copy, "text_not_empty")
    assert err.file.endswith(f"{ARTICLE}.yaml") and err.line == _line_of(_annotation(seeds_copy), "text_file:")
    assert TEXT in err.message and err.hint


# --- 2. texts that are links -----------------------------------------------------------------


def test_text_linking_outside_the_corpus_is_refused(seeds_copy, tmp_path):
    outside = tmp_path / "private.txt"
    text = seeds_copy / "texts" / TEXT
    outside.write_bytes(text.read_bytes())
    text.unlink()
    text.symlink_to(outside)
    [err] = _errors(seeds_copy, "text_in_corpus")
    assert err.line == _line_of(_annotation(seeds_copy), "text_file:") and str(outside) in err.message
    assert "copy the text" in err.hint


def test_text_linking_inside_the_corpus_is_allowed(seeds_copy):
    text = seeds_copy / "texts" / TEXT
    (seeds_copy / "texts" / "kept").mkdir()
    text.rename(seeds_copy / "texts" / "kept" / TEXT)
    text.symlink_to(Path("kept") / TEXT)
    assert _errors(seeds_copy) == []


# --- 3. dates given as numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    "where,old,new",
    [
        ("annotation", "published_date: 2025-03-16", "published_date: 0"),
        ("annotation", "published_date: 2025-03-16", "published_date: '0'"),
        ("actors", "start: 2014-08-28,", "start: 0,"),
    ],
)
def test_a_number_is_not_a_date(seeds_copy, where, old, new):
    path = _annotation(seeds_copy) if where == "annotation" else seeds_copy / "registry" / "actors.yaml"
    _edit(path, old, new)
    errs = _errors(seeds_copy, "source_schema")
    assert [e.line for e in errs] == [_line_of(path, new)]
    assert "YYYY-MM-DD" in errs[0].message and "YYYY-MM-DD" in errs[0].hint


# --- 4. files that are not regular files -------------------------------------------------------


@pytest.mark.parametrize("rel", [f"annotations/{ARTICLE}.yaml", "registry/topics.yaml", "annotations/new.yaml"])
def test_a_fifo_source_is_refused_unread(seeds_copy, tmp_path, rel):
    path = seeds_copy / rel
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    with deadline():
        result = build(seeds_copy, tmp_path / "dataset")
    assert not result.written
    errs = [f for f in result.report.errors if f.rule == "regular_file"]
    assert [e.file for e in errs] == [str(seeds_copy / rel)] and "FIFO" in errs[0].message and errs[0].hint
    # the refused registry is reported once, not through every reference to its IDs
    assert len(result.report.errors) == 1, result.report.render()


def test_a_text_replaced_by_a_fifo_after_a_build_is_refused_unread(seeds_copy, tmp_path):
    out = tmp_path / "dataset"
    assert build(seeds_copy, out).written
    text = seeds_copy / "texts" / TEXT
    text.unlink()
    os.mkfifo(text)
    with deadline():
        result = build(seeds_copy, out)
    [err] = result.report.errors
    assert err.rule == "regular_file" and err.line == _line_of(_annotation(seeds_copy), "text_file:")


def test_new_article_from_a_fifo_is_refused_unread(seeds_copy, tmp_path, capsys):
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    with deadline():
        assert main(["new", str(fifo), "--seeds", str(seeds_copy), "--date", "2025-03-16", "--title", "T"]) == 1
    err = capsys.readouterr().err
    assert "FIFO" in err and "hint:" in err


# --- 5. huge scalars ---------------------------------------------------------------------------


def test_a_huge_quote_is_refused_quickly(seeds_copy):
    path = _annotation(seeds_copy)
    huge = "Erdoğan said " * 20_000
    _edit(path, 'quote: "the latter"}', f'quote: "{huge}"}}')
    errs = _errors(seeds_copy)
    line = _line_of(path, "Erdoğan said Erdoğan said")
    assert {(e.rule, e.line) for e in errs} == {("source_schema", line), ("quote_found", line)}
    [too_long] = [e for e in errs if e.rule == "source_schema"]
    assert "at most 20000 characters" in too_long.message and too_long.hint
    [missing] = [e for e in errs if e.rule == "quote_found"]
    assert "longer than the article text" in missing.message and len(missing.message) < 400


def test_closest_text_hint_is_bounded():
    text = "".join(f"sentence {i} of a long report on talks. " for i in range(800))  # 30,000 characters
    quote = text[1000:20_000].replace("talks", "tlaks")  # almost as long as the text: not in it
    with deadline(10):
        hint = closest_text(text, quote)
    assert hint is not None and text.find(hint) >= 900
    assert closest_text("x" * 1_000_001, "a missing quote") is None


# --- 6. dates at the edges of the calendar ------------------------------------------------------


@pytest.mark.parametrize(
    "text,anchor",
    [
        ("It happened 800000 days ago.", date(2025, 3, 16)),
        ("It happened " + "9" * 5000 + " days ago.", date(2025, 3, 16)),
        ("It was agreed in March 0000.", date(2025, 3, 16)),
        ("They meet tomorrow.", date(9999, 12, 31)),
        ("They met yesterday.", date(1, 1, 1)),
    ],
)
def test_dates_outside_the_calendar_are_not_suggested(text, anchor):
    assert find_dates(text, anchor) == []


def test_new_article_dated_at_year_one(seeds_copy, tmp_path, capsys):
    text = tmp_path / "article.txt"
    text.write_text("Erdoğan met Fidan yesterday, 800000 days ago, and again last week.\n", encoding="utf-8")
    rc = main(["new", str(text), "--seeds", str(seeds_copy), "--date", "0001-01-01", "--title", "Old news"])
    assert rc == 0
    made = next((seeds_copy / "annotations").glob("*old-news.yaml")).read_text(encoding="utf-8")
    assert '"kind": "date"' not in made and "kind: \"date\"" not in made


def test_new_article_dated_after_the_last_date_is_refused(seeds_copy, tmp_path, capsys):
    text = tmp_path / "article.txt"
    text.write_text("They meet tomorrow.\n", encoding="utf-8")
    assert main(["new", str(text), "--seeds", str(seeds_copy), "--date", "9999-12-31", "--title", "T"]) == 1
    err = capsys.readouterr().err
    assert "9999-12-31" in err and "hint:" in err and "Traceback" not in err


def test_event_dated_past_the_last_date_is_a_finding(seeds_copy):
    path = seeds_copy / "registry" / "events.yaml"
    _edit(path, "    status: proposed\n    date_basis: inferred\n",
          "    status: proposed\n    date_start: 9999-12-31\n    date_precision: day\n    date_basis: inferred\n")
    [err] = _errors(seeds_copy)
    assert (err.rule, err.line) == ("source_schema", _line_of(path, "date_start: 9999-12-31"))
    assert "9998-12-31" in err.message and err.hint


# --- 7 and 8. a registry that does not parse -----------------------------------------------------


def _misindent(seeds: Path) -> tuple[Path, int]:
    path = seeds / "registry" / "actors.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith("  - id: united-states"))
    lines[n] = lines[n][1:]
    path.write_text("".join(lines), encoding="utf-8")
    return path, n + 1


def test_actor_add_with_a_broken_registry_is_a_user_error(seeds_copy, capsys):
    path, line = _misindent(seeds_copy)
    before = path.read_bytes()
    rc = main(["actor", "add", "--seeds", str(seeds_copy), "--id", "kaja-kallas", "--name", "Kaja Kallas",
               "--type", "person"])
    err = capsys.readouterr().err
    assert rc == 1 and f"actors.yaml:{line}:" in err and "hint:" in err and "Traceback" not in err
    assert path.read_bytes() == before


def test_event_add_with_an_invalid_actor_entry_is_a_user_error(seeds_copy, capsys):
    path = seeds_copy / "registry" / "actors.yaml"
    _edit(path, "  - id: turkiye\n    name: Türkiye\n", "  - name: Türkiye\n")
    before = path.read_bytes()
    rc = main(["event", "add", "--seeds", str(seeds_copy), "--id", "a-call", "--type", "phone_call", "--status",
               "occurred", "--basis", "inferred", "--summary", "A call.", "--participant", "turkiye:participant"])
    err = capsys.readouterr().err
    assert rc == 1 and f"actors.yaml:{_line_of(path, '- name: Türkiye')}:" in err and "hint:" in err
    assert path.read_bytes() == before


def test_new_article_with_a_broken_registry_is_a_user_error(seeds_copy, tmp_path):
    path, line = _misindent(seeds_copy)
    text = tmp_path / "article.txt"
    text.write_text("Erdoğan spoke.\n", encoding="utf-8")
    with pytest.raises(UserError, match=f"actors.yaml:{line}"):
        api.new_article(seeds_copy, text, date=date(2025, 3, 16), title="T")
    assert not list((seeds_copy / "texts").glob("*t.txt"))


def test_a_registry_that_does_not_parse_is_reported_once(seeds_copy):
    path, _ = _misindent(seeds_copy)
    errs = _errors(seeds_copy)
    assert len(errs) == 1, [e.render() for e in errs]
    assert errs[0].rule == "yaml_syntax" and errs[0].file == str(seeds_copy / "registry/actors.yaml") and errs[0].line


def test_references_to_a_registry_that_loads_are_still_checked(seeds_copy):
    _misindent(seeds_copy)
    _edit(_annotation(seeds_copy), "  - event: 2025", "  - event: no-such-2025")
    assert [e.rule for e in _errors(seeds_copy)] == ["yaml_syntax", "unknown_reference"]


def test_a_source_that_is_not_utf8_is_reported_with_line_and_hint(seeds_copy):
    path = _annotation(seeds_copy)
    _edit(path, "  title: null", "  title: Erdoğan")  # the first character that is not ASCII
    line = _line_of(path, "title: Erdoğan")
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1254", errors="replace"))
    [err] = _errors(seeds_copy, "yaml_syntax")
    assert err.line == line
    assert "not UTF-8" in err.message and "UTF-8" in err.hint


# --- 9. status and build outside a seeds folder ---------------------------------------------------


def test_status_without_a_seeds_folder(tmp_path, capsys):
    assert main(["status", "--seeds", str(tmp_path / "nowhere")]) == 1
    captured = capsys.readouterr()
    assert "nowhere" in captured.err and "hint:" in captured.err and captured.out == ""


def test_status_with_a_file_that_is_not_utf8(seeds_copy, capsys):
    (seeds_copy / "annotations" / "latin1.yaml").write_bytes("article: {title: Erdo\u011fan}\n".encode("cp1254"))
    assert main(["status", "--seeds", str(seeds_copy)]) == 1
    out = capsys.readouterr().out
    assert "latin1" in out and "not UTF-8" in out and ARTICLE in out


@pytest.mark.parametrize("layout", ["missing", "empty", "registry-only"])
def test_build_refuses_a_folder_that_is_not_a_seeds_folder(tmp_path, capsys, layout):
    seeds = tmp_path / "seeds"
    if layout != "missing":
        seeds.mkdir()
    if layout == "registry-only":
        (seeds / "registry").mkdir()
    with pytest.raises(UserError, match="seeds"):
        api.build(seeds, tmp_path / "dataset")
    assert main(["build", "--seeds", str(seeds), "--out", str(tmp_path / "dataset")]) == 1
    err = capsys.readouterr().err
    assert str(seeds) in err and "hint:" in err
    assert not (tmp_path / "dataset").exists()


def test_a_missing_registry_file_is_a_finding(seeds_copy):
    (seeds_copy / "registry" / "topics.yaml").unlink()
    [err] = _errors(seeds_copy)
    assert err.file == str(seeds_copy / "registry/topics.yaml") and "not found" in err.message and err.hint
