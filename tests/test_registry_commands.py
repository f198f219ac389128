"""Issue 11: actor|event list|search and topic add|list, so nobody greps the registries."""

from __future__ import annotations

import json

import pytest

from diplonews import api
from diplonews.cli import main
from diplonews.errors import UserError


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_actor_list_and_search(repo, capsys):
    seeds = str(repo / "seeds")
    status, out, _ = _run(capsys, "actor", "list", "--seeds", seeds)
    assert status == 0 and out.startswith("turkiye  (state, TUR)  Türkiye\n    aliases: Türkiye, Turkey\n")
    status, out, _ = _run(capsys, "actor", "list", "--seeds", seeds, "--format", "json")
    listed = json.loads(out)
    assert status == 0 and len(listed) == len(api.registry_entries(seeds, "actors"))
    # by alias, across case and diacritics; the exact alias first
    for query in ("erdogan", "ERDOĞAN"):
        status, out, _ = _run(capsys, "actor", "search", query, "--seeds", seeds, "--format", "json")
        assert status == 0 and json.loads(out)[0]["id"] == "recep-tayyip-erdogan"
    status, out, _ = _run(capsys, "actor", "search", "Kremlin", "--seeds", seeds)
    assert out.splitlines()[0].startswith("russian-presidency  (government, RUS)")


@pytest.mark.parametrize("query,expected,absent", [
    ("2025-03-16", "2025-03-16-erdogan-trump-call", "2025-08-20-erdogan-putin-call"),  # a day inside its dates
    ("2025-08", "2025-08-20-erdogan-putin-call", "2025-03-16-erdogan-trump-call"),  # a month it overlaps
    ("2025-08-01", "russia-ukraine-war", "2022-istanbul-peace-talks"),  # an ongoing event without an end runs on
    # on or before 2025-03-25 (a date only bounded above) is found by that date, not by any earlier month
    ("2025-03", "turkiye-offer-to-mediate-russia-ukraine", "2025-08-20-erdogan-putin-call"),
    ("2024-12", "biden-era-us-warnings-over-russia-trade", "turkiye-offer-to-mediate-russia-ukraine"),
    ("Putin", "2025-08-20-erdogan-putin-call", "2025-03-16-erdogan-trump-call"),  # a participant's alias
    ("vladimir-putin", "2025-08-18-trump-putin-call", "2019-turkiye-s400-acquisition"),  # a participant's ID
    ("Alaska", "2025-08-15-trump-putin-alaska-summit", "2025-08-18-trump-putin-call"),  # summary or location
    ("2025-03-25-fidan-rubio-meeting", "2025-03-25-fidan-rubio-meeting", "2025-03-25-fidan-washington-visit"),
])
def test_event_search(repo, capsys, query, expected, absent):
    status, out, _ = _run(capsys, "event", "search", query, "--seeds", str(repo / "seeds"), "--format", "json")
    ids = [e["id"] for e in json.loads(out)]
    assert status == 0 and expected in ids and absent not in ids


def test_event_search_text_names_dates_and_participants(repo, capsys):
    status, out, _ = _run(capsys, "event", "search", "2025-03-16-erdogan-trump-call", "--seeds", str(repo / "seeds"))
    assert status == 0
    assert out.splitlines()[0] == "2025-03-16-erdogan-trump-call  (phone_call, occurred, 2025-03-16)"
    assert "participants: recep-tayyip-erdogan (participant), donald-trump (participant)" in out


@pytest.mark.parametrize("argv,message,hint", [
    (["actor", "search", "Erdgan"], "no actor matches 'Erdgan'", "did you mean 'Erdogan'?"),
    (["event", "search", "xyzzy"], "no event matches 'xyzzy'", "diplonews event list"),
    (["topic", "search", "quantum"], "no topic matches 'quantum'", "diplonews topic list"),
    (["event", "search", "1999-02"], "no event matches '1999-02'", "diplonews event list"),
])
def test_a_search_that_finds_nothing_says_so_and_exits_1(repo, capsys, argv, message, hint):
    status, out, err = _run(capsys, *argv, "--seeds", str(repo / "seeds"))
    assert status == 1 and out == "" and message in err and hint in err and "Traceback" not in err
    status, out, _ = _run(capsys, *argv, "--seeds", str(repo / "seeds"), "--format", "json")
    assert status == 1 and json.loads(out) == []


