"""Issue 11: suggestions worth confirming. Each date expression kind, the new-actor filters, the actor-mention
rules and event matching, on small texts against the seed registry (the leave-one-out figures over the seed
articles are in benchmarks/suggestions.py, not here)."""

from __future__ import annotations

from datetime import date

import pytest

from diplonews.builders.authoring.registry_index import Registry, load_registry
from diplonews.builders.authoring.reldates import find_dates
from diplonews.builders.authoring.suggest import actor_mentions, reported_status, suggest
from diplonews.builders.authoring.wordlists import not_an_actor
from diplonews.schema.annotation import ActorEntry

WED = date(2025, 3, 26)  # a Wednesday


@pytest.fixture(scope="module")
def registry(repo) -> Registry:
    return load_registry(repo / "seeds")


def _one(text: str, anchor: date = WED, latest: date | None = None):
    found = find_dates(text, anchor, latest)
    assert len(found) == 1, found
    return found[0]


# --- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,words,first,last,basis,precision", [
    ("It happened last Saturday.", "last Saturday", "2025-03-22", "2025-03-22", "relative", "day"),
    ("They met on Wednesday.", "on Wednesday", "2025-03-26", "2025-03-26", "relative", "day"),  # the anchor's own day
    ("They will meet on Wednesday.", "on Wednesday", "2025-04-02", "2025-04-02", "relative", "day"),
    ("On Tuesday, he kicked off a visit where he was expected to ask for more.", "On Tuesday", "2025-03-25",
     "2025-03-25", "relative", "day"),  # the future cue is in another clause
    ("Talks are planned next week.", "next week", "2025-03-31", "2025-04-06", "relative", "week"),
    ("A call is expected later this month.", "later this month", "2025-03-26", "2025-03-31", "relative", "week"),
    ("He said so earlier this year.", "earlier this year", "2025-01-01", "2025-03-26", "relative", "year"),
    ("He might visit the US in April.", "in April", "2025-04-01", "2025-04-30", "relative", "month"),
    ("The talks were held March 16-18.", "March 16-18", "2025-03-16", "2025-03-18", "relative", "day"),
    ("The summit ran 16-18 March 2025.", "16-18 March 2025", "2025-03-16", "2025-03-18", "stated", "day"),
    ("Talks ran from Monday to Wednesday.", "from Monday to Wednesday", "2025-03-24", "2025-03-26", "relative", "day"),
    ("It bought the systems in 2019.", "in 2019", "2019-01-01", "2019-12-31", "stated", "year"),
    ("They spoke a few days ago.", "a few days ago", "2025-03-19", "2025-03-24", "relative", "week"),
])
def test_each_date_expression_kind(text, words, first, last, basis, precision):
    d = _one(text)
    assert (text[d.start:d.end], d.earliest.isoformat(), d.latest.isoformat(), d.basis, d.precision) == (
        words, first, last, basis, precision)


def test_days_after_counts_from_another_event_and_is_left_unresolved():
    d = _one("The visit comes days after a phone call.")
    assert d.text == "days after" and d.earliest is None and "another event" in d.resolution


def test_an_undated_article_resolves_against_its_whole_interval():
    # "later this week" in an article dated 2025-03-17..2025-03-31: the week of the first day to that of the last
    d = _one("Erdoğan may call Putin later this week.", date(2025, 3, 17), date(2025, 3, 31))
    assert (d.earliest, d.latest) == (date(2025, 3, 17), date(2025, 4, 6))
    d = _one("They spoke this week.", date(2025, 3, 17), date(2025, 3, 31))
    assert (d.earliest, d.latest, d.precision) == (date(2025, 3, 17), date(2025, 4, 6), "month")


def test_a_presidency_is_a_period_from_the_registry_roles(registry):
    found = suggest("Conversations were ongoing under Biden.", registry, WED)
    d = next(s for s in found if s["kind"] == "date")
    assert (d["quote"], d["earliest"], d["latest"], d["basis"]) == ("under Biden", "2021-01-20", "2025-01-20",
                                                                     "inferred")


