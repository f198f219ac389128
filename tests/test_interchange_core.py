"""The interchange core: layers derived from the models, offsets, and the YAML side of an import."""

from __future__ import annotations

import pytest

from diplonews.builders.interchange.layers import layers
from diplonews.builders.interchange.offsets import OffsetError, Utf16Offsets, utf16_len
from diplonews.schema.annotation import AnnotationFile, Evidence
from pydantic import Field

from tests.interchange_support import TRAP_TEXT


def test_layers_are_the_evidence_lists_of_the_annotation_file():
    names = [layer.name for layer in layers()]
    assert names == ["actor_mentions", "event_mentions", "positions", "demands"]
    position = next(layer for layer in layers() if layer.name == "positions")
    assert {f.name: f.refers_to for f in position.links} == {
        "holder": "actors", "topic": "topics", "target": "actors", "event": "events"}
    assert position.feature("stance").choices == ("support", "oppose", "neutral", "mixed")
    assert position.feature("id").kind == "text" and position.identity == "id"
    assert not any(f.name in ("quote", "occurrence") for layer in layers() for f in layer.features)


def test_a_layer_added_to_the_models_needs_no_mapping_code():
    class ClaimEntry(Evidence):
        speaker: str = Field(json_schema_extra={"refers_to": "actors"})
        certainty: float | None = None

    class Extended(AnnotationFile):
        claims: list[ClaimEntry] = Field(default_factory=list)

    claims = [layer for layer in layers(Extended) if layer.name == "claims"]
    assert len(claims) == 1 and claims[0].label == "Claim"
    assert [(f.name, f.kind, f.refers_to) for f in claims[0].features] == [
        ("speaker", "link", "actors"), ("certainty", "text", None)]


def test_utf16_offsets_both_ways_on_every_boundary():
    conv = Utf16Offsets(TRAP_TEXT)
    assert conv.length == utf16_len(TRAP_TEXT) > len(TRAP_TEXT)
    for i in range(len(TRAP_TEXT) + 1):
        unit = conv.to_utf16(i)
        assert unit == utf16_len(TRAP_TEXT[:i])
        assert conv.to_points(unit) == i


def test_an_offset_inside_a_surrogate_pair_is_refused():
    conv = Utf16Offsets("a🙂b")
    assert conv.to_points(1) == 1 and conv.to_points(3) == 2
    with pytest.raises(OffsetError, match="splits the surrogate pair"):
        conv.to_points(2)
    with pytest.raises(OffsetError, match="outside the text"):
        conv.to_points(5)
    with pytest.raises(OffsetError, match="outside the text"):
        conv.to_utf16(-1)
