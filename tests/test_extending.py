"""Issue 3: from a new text to validated tables — scaffolding, registry edits, teaching validation."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from diplonews import api
from diplonews.builders.authoring.registry_index import Registry
from diplonews.builders.authoring.suggest import fold, match_aliases, suggest
from diplonews.builders.compile.evidence import resolve
from diplonews.cli import main
from diplonews.errors import UserError
from diplonews.schema.annotation import ActorEntry

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "fidan-kallas-call.txt"


@pytest.fixture
def repo_copy(tmp_path, repo) -> Path:
    """A temporary copy of the repository's seeds/ and dataset/ (the walk-through works in it)."""
    dest = tmp_path / "repo"
    shutil.copytree(repo / "seeds", dest / "seeds")
    shutil.copytree(repo / "dataset", dest / "dataset")
    return dest


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _tree(folder: Path) -> dict[str, bytes]:
    return _files(folder) if folder.exists() else {}


# --- diplonews new -----------------------------------------------------------------------


def test_new_copies_text_byte_identical_and_writes_suggestions(repo_copy):
    made = api.new_article(repo_copy / "seeds", EXAMPLE, title="Fidan and Kallas discuss Ukraine by phone",
                           date=date(2025, 6, 14))
    assert made.text_path.read_bytes() == EXAMPLE.read_bytes()
    text = made.annotation_path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/json/annotation.schema.json\n")
    data = yaml.safe_load(text)
    kinds = {s["kind"] for s in data["suggestions"]}
    assert kinds == {"actor_mention", "new_actor", "date", "quotation", "event"}
    assert data["actor_mentions"] == [] and data["event_mentions"] == []
    fidan = [s for s in data["suggestions"] if s["kind"] == "actor_mention" and s["actor"] == "hakan-fidan"]
    assert [s["quote"] for s in fidan] == ["Hakan Fidan", "Fidan", "Fidan"]
    friday = next(s for s in data["suggestions"] if s["kind"] == "date" and s["quote"] == "on Friday")
    assert friday["earliest"] == "2025-06-13"  # the Friday before the Saturday 14 June article
    quotation = next(s for s in data["suggestions"] if s["kind"] == "quotation")
    assert quotation["speaker"] == "hakan-fidan"
    assert any(s["kind"] == "new_actor" and s["quote"] == "Kaja Kallas" for s in data["suggestions"])


def test_fresh_scaffold_builds_with_warnings_not_errors(repo_copy):
    made = api.new_article(repo_copy / "seeds", EXAMPLE, date=date(2025, 6, 14))
    result = api.build(repo_copy / "seeds", repo_copy / "dataset")
    assert result.written, result.report.render()
    rules = {f.rule for f in result.report.warnings}
    assert {"open_suggestions", "article_links_event"} <= rules
    report = api.validate_article(repo_copy / "seeds", made.article_id)
    assert report.ok and "open_suggestions" in report.by_rule()


def _refused(repo_copy, text_path, **info) -> UserError:
    before = _tree(repo_copy / "seeds")
    with pytest.raises(UserError) as exc:
        api.new_article(repo_copy / "seeds", text_path, **info)
    assert _tree(repo_copy / "seeds") == before, "a refused `new` must leave seeds/ untouched"
    assert exc.value.hint
    return exc.value