# --- actor mentions -------------------------------------------------------------------------------


def _mentions(text: str, registry: Registry, anchor: date = WED, title: str | None = None) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.ref) for m in actor_mentions(text, registry, anchor, title)]


def test_names_used_as_modifiers_are_no_mentions_but_compounds_and_possessives_are(registry):
    assert _mentions("US officials met NATO allies after US-led talks.", registry) == []
    assert _mentions("It is about Turkey-US ties.", registry) == [("Turkey", "turkiye"), ("US", "united-states")]
    assert _mentions("Turkey’s support matters.", registry) == [("Turkey", "turkiye")]
    assert _mentions("It broke Countering America's Adversaries Through Sanctions Act.", registry) == []


def test_metonyms_are_mentions_unless_they_name_the_place(registry):
    assert _mentions("Fidan began a visit to Washington.", registry) == [("Fidan", "hakan-fidan")]
    assert _mentions("It drew warnings from Washington.", registry) == [("Washington", "us-government")]
    assert _mentions("It referred to Washington’s alliance.", registry) == [("Washington", "us-government")]
    assert _mentions("Ukraine got support from Kyiv's allies.", registry)[1] == ("Kyiv", "ukraine-government")


def test_a_capital_stands_for_the_government_of_its_country():
    registry = Registry(actors=[
        ActorEntry(id="france", name="France", type="state", country="FRA", aliases=["France"]),
        ActorEntry(id="france-government", name="Government of France", type="government", country="FRA",
                   parent="france"),
    ])
    assert _mentions("Paris said it would wait.", registry) == [("Paris", "france-government")]
    assert _mentions("He flew to Paris.", registry) == []


def test_other_country_names_and_governments_by_country():
    registry = Registry(actors=[
        ActorEntry(id="russia", name="Russia", type="state", country="RUS", aliases=["Russia"]),
        ActorEntry(id="russia-government", name="Government of Russia", type="government", country="RUS",
                   parent="russia"),
        ActorEntry(id="united-states", name="United States", type="state", country="USA", aliases=["U.S."]),
        ActorEntry(id="us-government", name="Government of the United States", type="government", country="USA",
                   parent="united-states"),
    ])
    assert _mentions("The Russian Federation said so.", registry) == [("Russian Federation", "russia")]
    assert _mentions("He swayed the U.S. administration and the Russian government.", registry) == [
        ("U.S. administration", "us-government"), ("Russian government", "russia-government")]


def test_roles_held_on_the_article_date(registry):
    assert _mentions("The talks angered the Turkish president.", registry) == [
        ("Turkish president", "recep-tayyip-erdogan")]
    # a name after the role words is the mention; a role not held on the date names nobody
    assert _mentions("Turkish President Recep Tayyip Erdoğan spoke.", registry) == [
        ("Recep Tayyip Erdoğan", "recep-tayyip-erdogan")]
    assert _mentions("The talks angered the Turkish president.", registry, date(2010, 1, 1)) == []
    # the same role as the person just named, in the country named
    assert ("Russian counterpart", "vladimir-putin") in _mentions("Trump spoke with his Russian counterpart.", registry)


def test_administrations_are_the_government_and_the_person(registry):
    found = _mentions("Previously, during Donald Trump’s administration, sanctions followed.", registry)
    assert ("Donald Trump’s administration", "us-government") in found and ("Donald Trump", "donald-trump") in found
    found = _mentions("The administration of former president Joe Biden kept Turkey at arm's length.", registry)
    assert ("The administration", "us-government") in found


def test_breadcrumbs_and_section_headings_are_skipped(registry):
    text = ("Home Europe Rubio seeks Turkey’s backing\n\nRubio seeks Turkey’s backing\n\nRubio met Fidan.\n\n"
            "Turkey’s Role in Relations\n\nFidan said so.")
    title_line = text.index("\n\n") + 2
    found = [(text[m.start:m.end], m.start) for m in actor_mentions(text, registry, WED)]
    assert [q for q, _ in found] == ["Rubio", "Turkey", "Rubio", "Fidan", "Fidan"]
    assert found[0][1] == title_line  # the title line counts, the breadcrumb that repeats it does not
    # with the title given, the line that starts with it is the title line
    found = [m.start for m in actor_mentions(text, registry, WED, "Rubio seeks Turkey’s backing")]
    assert found[0] == title_line


