"""Fuzzing the sources: random and mutated annotation files, registries and texts go through the build
and ``validate``; whatever they hold, the outcome is findings (never an exception), and a build that
reports an error leaves the previous output untouched."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplonews import api
from diplonews.builders.pipeline import build

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "2025-03-16-erdogan-trump-call-readout"
TARGETS = (
    f"annotations/{ARTICLE}.yaml",
    "annotations/zz-new.yaml",
    "registry/actors.yaml",
    "registry/events.yaml",
    "registry/topics.yaml",
    "texts/000_98d600180e60fb2a.txt",
)
"""Files a fuzzed content is written to (one per example)."""

TOKENS = [
    b"", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\r\n", b"\t", b"\n- ", b": ", b"- ",
    b"  ", b"{", b"}", b"[", b"]", b"'", b'"', b"#", b"&a ", b"*a", b"!!binary ", b"!!python/object:os.system ",
    b"? [1, 2]: x", b"<<: {a: 1}", b"---\n", b"...\n", b"%YAML 1.1\n", b"~", b"null", b"yes", b"0", b"-0", b".inf",
    b"1e400", b"99999999999999999999999999999999", b"0x7fffffffffffffffffff", b"2025-02-30", b"0000-01-01",
    b"9999-12-31", b"10000-01-01", b"date: 0", b"occurrence: 0", b"occurrence: -1", b"occurrence: 1e9",
    b"quote: ''", b"\xe2\x80\xa8", b"\xe2\x80\x99", b"[" * 200, b"]" * 200, b"{a: " * 60, b"- " * 100,
    b"x" * 30_000,
]
"""Pieces that tend to break parsers and loaders: encodings, YAML syntax, extreme numbers, odd dates."""

KEYS = ["article", "id", "text_file", "quote", "occurrence", "actor", "event", "topic", "actors", "events",
        "topics", "published_date", "published_date_basis", "date_start", "date_end", "roles", "start",
        "participants", "aliases", "suggestions", "positions", "demands", "stance", "holder", "name", "type"]
"""Keys of the source models, so that generated YAML gets past the first key check now and then."""

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
    st.sampled_from(["2025-03-16", "2025-02-30", "0", "9999-12-31", "recep-tayyip-erdogan", "Erdoğan",
                     "000_98d600180e60fb2a.txt", "stated", "support", "../../etc/passwd"]),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=6)),
    max_leaves=30,
)


@st.composite
def mutated(draw, original: bytes) -> bytes:
    """``original`` with a few slices replaced by tokens or random bytes."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 64)))
        data[start:end] = draw(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=16)))
    return bytes(data)


HOSTILE = st.one_of(
    st.sampled_from([0, -1, 10**30, 1.5, True, None, "", " ", [], {}, "0", "9999-12-31", "10000-01-01",
                     "0001-01-01", "2025-02-30", "1970-01-01", "\x00", "\ufeff", "x" * 30_000, [[[[[[[[1]]]]]]]],
                     {"quote": "Erdoğan"}]),
    scalars,
)
"""Values put in place of one value of a source, past the YAML syntax stage."""

WATCHED = ("date", "start", "end", "quote", "occurrence", "text_file", "id", "actor", "event", "topic", "type")
"""Keys whose values are replaced most often: dates, evidence and references, where the checks are."""