def test_new_refuses_non_utf8(repo_copy, tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Erdoğan said".encode("iso-8859-9"))
    assert "not UTF-8" in _refused(repo_copy, bad, date=date(2025, 1, 1)).message


def test_new_refuses_binary_and_empty(repo_copy, tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "empty.txt").write_text("  \n")
    assert "not a text file" in _refused(repo_copy, tmp_path / "bin.txt", date=date(2025, 1, 1)).message
    assert "empty" in _refused(repo_copy, tmp_path / "empty.txt", date=date(2025, 1, 1)).message


def test_new_refuses_text_already_in_corpus(repo_copy, repo):
    seed = next((repo / "seeds" / "texts").glob("000_*.txt"))
    assert "already in the corpus" in _refused(repo_copy, seed, date=date(2025, 3, 16)).message


def test_new_refuses_id_collision(repo_copy, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Another text about Ankara.", encoding="utf-8")
    err = _refused(repo_copy, other, date=date(2025, 3, 16), article_id="2025-03-16-erdogan-trump-call-readout")
    assert "already taken" in err.message and "--id" in err.hint


def test_new_refuses_bad_dates(repo_copy):
    assert "--date-earliest" in _refused(repo_copy, EXAMPLE).message
    err = _refused(repo_copy, EXAMPLE, date_earliest=date(2025, 6, 20), date_latest=date(2025, 6, 1),
                   notes=["n"])
    assert "after" in err.message
    assert "--note" in _refused(repo_copy, EXAMPLE, date_earliest=date(2025, 6, 1), date_latest=date(2025, 6, 20)).message


def test_cli_new_invalid_date_is_a_usage_error(repo_copy, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["new", str(EXAMPLE), "--seeds", str(repo_copy / "seeds"), "--date", "2025-02-30"])
    assert exc.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_cli_refusal_has_no_traceback(repo_copy, tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("")
    assert main(["new", str(tmp_path / "empty.txt"), "--seeds", str(repo_copy / "seeds"), "--date", "2025-01-01"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "hint:" in err and "Traceback" not in err


def test_new_and_validate_article_refuse_a_missing_seeds_folder(tmp_path, capsys):
    # new made the mistyped folder, with texts/ and annotations/ and no registry, and said it added the article
    nope = tmp_path / "nope"
    assert main(["new", str(EXAMPLE), "--seeds", str(nope), "--date", "2025-06-14"]) == 1
    assert main(["validate", "--article", "x", str(nope)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: seeds folder {nope} not found", "  hint: run this in a diplonews checkout, or give the folder with --seeds",
        # validate takes the folder as its argument: it has no --seeds
        f"error: seeds folder {nope} not found", "  hint: run this in a diplonews checkout, or give the folder with "
        "validate's folder argument: diplonews validate DIR --article ID"]
    assert list(tmp_path.iterdir()) == []


# --- registry edits --------------------------------------------------------------------------


def test_actor_add_appends_and_preserves_comments(repo_copy):
    path = repo_copy / "seeds" / "registry" / "actors.yaml"
    before = path.read_text(encoding="utf-8")
    api.add_actor(repo_copy / "seeds", id="kaja-kallas", name="Kaja Kallas", type="person", country="EST",
                  aliases=["Kaja Kallas", "Kallas"])
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # nothing above is rewritten: comments, order, flow style kept
    assert after[len(before):] == (
        "  - id: kaja-kallas\n    name: Kaja Kallas\n    type: person\n    country: EST\n"
        "    aliases: [Kaja Kallas, Kallas]\n"
    )


def test_registry_additions_keep_every_other_entrys_nulls_as_written(repo_copy):
    """A null written ``null``, ``~`` or as nothing keeps its spelling when an entry is appended."""
    seeds = repo_copy / "seeds"
    actors, events = seeds / "registry" / "actors.yaml", seeds / "registry" / "events.yaml"
    for path, after, nulls in ((actors, "    country: TUR\n", "    parent: null\n    note: ~\n    wikidata:\n"),
                               (events, "    summary: Türkiye acquires Russian S-400 air defence missile systems.\n",
                                "    location: null\n    cameo: ~\n    plover:\n")):
        text = path.read_text(encoding="utf-8")
        assert text.count(after) >= 1
        path.write_text(text.replace(after, after + nulls, 1), encoding="utf-8")
    before = actors.read_text(encoding="utf-8"), events.read_text(encoding="utf-8")
    api.add_actor(seeds, id="kaja-kallas", name="Kaja Kallas", type="person")
    api.add_event(seeds, id="2025-06-13-fidan-kallas-call", type="phone_call", status="occurred",
                  date_basis="relative", summary="Fidan and Kallas speak by phone.",
                  participants=[{"actor": "kaja-kallas", "role": "participant"}])
    assert actors.read_text(encoding="utf-8").startswith(before[0])
    assert events.read_text(encoding="utf-8").startswith(before[1])


@pytest.mark.parametrize(
    "entry,message",
    [
        ({"id": "turkiye", "name": "X", "type": "state"}, "already exists"),
        ({"id": "x", "name": "X", "type": "state", "country": "XXX"}, "unknown country"),
        ({"id": "x", "name": "X", "type": "state", "aliases": ["ankara"]}, "already belongs to 'turkiye-government'"),
        # 'İ' folds to 'i' as the build's alias_key folds it (casefold alone keeps a combining dot)
        ({"id": "x", "name": "X", "type": "person", "aliases": ["ekrem imamoğlu"]}, "already belongs to 'ekrem-imamoglu'"),
        ({"id": "x", "name": "X", "type": "planet"}, "invalid actor"),
        ({"id": "x", "name": "X", "type": "person", "parent": "turkiye-goverment"}, "unknown actor ID"),
    ],
)
def test_actor_add_refusals(repo_copy, entry, message):
    before = _tree(repo_copy / "seeds")
    with pytest.raises(UserError) as exc:
        api.add_actor(repo_copy / "seeds", **entry)
    assert message in exc.value.message
    assert _tree(repo_copy / "seeds") == before


def test_event_add_and_refusals(repo_copy):
    seeds = repo_copy / "seeds"
    with pytest.raises(UserError, match="unknown event type"):
        api.add_event(seeds, id="e", type="phonecall", status="occurred", date_basis="stated", summary="s",
                      participants=[{"actor": "turkiye", "role": "participant"}])
    with pytest.raises(UserError, match="unknown actor ID 'turkey'"):
        api.add_event(seeds, id="e", type="phone_call", status="occurred", date_basis="stated", summary="s",
                      participants=[{"actor": "turkey", "role": "participant"}])
    with pytest.raises(UserError, match="needs at least one participant"):
        api.add_event(seeds, id="e", type="phone_call", status="occurred", date_basis="stated", summary="s")
    api.add_event(seeds, id="2025-06-13-fidan-kallas-call", type="phone_call", status="occurred",
                  date_start="2025-06-13", date_end="2025-06-13", date_precision="day", date_basis="relative",
                  summary="Fidan and Kallas speak by phone.",
                  participants=[{"actor": "hakan-fidan", "role": "participant", "capacity": "foreign-minister"}])
    assert api.build(seeds, repo_copy / "dataset").written


def test_cli_actor_and_event_add(repo_copy, capsys):
    seeds = str(repo_copy / "seeds")
    assert main(["actor", "add", "--seeds", seeds, "--id", "kaja-kallas", "--name", "Kaja Kallas", "--type",
                 "person", "--country", "EST", "--alias", "Kallas"]) == 0
    assert main(["event", "add", "--seeds", seeds, "--id", "x-call", "--type", "phone_call", "--status", "occurred",
                 "--date", "2025-06-13", "--basis", "relative", "--summary", "A call.",
                 "--participant", "kaja-kallas:participant"]) == 0
    # A one-sided window ("ahead of the visit"): only a last day, declared open at the start, no precision.
    assert main(["event", "add", "--seeds", seeds, "--id", "x-remarks", "--type", "statement", "--status", "occurred",
                 "--date-end", "2025-06-12", "--open", "start", "--basis", "relative", "--summary", "Remarks.",
                 "--participant", "kaja-kallas:author"]) == 0
    entry = yaml.safe_load((repo_copy / "seeds" / "registry" / "events.yaml").read_text())["events"][-1]
    assert {k: v for k, v in entry.items() if k.startswith("date_")} == {
        "date_end": date(2025, 6, 12), "date_open": "start", "date_basis": "relative"}
    assert main(["actor", "add", "--seeds", seeds, "--id", "y", "--name", "Y", "--type", "person",
                 "--role", "president"]) == 1
    assert "ROLE:ORGANIZATION" in capsys.readouterr().err


# --- validation that teaches -----------------------------------------------------------------


def test_work_in_progress_file_reports_every_problem_at_once(repo_copy):
    made = api.new_article(repo_copy / "seeds", EXAMPLE, date=date(2025, 6, 14))
    path = made.annotation_path
    text = path.read_text(encoding="utf-8").replace(
        "actor_mentions: []",
        "actor_mentions:\n"
        "  - {actor: hakan-fidn, quote: Hakan Fidan}\n"
        "  - {actor: hakan-fidan, quote: Hakan Fidam}\n"
        "  - {actor: hakan-fidan, quote: Fidan}\n"
        "  - {actor: hakan-fidan, quote: Hakan Fidan, ocurrence: 1}",
    ).replace("positions: []", "positions:\n  - {id: p, holder: hakan-fidan, topic: russia-ukraine-peace, "
                               "stance: supportive, cameo: \"051\", quote: Türkiye is ready}")
    path.write_text(text, encoding="utf-8")
    report = api.validate_article(repo_copy / "seeds", made.article_id)
    rules = report.by_rule()
    assert rules["unknown_reference"] == 1 and rules["quote_found"] == 1 and rules["quote_unambiguous"] == 1
    assert rules["source_schema"] == 2  # the misspelt key and the bad enum, each with its line
    msgs = {f.rule: f for f in report.errors}
    assert "did you mean 'hakan-fidan'" in msgs["unknown_reference"].hint
    assert "Hakan Fidan" in msgs["quote_found"].hint
    bad_enum = next(f for f in report.errors if "stance" in f.message)
    assert "'support'" in bad_enum.message and bad_enum.line == text.splitlines().index(
        next(line for line in text.splitlines() if "supportive" in line)) + 1
    typo = next(f for f in report.errors if "ocurrence" in f.message)
    assert typo.hint == "did you mean 'occurrence'?"


def test_validate_article_unknown_id_suggests(repo_copy):
    with pytest.raises(UserError) as exc:
        api.validate_article(repo_copy / "seeds", "2025-03-16-erdogan-trump-call")
    assert "2025-03-16-erdogan-trump-call-readout" in exc.value.hint


def test_status_counts(repo_copy, capsys):
    api.new_article(repo_copy / "seeds", EXAMPLE, date=date(2025, 6, 14))
    rows = {r["article_id"]: r for r in api.status(repo_copy / "seeds")}
    new = rows["2025-06-fidan-kallas-call"] if "2025-06-fidan-kallas-call" in rows else next(
        r for k, r in rows.items() if k.startswith("2025-06-14"))
    assert new["suggestions"] > 0 and new["actor_mentions"] == 0
    assert rows["2025-03-16-erdogan-trump-call-readout"]["suggestions"] == 0
    assert main(["status", "--seeds", str(repo_copy / "seeds")]) == 0
    assert "2025-03-16-erdogan-trump-call-readout" in capsys.readouterr().out


# --- the walk-through of docs/extending.md, end to end -----------------------------------------


def test_walkthrough_grows_the_dataset_by_exactly_one_article(repo_copy):
    seeds, out = repo_copy / "seeds", repo_copy / "dataset"
    before = {name: json.loads((out / "json" / f"{name}.json").read_text()) for name in
              ("articles", "actor_mentions", "event_mentions", "positions", "demands", "events", "actors")}
    made = api.new_article(seeds, EXAMPLE, title="Fidan and Kallas discuss Ukraine by phone",
                           date=date(2025, 6, 14))
    api.add_actor(seeds, id="kaja-kallas", name="Kaja Kallas", type="person", aliases=["Kaja Kallas", "Kallas"])
    api.add_event(seeds, id="2025-06-13-fidan-kallas-call", type="phone_call", status="occurred",
                  date_start="2025-06-13", date_end="2025-06-13", date_precision="day", date_basis="relative",
                  date_note='"on Friday" in the article of Saturday 2025-06-14.',
                  summary="Fidan and Kallas discuss the war in Ukraine by phone.",
                  participants=[{"actor": "hakan-fidan", "role": "participant", "capacity": "foreign-minister"},
                                {"actor": "kaja-kallas", "role": "participant"}])
    data = yaml.safe_load(made.annotation_path.read_text(encoding="utf-8"))
    confirmed = [{k: v for k, v in s.items() if k != "kind"} for s in data["suggestions"]
                 if s["kind"] == "actor_mention"]
    text = made.annotation_path.read_text(encoding="utf-8")
    head = text[: text.index("actor_mentions: []")]
    body = yaml.safe_dump({
        "actor_mentions": confirmed + [{"actor": "kaja-kallas", "quote": "Kaja Kallas"}],
        "event_mentions": [{"event": "2025-06-13-fidan-kallas-call", "quote": "spoke by phone on Friday",
                            "reported_status": "occurred", "date_expression": "on Friday"}],
        "positions": [{"id": "turkiye-ready-to-host-talks", "holder": "hakan-fidan", "topic": "russia-ukraine-peace",
                       "stance": "support", "event": "2025-06-13-fidan-kallas-call", "cameo": "036",
                       "quote": "Türkiye is ready to host a new round of talks"}],
        "demands": [],
    }, sort_keys=False, allow_unicode=True)
    made.annotation_path.write_text(head + body, encoding="utf-8")
    assert api.validate_article(seeds, made.article_id).ok
    result = api.build(seeds, out)
    assert result.written, result.report.render()
    after = {name: json.loads((out / "json" / f"{name}.json").read_text()) for name in before}
    for name in ("articles", "actor_mentions", "event_mentions", "positions", "demands"):
        old = [r for r in after[name] if r["article_id"] != made.article_id]
        new = [r for r in after[name] if r["article_id"] == made.article_id]
        assert old == before[name], f"{name}: rows of other articles changed"
        assert bool(new) == (name != "demands"), name
    assert [e for e in after["events"] if e["event_id"] != "2025-06-13-fidan-kallas-call"] == before["events"]
    assert [a for a in after["actors"] if a["actor_id"] != "kaja-kallas"] == before["actors"]


# --- properties ------------------------------------------------------------------------------------


words = st.sampled_from(["Erdoğan", "ERDOGAN", "erdogan", "Ankara", "İmamoğlu", "the", "Kremlin", "𝔘", "said", ","])


@settings(max_examples=60, deadline=None)
@given(st.lists(words, min_size=1, max_size=40).map(" ".join))
def test_suggestion_quotes_resolve_to_their_offsets(text):
    aliases = {"Erdoğan": "recep-tayyip-erdogan", "Ankara": "turkiye-government", "Kremlin": "russian-presidency",
               "Imamoglu": "ekrem-imamoglu"}
    for m in match_aliases(text, aliases):
        quote = text[m.start:m.end]
        assert fold(quote)[0] in {fold(a)[0] for a in aliases}
    registry = Registry(actors=[ActorEntry(id=actor, name=alias, type="person")
                                for alias, actor in aliases.items()])
    for s in suggest(text, registry, date(2025, 3, 16)):
        res = resolve(text, s["quote"], s.get("occurrence"))
        assert res.problem is None, s
        assert text[res.start:res.end] == s["quote"]