# --- new actors --------------------------------------------------------------------------------


def test_no_nationality_adjective_weekday_month_or_place_is_a_new_actor(registry):
    text = ("Turkish and European officials met on Monday in March in Istanbul and Alaska. Interfax reported it. "
            "Exclusion from the programme pushed Turkey to buy 40 S-400 systems.")
    names = [s["quote"] for s in suggest(text, registry, WED) if s["kind"] == "new_actor"]
    assert names == ["Interfax"]
    for word, why in [("Turkish", "nationality adjective"), ("Monday", "weekday"), ("March", "month"),
                      ("Istanbul", "plain place name"), ("Alaska", "plain place name")]:
        assert not_an_actor(word) == why


def test_anonymous_sources_and_groups_are_new_actor_candidates(registry):
    text = "A Turkish official told reporters that Iranian media had it wrong, and unnamed sources agreed."
    found = {s["quote"]: s.get("type") for s in suggest(text, registry, WED) if s["kind"] == "new_actor"}
    assert found == {"A Turkish official": "anonymous_source", "Iranian media": "group",
                     "unnamed sources": "anonymous_source"}


# --- events ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("clause,word,status", [
    ("Erdoğan may hold a phone conversation", "phone conversation", "speculated"),
    ("Technical talks will be held", "talks", "planned"),
    ("Further technical discussions are anticipated", "discussions", "planned"),
    ("Erdoğan plans to visit", "visit", "planned"),
    ("no official meetings have been scheduled", "meetings", "denied"),
    ("the Kremlin denied the call", "call", "denied"),
    ("the protests are ongoing", "protests", "ongoing"),
    ("Türkiye is ready to hold talks", "talks", "proposed"),
    ("Erdoğan held a phone call", "phone call", "occurred"),
    # a cue governs its own verb: not an event named after "and", nor one eight words on
    ("Ankara offered to mediate and hosted a round of negotiations", "negotiations", "occurred"),
    ("Fidan is expected to advocate for the lifting of sanctions imposed on Turkey", "sanctions imposed", "occurred"),
])
def test_status_from_tense_and_modality(clause, word, status):
    at = clause.index(word)
    assert reported_status(clause, at, at + len(word)) == status


def test_an_existing_event_is_named_by_type_participants_and_date(registry):
    text = "Erdoğan and Trump spoke by phone on Sunday."
    ev = [s for s in suggest(text, registry, date(2025, 3, 17)) if s["kind"] == "event"]
    assert ev[0]["looks_like"] == "2025-03-16-erdogan-trump-call" and ev[0]["reported_status"] == "occurred"
    assert ev[0]["because"] == ("type phone_call; participants recep-tayyip-erdogan, donald-trump; "
                                "'on Sunday' falls in its dates")
    # the same words a year earlier: the event is after the article, so it cannot be what it reports
    ev = [s for s in suggest(text, registry, date(2024, 3, 17)) if s["kind"] == "event"]
    assert "looks_like" not in ev[0] and ev[0]["new_event"]["date_start"] == "2024-03-17"


def test_a_new_event_gets_type_status_and_date(registry):
    text = "Erdoğan will visit Moscow next week."
    ev = [s for s in suggest(text, registry, date(2025, 6, 11)) if s["kind"] == "event"]
    assert ev[0]["new_event"] == {
        "type": "visit", "status": "planned", "date_start": "2025-06-16", "date_end": "2025-06-22",
        "date_precision": "week", "date_basis": "relative", "date_expression": "next week",
        "participants": ["recep-tayyip-erdogan"]}  # "visit Moscow": the place, not its government