def test_a_registry_that_does_not_load_is_reported_at_its_line(seeds_copy, capsys):
    path = seeds_copy / "registry" / "events.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: occurred", "status: happened", 1),
                    encoding="utf-8")
    status, out, err = _run(capsys, "event", "list", "--seeds", str(seeds_copy))
    assert status == 1 and out == "" and "events.yaml:" in err and "hint:" in err


def test_topic_list_and_add_keep_the_file_and_refuse_duplicates(seeds_copy, capsys):
    path = seeds_copy / "registry" / "topics.yaml"
    before = path.read_text(encoding="utf-8")
    status, out, _ = _run(capsys, "topic", "list", "--seeds", str(seeds_copy))
    assert status == 0 and out.startswith("russia-ukraine-peace  Peace in the Russia-Ukraine war\n")
    status, out, _ = _run(capsys, "topic", "add", "--seeds", str(seeds_copy), "--id", "black-sea-grain-deal",
                          "--label", "Black Sea grain deal", "--description", "Shipping grain from Ukraine's ports.")
    assert status == 0 and "added topic black-sea-grain-deal" in out
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # comments and every other entry kept as they were
    assert after[len(before):] == ("  - id: black-sea-grain-deal\n    label: Black Sea grain deal\n"
                                   "    description: Shipping grain from Ukraine's ports.\n")
    status, out, _ = _run(capsys, "topic", "search", "grain", "--seeds", str(seeds_copy), "--format", "json")
    assert [t["id"] for t in json.loads(out)] == ["black-sea-grain-deal"]


@pytest.mark.parametrize("entry,message,hint", [
    ({"id": "counterterrorism", "label": "X", "description": "d"}, "topic ID 'counterterrorism' already exists",
     "diplonews topic search counterterrorism"),
    ({"id": "fight-against-terror", "label": "COUNTERTERRORISM", "description": "d"},
     "topic 'counterterrorism' already has the label 'Counterterrorism'", "use topic 'counterterrorism'"),
    ({"id": "Not A Slug", "label": "X", "description": "d"}, "invalid topic", "lowercase slugs"),
    ({"id": "x", "label": "", "description": "d"}, "invalid topic", None),
])
def test_topic_add_refusals_change_nothing(seeds_copy, entry, message, hint):
    path = seeds_copy / "registry" / "topics.yaml"
    before = path.read_bytes()
    with pytest.raises(UserError) as exc:
        api.add_topic(seeds_copy, **entry)
    assert message in exc.value.message and (hint is None or hint in exc.value.hint)
    assert path.read_bytes() == before


def test_cli_topic_add_refusal_is_one_message(seeds_copy, capsys):
    status, _, err = _run(capsys, "topic", "add", "--seeds", str(seeds_copy), "--id", "counterterrorism", "--label",
                          "X", "--description", "d")
    assert status == 1 and err.startswith("error: topic ID 'counterterrorism' already exists")
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [["actor", "list"], ["topic", "list"], ["event", "list"], ["event", "search", "x"],
                                  ["actor", "search", "x"]])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_missing_seeds_folder_is_refused_as_build_refuses_it(tmp_path, capsys, argv, fmt):
    # it listed nothing and exited 0 ('no actors in /nope/registry', or '[]'), or said no event matched
    nope = tmp_path / "nope"
    status, out, err = _run(capsys, *argv, "--seeds", str(nope), "--format", fmt)
    assert status == 1 and out == ""
    assert err.splitlines() == [f"error: seeds folder {nope} not found",
                                "  hint: run this in a diplonews checkout, or give the folder with --seeds"]
    assert list(tmp_path.iterdir()) == []