def _paths(node, path=()):
    """Every (path, key) to a value inside ``node``."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield (*path, key), key
        yield from _paths(value, (*path, key))


@st.composite
def replaced(draw, original: bytes) -> bytes:
    """``original`` (YAML) with one value replaced by a hostile one; dates and references most often."""
    doc = yaml.safe_load(original)
    paths = list(_paths(doc))
    watched = [p for p, key in paths if isinstance(key, str) and key.startswith(WATCHED)]
    path = draw(st.sampled_from(watched if watched and draw(st.booleans()) else [p for p, _ in paths]))
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = draw(HOSTILE)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


@st.composite
def cases(draw) -> tuple[str, bytes]:
    """A target file and the bytes it gets."""
    target = draw(st.sampled_from(TARGETS))
    source = REPO / "seeds" / target
    original = source.read_bytes() if source.exists() else (REPO / "seeds" / TARGETS[0]).read_bytes()
    is_yaml = target.endswith(".yaml")
    content = draw(st.one_of(
        replaced(original) if is_yaml else st.sampled_from([b"", b" \n", b"\xef\xbb\xbf" + original,
                                                            original.replace(b"a", b"\x00"), original[:50]]),
        mutated(original),
        st.binary(max_size=300),
        documents.map(lambda doc: yaml.safe_dump(doc, allow_unicode=True).encode("utf-8")),
        st.sampled_from(TOKENS).map(lambda token: original[:200] + token * 3 + original[200:]),
    ))
    return target, content


DATED = ("registry/events.yaml", "registry/actors.yaml", f"annotations/{ARTICLE}.yaml")
"""The sources that hold dates."""

odd_dates = st.one_of(
    st.sampled_from([date.max, date.min, date(9998, 12, 31)]).map(str),
    st.dates(min_value=date(9999, 1, 1)).map(str), st.dates(max_value=date(1, 12, 31)).map(str), st.dates().map(str),
    st.one_of(st.integers(), st.floats(), st.booleans(), st.text(max_size=12),
              st.sampled_from(["10000-01-01", "2025-02-30", "0000-00-00", "2025-3-16"])),
)
"""The edges of the calendar (where date arithmetic overflows), any date, and what is not a date."""


def _is_date_key(key: object) -> bool:
    return key in ("start", "end") or (str(key).startswith(("date_", "published_date"))
                                       and not str(key).endswith(("basis", "note", "precision")))


@st.composite
def redated(draw) -> tuple[str, bytes]:
    """A source with the dates of one entry (an event's start and end, say) replaced by one odd value."""
    target = draw(st.sampled_from(DATED))
    doc = yaml.safe_load((REPO / "seeds" / target).read_bytes())
    path = draw(st.sampled_from([p for p, key in _paths(doc) if _is_date_key(key)]))
    entry = doc
    for key in path[:-1]:
        entry = entry[key]
    value = draw(odd_dates)
    for key in [k for k in entry if _is_date_key(k)]:
        entry[key] = value
    return target, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> dict:
    """A small seeds folder (the registries and one article) and a dataset built from it."""
    root = tmp_path_factory.mktemp("fuzz")
    seeds = root / "seeds"
    shutil.copytree(REPO / "seeds" / "registry", seeds / "registry")
    (seeds / "annotations").mkdir()
    (seeds / "texts").mkdir()
    shutil.copy(REPO / "seeds" / TARGETS[0], seeds / TARGETS[0])
    shutil.copy(REPO / "seeds" / TARGETS[-1], seeds / TARGETS[-1])
    out = root / "dataset"
    assert build(seeds, out).written
    return {"seeds": seeds, "out": out, "work": root / "work", "before": _snapshot(out)}


FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
"""Bounded (about 20 s per test) and the same examples on every run, so a failure can be replayed."""


@FUZZ
@given(case=cases())
def test_any_source_gives_findings_not_exceptions(workspace, case):
    _check(workspace, *case)


@FUZZ
@given(case=redated())
def test_any_date_gives_findings_not_exceptions(workspace, case):
    _check(workspace, *case)


def _check(workspace: dict, target: str, content: bytes) -> None:
    """Build and validate the seeds with ``content`` in ``target``: findings, never an exception, and the
    previous output untouched by a build that reports an error."""
    seeds = workspace["work"]
    if seeds.exists():
        shutil.rmtree(seeds)
    shutil.copytree(workspace["seeds"], seeds)
    (seeds / target).write_bytes(content)
    out = workspace["out"]
    result = build(seeds, out)
    if result.written:  # a harmless change: the new output is the one to keep unchanged from now on
        workspace["before"] = _snapshot(out)
    else:
        assert result.report.errors, result.report.render()
        assert _snapshot(out) == workspace["before"]
    report = api.validate(seeds)
    assert report.ok == result.written, report.render()
