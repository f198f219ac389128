"""The fast YAML path gives exactly what the full line-tracking loader gives, or hands the file over."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from diplonews.builders.sources import yamlfast
from diplonews.builders.sources.yamllines import LineDict, LineList, Loader
from diplonews.builders.sources.yamlsource import parse_yaml

REPO = Path(__file__).resolve().parents[1]


def shape(data):
    """Values, types and every recorded line, as one comparable structure."""
    if isinstance(data, LineDict):
        return ("map", data.line, [(k, data.key_lines[k], shape(v)) for k, v in data.items()])
    if isinstance(data, LineList):
        return ("seq", data.line, data.item_lines, [shape(v) for v in data])
    return (type(data).__name__, data)


def full(text):
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a safe loader


def agree(text):
    """The fast path either matches the full loader exactly or declines, and then the file loads as
    with the full loader all the same; True when the fast path matched."""
    try:
        fast = yamlfast.load(text)
    except yamlfast.Unsupported:
        # Declining is only safe if the fallback gives the full loader's result: check that too.
        assert shape(parse_yaml(text, "f.yaml")) == shape(full(text)), text
        return False
    assert shape(fast) == shape(full(text)), text
    return True


SOURCES = sorted((REPO / "seeds").rglob("*.yaml"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_source_file_takes_the_fast_path_and_matches(path):
    assert agree(path.read_text(encoding="utf-8")), f"{path.name} fell back to the full loader"


SCALARS = [
    "yes", "No", "on", "~", "null", "", "0x1F", "0o17", "017", "1_000", "1:30", "-.inf", ".NaN", "1e3",
    "2025-03-16", "2025-02-30", "<<", "=", "a: b", "- x", "#", "Erdoğan", "𝔘nicode", "'", '"', "  pad ",
]
scalar = st.one_of(
    st.sampled_from(SCALARS), st.text(max_size=8), st.integers(), st.floats(allow_nan=False), st.booleans(),
    st.none(),
)
values = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(data=values, flow=st.sampled_from([None, True, False]), unicode=st.booleans())
def test_dumped_data_loads_the_same_as_with_the_full_loader(data, flow, unicode):
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=unicode, sort_keys=False)
    agree(text)


YAMLISH = st.text(alphabet="ab1.-:[]{},'\"\n &*!#<>~|?%@", max_size=40)


@settings(max_examples=500, deadline=None)
@given(text=YAMLISH)
def test_arbitrary_text_matches_or_falls_back(text):
    try:
        expected = shape(full(text))
    except yaml.YAMLError:
        with pytest.raises(yamlfast.Unsupported):
            yamlfast.load(text)
        return
    assert shape(parse_yaml(text, "f.yaml")) == expected
    agree(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1]\nb: *x\n",  # anchors and aliases
        "base: &b {k: 1}\nitem:\n  <<: *b\n  j: 2\n",  # merge key
        "a: !!str 1\n",  # explicit tag
    ],
)
def test_what_the_fast_path_declines_still_loads_in_full(text):
    with pytest.raises(yamlfast.Unsupported):
        yamlfast.load(text)
    assert shape(parse_yaml(text, "f.yaml")) == shape(full(text))


def test_errors_come_from_the_full_loader_with_their_line():
    from diplonews.builders.sources.yamlsource import SourceFileError

    for text, line in (("a: 1\na: 2\n", 2), ("a: [1\nb: 2\n", 2), ("x: 1\n? [1, 2]\n: x\n", 2),
                       ("a: 1\n---\nb: 2\n", 2)):
        with pytest.raises(SourceFileError) as err:
            parse_yaml(text, "f.yaml")
        assert err.value.findings[0].line == line


def test_a_key_overrides_the_key_it_merges_and_is_placed_at_its_own_line():
    """YAML's merge: a key written beside '<<: *anchor' replaces the merged one; it was called a duplicate key."""
    text = "m: &m {actor: a, quote: A}\nn:\n  <<: *m\n  quote: B\n"
    data = parse_yaml(text, "f.yaml")
    assert data["n"] == {"actor": "a", "quote": "B"} and data["n"].key_lines["quote"] == 4
    assert data["n"] == yaml.safe_load(text)["n"]


def test_a_key_written_twice_beside_a_merge_is_still_a_duplicate():
    from diplonews.builders.sources.yamlsource import SourceFileError

    with pytest.raises(SourceFileError) as err:
        parse_yaml("m: &m {a: 1}\nn:\n  <<: *m\n  b: 2\n  b: 3\n", "f.yaml")
    assert "duplicate key 'b'" in err.value.findings[0].message and err.value.findings[0].line == 5


@pytest.mark.parametrize("text, hint", [
    ("a: 1\nb: 2\na: 3\n", "write each key once in a mapping"),
    ("a: 1\nb: !!python/object:os.system x\n", "remove the tag"),
    ("a: 1\nb: !local x\n", "remove the tag"),
])
def test_a_duplicate_key_or_a_tag_is_explained_at_its_line(text, hint):
    """They were told to 'check indentation and quoting', which is not what is wrong."""
    from diplonews.builders.sources.yamlsource import SourceFileError

    with pytest.raises(SourceFileError) as err:
        parse_yaml(text, "f.yaml")
    [finding] = err.value.findings
    assert hint in finding.hint and finding.line == text.count("\n")


def test_nesting_too_deep_for_the_full_loader_is_a_finding_not_a_traceback():
    from diplonews.builders.sources.yamlsource import SourceFileError

    text = "a: &x 1\nb: " + "[" * 5000 + "]" * 5000 + "\n"  # the anchor sends it to the full loader
    with pytest.raises(SourceFileError) as err:
        parse_yaml(text, "f.yaml")
    assert err.value.findings[0].rule == "yaml_syntax"
