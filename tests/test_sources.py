"""Bad annotation input gives a clear error with file, line and hint — never a traceback."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from diplonews.builders.compile.corpus import compile_sources
from diplonews.builders.compile.evidence import closest_text, resolve
from diplonews.cli import main
from diplonews.validators.source_rules import QUOTE_FOUND, SOURCE_RULES

ARTICLE = "2025-03-16-erdogan-trump-call-readout"


def _file(seeds: Path) -> Path:
    return seeds / "annotations" / f"{ARTICLE}.yaml"


def _edit(seeds: Path, old: str, new: str, path: Path | None = None) -> None:
    path = path or _file(seeds)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def _errors(seeds: Path, rule: str):
    report = compile_sources(seeds).report
    return [f for f in report.errors if f.rule == rule]


def test_seeds_compile_without_source_findings(repo):
    report = compile_sources(repo / "seeds").report
    assert report.findings == [], report.render()


def test_every_source_rule_is_documented():
    for rule in SOURCE_RULES:
        assert rule.why.endswith("."), rule.name


def test_unknown_actor_id_names_line_and_closest_id(seeds_copy):
    _edit(seeds_copy, "{actor: donald-trump,", "{actor: donald-trum,")
    [err] = _errors(seeds_copy, "unknown_reference")
    assert err.file.endswith(f"{ARTICLE}.yaml")
    assert err.line == _line_of(_file(seeds_copy), "actor: donald-trum,")
    assert "donald-trum" in err.message and "did you mean 'donald-trump'" in err.hint


def test_an_unknown_id_like_no_other_says_how_to_register_it():
    from diplonews.validators.source_rules import UNKNOWN_REFERENCE

    [actor] = UNKNOWN_REFERENCE.run("actor", "zzqxv-wholly-new", {"donald-trump"}, file="f.yaml", line=1)
    assert actor.hint == "register it first: diplonews actor add --help"  # no fixed seeds/ path
    [kind] = UNKNOWN_REFERENCE.run("event type", "zzqxv", {"phone_call"}, file="f.yaml", line=1)
    assert "schema/codebook/" in kind.hint


def test_missing_quote_gives_closest_text(seeds_copy):
    path = _file(seeds_copy)
    _edit(seeds_copy, 'quote: "Erdoğan said they supported President Trump’s steps',
          'quote: "Erdoğan said they supported President Trump\'s steps')
    [err] = _errors(seeds_copy, "quote_found")
    assert err.line == _line_of(path, "Erdoğan said they supported President Trump's steps")
    assert "Erdoğan said they supported President Trump’s steps" in err.hint


@pytest.mark.parametrize("written, says", [
    (unicodedata.normalize("NFD", "Recep Tayyip Erdoğan"),
     "the text has U+011F LATIN SMALL LETTER G WITH BREVE where the quote has U+0067 LATIN SMALL LETTER G, U+0306"),
    ("Recep\\u00a0Tayyip Erdoğan", "the text has U+0020 SPACE where the quote has U+00A0 NO-BREAK SPACE"),
])
def test_a_quote_differing_in_look_alike_characters_says_which(seeds_copy, written, says):
    """A decomposed letter or a no-break space looks the same in the closest text: the hint names the code points."""
    _edit(seeds_copy, 'quote: "Recep Tayyip Erdoğan"', f'quote: "{written}"')
    [err] = _errors(seeds_copy, "quote_found")
    assert err.line == _line_of(_file(seeds_copy), "as_office: president, office_words: \"President\"")
    assert "closest text: 'Recep Tayyip Erdoğan'" in err.hint and says in err.hint


@pytest.mark.parametrize("text, quote, says", [
    ("Erdoğan met\r\nPutin.", "met Putin", "U+000D CARRIAGE RETURN, U+000A LINE FEED where the quote has U+0020"),
    ("Erdoğan met\nPutin.", "met Putin", "U+000A LINE FEED where the quote has U+0020 SPACE"),  # a folded YAML line
    ("Erdo\u00adğan met Putin.", "Erdoğan", "U+00AD SOFT HYPHEN where the quote has nothing"),
])
def test_a_quote_over_a_line_break_or_an_invisible_character_says_which(text, quote, says):
    [problem] = QUOTE_FOUND.check(quote, text, resolve(text, quote, None), lambda: closest_text(text, quote))
    assert says in problem.hint and "escapes in a double-quoted value" in problem.hint


@pytest.mark.parametrize("quote, whole", [("at the cafe", "at the café"), ("Erdog", "Erdoğ"), ("\u0306an", "ğan")])
def test_a_quote_that_cuts_a_decomposed_letter_is_refused(quote, whole):
    """In a decomposed text 'cafe' is found inside 'café' (the accent follows the e): it was built at those offsets."""
    text = unicodedata.normalize("NFD", "Erdoğan met Putin at the café.")
    found = resolve(text, quote, None)
    assert found.problem is None  # the substring is there: only the rule tells it from the text's word
    [problem] = QUOTE_FOUND.check(quote, text, found, lambda: None)
    assert "cuts a letter" in problem.message and repr(unicodedata.normalize("NFD", whole)) in problem.hint


@pytest.mark.parametrize("quote", ["at the café", "Erdoğan", "Putin"])
def test_a_quote_of_whole_decomposed_letters_is_found(quote):
    text = unicodedata.normalize("NFD", "Erdoğan met Putin at the café.")
    quote = unicodedata.normalize("NFD", quote)
    assert QUOTE_FOUND.check(quote, text, resolve(text, quote, None), lambda: None) == ()


def test_closest_text_keeps_combining_marks_and_joiners_in_their_word():
    """Widening the hint to whole words stopped at a combining mark: 'Erdog' for a decomposed 'Erdoğan'."""
    nfd = unicodedata.normalize("NFD", "Erdoğan met Putin.")
    assert closest_text(nfd, "Erdoğan") == unicodedata.normalize("NFD", "Erdoğan")
    assert closest_text("گفت می\u200cخواهم بروم", "میخواهم") == "می\u200cخواهم"


def test_ambiguous_quote_asks_for_occurrence(seeds_copy):
    ann = _file(seeds_copy)
    text = ann.read_text(encoding="utf-8")
    # drop the occurrence of the first mention that has one
    m = re.search(r'(quote: "Erdoğan"), occurrence: \d+', text)
    ann.write_text(text[: m.start()] + m.group(1) + text[m.end():], encoding="utf-8")
    [err] = _errors(seeds_copy, "quote_unambiguous")
    assert "occurs" in err.message and "occurrence" in err.hint


def test_occurrence_out_of_range(seeds_copy):
    ann = _file(seeds_copy)
    text = ann.read_text(encoding="utf-8")
    m = re.search(r'quote: "Erdoğan", occurrence: (\d+)', text)
    ann.write_text(text[: m.start(1)] + "99" + text[m.end(1):], encoding="utf-8")
    [err] = _errors(seeds_copy, "quote_unambiguous")
    assert "occurrence 99" in err.message


def test_bad_date_explains_format(seeds_copy):
    path = _file(seeds_copy)
    _edit(seeds_copy, "published_date: 2025-03-16", "published_date: 2025-02-30")
    errs = _errors(seeds_copy, "source_schema")
    assert errs and errs[0].line == _line_of(path, "published_date: 2025-02-30")
    assert "YYYY-MM-DD" in errs[0].hint


def test_duplicate_registry_id(seeds_copy):
    path = seeds_copy / "registry" / "topics.yaml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("  - id: counterterrorism\n    label: Again\n    description: A duplicate.\n")
    [err] = _errors(seeds_copy, "duplicate_id")
    assert "counterterrorism" in err.message and err.line == len(path.read_text().splitlines()) - 2


def test_malformed_yaml_reports_line(seeds_copy):
    path = _file(seeds_copy)
    path.write_text(path.read_text(encoding="utf-8") + "  - {actor: x, quote: [unclosed\n", encoding="utf-8")
    [err] = _errors(seeds_copy, "yaml_syntax")
    assert err.file.endswith(".yaml") and err.line is not None


def test_unknown_key_suggests_the_right_one(seeds_copy):
    _edit(seeds_copy, "    stance: ", "    stanse: ")
    errs = _errors(seeds_copy, "source_schema")
    assert any("did you mean 'stance'" in (e.hint or "") for e in errs)


def test_bad_enum_lists_allowed_values(seeds_copy):
    _edit(seeds_copy, "stance: support", "stance: favour")
    errs = _errors(seeds_copy, "source_schema")
    assert any("'support'" in e.message and "'oppose'" in e.message for e in errs)


@pytest.mark.parametrize("old, new, hint", [
    ("stance: support", "stance: Support", "did you mean 'support'?"),
    ('quote: "Erdoğan", occurrence: 2}', 'quote: "Erdoğan", occurrence: 0}', "occurrence counts from 1"),
    ('quote: "Ankara"', 'quote: ""', "a quote cannot be empty"),
    # YAML 1.1 reads these unquoted values as booleans, numbers or null: the hint says to quote them
    ("  language: en", "  language: no", 'language: "no"'),
    ('quote: "Ankara"', "quote: 2025", "as the number 2025"),
    ('quote: "Ankara"', "quote: 10:30", "as the number 630"),
    ('quote: "Ankara"', "quote: ", "give a value after 'quote:'"),
    ('quote: "Erdoğan", occurrence: 2}', 'quote: "Erdoğan", occurrence: "2"}', "write a whole number"),
])
def test_a_schema_error_says_how_to_fix_it(seeds_copy, old, new, hint):
    _edit(seeds_copy, old, new)
    [err] = _errors(seeds_copy, "source_schema")
    assert err.hint and hint in err.hint and err.line


@pytest.mark.parametrize("spelled", ["yes", "true", "1.0", '"1"'])
def test_an_occurrence_that_is_not_a_whole_number_is_refused_not_read_as_one(seeds_copy, spelled):
    """`occurrence: yes` was read as 1 (pydantic's lax bool -> int) and built at the first place of the quote."""
    path = _file(seeds_copy)
    _edit(seeds_copy, 'quote: "Erdoğan", occurrence: 2}', f'quote: "Erdoğan", occurrence: {spelled}}}')
    [err] = _errors(seeds_copy, "source_schema")
    assert err.line == _line_of(path, f"occurrence: {spelled}}}") and "occurrence" in err.message
    assert "whole number" in err.hint


def test_an_empty_annotation_file_is_placed_and_explained(seeds_copy):
    (seeds_copy / "annotations" / "empty.yaml").write_text("", encoding="utf-8")
    [err] = _errors(seeds_copy, "source_schema")
    assert err.file.endswith("empty.yaml") and err.line == 1 and "is it empty?" in err.hint


def test_text_not_utf8(seeds_copy):
    text = next((seeds_copy / "texts").glob("000_*.txt"))
    text.write_bytes(b"\xff\xfe not utf-8")
    [err] = _errors(seeds_copy, "text_file_readable")
    assert "not UTF-8" in err.message


def test_missing_text_file(seeds_copy):
    _edit(seeds_copy, "text_file: 000_98d600180e60fb2a.txt", "text_file: missing.txt")
    [err] = _errors(seeds_copy, "text_file_readable")
    assert "missing.txt" in err.message
    # The folder the user gave, not a fixed 'seeds/texts/' that may not exist where they are.
    assert f"not found in {seeds_copy / 'texts'}/" in err.message and str(seeds_copy / "texts") in err.hint
    assert err.file == str(seeds_copy / "annotations" / "2025-03-16-erdogan-trump-call-readout.yaml")


def test_same_text_twice(seeds_copy):
    src = _file(seeds_copy)
    dup = src.with_name("zz-copy.yaml")
    shutil.copy(src, dup)
    _edit(seeds_copy, f"id: {ARTICLE}", "id: zz-copy", dup)
    assert _errors(seeds_copy, "text_not_shared")


def test_file_name_must_match_id(seeds_copy):
    src = _file(seeds_copy)
    src.rename(src.with_name("renamed.yaml"))
    [err] = _errors(seeds_copy, "file_name_matches_id")
    assert "renamed.yaml" in err.message


def test_suggestions_are_a_warning_not_in_tables(seeds_copy):
    path = _file(seeds_copy)
    path.write_text(path.read_text(encoding="utf-8") + "suggestions:\n  - {actor: nato, quote: NATO}\n",
                    encoding="utf-8")
    compiled = compile_sources(seeds_copy)
    assert compiled.report.ok
    assert [f.rule for f in compiled.report.warnings] == ["open_suggestions"]


@pytest.mark.parametrize(
    "old,new",
    [
        ("{actor: donald-trump,", "{actor: donald-trum,"),
        ("published_date: 2025-03-16", "published_date: 2025-13-16"),
        ("article:", "article: [oops"),
    ],
)
def test_cli_reports_without_traceback_and_keeps_dataset(seeds_copy, tmp_path, capsys, old, new):
    out = tmp_path / "dataset"
    assert main(["build", "--seeds", str(seeds_copy), "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    _edit(seeds_copy, old, new)
    assert main(["build", "--seeds", str(seeds_copy), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    # Named under the seeds folder as given, so the file opens from where the command ran.
    assert re.search(rf"ERROR {re.escape(str(seeds_copy))}/annotations/\S+\.yaml:\d+: \[", captured.out), captured.out
    assert "left unchanged" in captured.err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert main(["validate", str(seeds_copy)]) == 1


def test_registry_may_be_split_into_parts(seeds_copy):
    # events-*.yaml parts are read after events.yaml; references and duplicates work across parts
    part = seeds_copy / "registry" / "events-extra.yaml"
    part.write_text(
        "events:\n"
        "  - {id: extra-call, type: phone_call, status: occurred, date_basis: inferred, summary: A call.,\n"
        "     participants: [{actor: hakan-fidan, role: participant}]}\n"
        "  - {id: 2025-03-16-erdogan-trump-call, type: phone_call, status: occurred, date_basis: inferred,\n"
        "     summary: Again., participants: [{actor: no-such-actor, role: participant}]}\n",
        encoding="utf-8",
    )
    compiled = compile_sources(seeds_copy)
    assert "extra-call" in compiled.tables()["events"].column("event_id").to_pylist()
    [dup] = [f for f in compiled.report.errors if f.rule == "duplicate_id"]
    assert dup.file.endswith("events-extra.yaml") and dup.line == 4 and "registry/events.yaml:" in dup.message
    [ref] = [f for f in compiled.report.errors if f.rule == "unknown_reference"]
    assert ref.file.endswith("events-extra.yaml") and "no-such-actor" in ref.message


def test_parallel_and_serial_compilation_agree(seeds_copy, monkeypatch):
    from diplonews.builders.compile import corpus as compile_module

    serial = compile_sources(seeds_copy)
    monkeypatch.setattr(compile_module, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(compile_module, "PARALLEL_MIN_BYTES", 1)
    parallel = compile_sources(seeds_copy)
    from diplonews.builders.assemble import finalize

    assert parallel.report.findings == serial.report.findings
    for name, table in serial.tables().items():
        assert finalize(name, parallel.tables()[name]).equals(finalize(name, table)), name


def test_a_file_compiled_again_for_an_unknown_reference_reports_only_that(seeds_copy):
    """A file with an unknown reference is compiled again once the registries are in (to name the
    line); its own mentions must not then read as annotated twice."""
    path = seeds_copy / "annotations" / "2025-03-16-erdogan-trump-call-readout.yaml"
    text = path.read_text(encoding="utf-8")
    assert "{actor: recep-tayyip-erdogan," in text
    path.write_text(text.replace("{actor: recep-tayyip-erdogan,", "{actor: no-such-actor,", 1), encoding="utf-8")
    report = compile_sources(seeds_copy).report
    assert [f.rule for f in report.errors] == ["unknown_reference"], report.render()


def _rule_cases():
    """Per source rule, the arguments of a call of its check that finds a problem and of one that finds none."""
    import stat

    import yaml

    from diplonews.schema.annotation import ArticleMeta, PositionEntry

    meta = {"id": "a", "text_file": "a.txt", "published_date": "2025-03-16", "published_date_basis": "stated"}
    mention = type("Mention", (), {"office_words": "President", "quote": "Erdoğan"})()
    try:
        yaml.safe_load("a: [")
    except yaml.YAMLError as exc:
        syntax = exc
    try:
        PositionEntry.model_validate({"id": "p", "holder": "x", "stance": "support", "quote": "q"})
    except Exception as exc:  # noqa: BLE001 - the ValidationError whose errors the check reports
        schema_errors = exc.errors(include_url=False)
    call = "Erdoğan called Trump."
    return {
        "yaml_syntax": ((syntax,), (None,)),
        "source_schema": ((PositionEntry, schema_errors, lambda loc: 3), (PositionEntry, [], lambda loc: 3)),
        "text_file_readable": (("a.txt", FileNotFoundError("a.txt"), "seeds/texts"), ("a.txt", None, "seeds/texts")),
        "text_not_empty": (("a.txt", " \n"), ("a.txt", "Text.")),
        "text_in_corpus": (("a.txt", "/etc/passwd", "/seeds/texts", "seeds/texts"),
                           ("a.txt", "/seeds/texts/b.txt", "/seeds/texts", "seeds/texts")),
        "regular_file": ((stat.S_IFIFO, "a.txt"), (stat.S_IFREG, "a.txt")),
        "duplicate_id": (("actor", "x", "f.yaml", {"x": ("f.yaml", 2)}),
                         ("actor", "y", "f.yaml", {"x": ("f.yaml", 2)})),
        "local_id_unique": (("ID", "p1", {"p1": 4}, "hint"), ("ID", "p2", {"p1": 4}, "hint")),
        "mention_annotated_once": (("actor", "a/0-3/x", {"a/0-3/x"}), ("actor", "a/0-3/y", {"a/0-3/x"})),
        "participant_listed_once": (("x", "e", {"x"}), ("y", "e", {"x"})),
        "unknown_reference": (("actor", "donald-trum", {"donald-trump"}), ("actor", "donald-trump", {"donald-trump"})),
        "quote_found": (("Putin", call, resolve(call, "Putin", None), lambda: None),
                        ("Trump", call, resolve(call, "Trump", None), lambda: None)),
        "quote_unambiguous": (("a", resolve("a b a", "a", None), None, 7), ("a", resolve("a b a", "a", 2), 2, 7)),
        "file_name_matches_id": (("b.yaml", "a"), ("a.yaml", "a")),
        "text_not_shared": (("a.txt", "d1", {"d1": "b"}), ("a.txt", "d2", {"d1": "b"})),
        "redistribution_has_basis": ((ArticleMeta.model_validate({**meta, "redistributable": True}),),
                                     (ArticleMeta.model_validate(meta),)),
        "open_suggestions": ((2,), (0,)),
        "office_words_at_mention": ((mention, "Mr Erdoğan said", (3, 10)),
                                    (mention, "President Erdoğan said", (10, 17))),
        "source_defined": (("via", "s2", {"s1": None}), ("via", "s1", {"s1": None})),
        "source_chain_acyclic": ((["s1", "s2"], "s1"), (["s1"], "s2")),
    }


def test_every_source_rule_is_a_check_that_fires_and_stays_quiet():
    """Each source rule is a unit: its check finds a problem in one input and none in another."""
    cases = _rule_cases()
    assert set(cases) == {rule.name for rule in SOURCE_RULES}
    for rule in SOURCE_RULES:
        fires, quiet = cases[rule.name]
        found = rule.run(*fires, file="seeds/x.yaml", line=1)
        assert found and all(f.rule == rule.name and f.severity is rule.severity and f.file for f in found), rule.name
        assert rule.run(*quiet, file="seeds/x.yaml", line=1) == [], rule.name


def test_position_and_demand_rows_come_from_the_entry_models():
    """Each column of positions and demands is filled by exactly one entry field declared against it
    (``column`` metadata) or by the compiler itself (ID, article, span, and what it derives: the PLOVER
    type from the CAMEO code, the first of several addressees); no declared column is unknown."""
    from diplonews.schema import TABLES_BY_NAME
    from diplonews.schema.annotation import DemandEntry, PositionEntry, entry_columns
    from diplonews.schema.generate import arrow_schema

    derived = {"positions": {"plover_type"}, "demands": {"plover_type", "addressee_actor_id"}}
    for model, table, key in ((PositionEntry, "positions", "position_id"), (DemandEntry, "demands", "demand_id")):
        declared = list(entry_columns(model).values())
        assert len(declared) == len(set(declared)), model.__name__
        compiler = {key, "article_id", "span_start", "span_end", *derived[table]}
        assert set(declared) | compiler == set(arrow_schema(TABLES_BY_NAME[table]).names), table
        assert not set(declared) & compiler, table
