"""Property-based tests: valid datasets validate clean; any single break is reported by its rule."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplonews.builders.compile.evidence import occurrences, resolve
from diplonews.validators.dataset import validate_dataset

from .synthetic import BREAKS, make_rows, write_dataset

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])

sizes = st.fixed_dictionaries(
    {"n_articles": st.integers(1, 3), "n_actors": st.integers(2, 4), "n_events": st.integers(1, 3)}
)


@SETTINGS
@given(seed=st.integers(0, 2**32), size=sizes)
def test_generated_valid_datasets_validate_clean(seed, size):
    with tempfile.TemporaryDirectory() as tmp:
        report = validate_dataset(write_dataset(make_rows(random.Random(seed), **size), Path(tmp)))
    assert report.findings == [], report.render()


@SETTINGS
@given(seed=st.integers(0, 2**32), size=sizes, rule=st.sampled_from(sorted(BREAKS)))
def test_any_single_break_is_reported_by_its_rule(seed, size, rule):
    rows = make_rows(random.Random(seed), **size)
    BREAKS[rule](rows)
    with tempfile.TemporaryDirectory() as tmp:
        report = validate_dataset(write_dataset(rows, Path(tmp)))
    assert rule in report.by_rule(), report.render()


@given(text=st.text(min_size=1, max_size=200), data=st.data())
def test_quotes_resolve_to_their_offsets(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    starts = occurrences(text, quote)
    occurrence = starts.index(start) + 1
    res = resolve(text, quote, occurrence if len(starts) > 1 else None)
    assert (res.start, res.end) == (start, end)
    assert text[res.start:res.end] == quote


@given(text=st.text(max_size=100), quote=st.text(min_size=1, max_size=5))
def test_ambiguous_quotes_are_never_resolved_silently(text, quote):
    res = resolve(text, quote, None)
    n = len(occurrences(text, quote))
    assert (res.problem is None) == (n == 1)


@given(text=st.text(max_size=100), quote=st.text(min_size=1, max_size=5), occurrence=st.integers(max_value=0))
def test_an_occurrence_below_one_is_refused(text, quote, occurrence):
    """0 and negative occurrences name no occurrence: never the last one (Python's index -1) or an error."""
    res = resolve(text, quote, occurrence)
    assert (res.start, res.end) == (None, None)
    assert res.problem == ("missing" if not occurrences(text, quote) else "occurrence")


def test_occurrence_zero_of_a_repeated_quote_is_refused():
    assert resolve("a b a", "a", 0).problem == "occurrence"
    assert resolve("a b a", "a", -1).problem == "occurrence"
    assert (resolve("a b a", "a", 2).start, resolve("a b a", "a", 2).end) == (4, 5)
