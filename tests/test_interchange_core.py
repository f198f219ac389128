"""The interchange core: layers derived from the models, offsets, and the YAML side of an import."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from diplonews.builders.interchange.layers import layers
from diplonews.builders.interchange.offsets import OffsetError, Utf16Offsets, utf16_len
from diplonews.schema.annotation import AnnotationFile, Day, Evidence, registry_references
from pydantic import Field

from tests.interchange_support import REPO, TRAP_TEXT


def test_layers_are_the_evidence_lists_of_the_annotation_file():
    names = [layer.name for layer in layers()]
    assert names == ["actor_mentions", "event_mentions", "positions", "demands", "sources", "event_relations", "errata"]
    position = next(layer for layer in layers() if layer.name == "positions")
    assert {f.name: f.refers_to for f in position.links} == {
        "holder": "actors", "topic": "topics", "target": "actors", "event": "events"}
    assert position.feature("stance").choices == ("support", "oppose", "neutral", "mixed")
    assert position.feature("id").kind == "text" and position.identity == "id"
    assert not any(f.name in ("quote", "occurrence") for layer in layers() for f in layer.features)


def test_schema_2_fields_get_their_kinds_from_the_metadata():
    by_name = {layer.name: layer for layer in layers()}
    mention = by_name["event_mentions"]
    assert (mention.feature("source").kind, mention.feature("source").refers_to, mention.feature("source").many) == (
        "local", "sources", True)
    assert mention.feature("denial_scope_start").kind == mention.feature("denial_scope_end").kind == "date"
    assert mention.feature("condition_event").refers_to == "events"
    via = by_name["sources"].feature("via")
    assert (via.kind, via.refers_to, via.many) == ("local", "sources", False)
    assert {f.name: f.refers_to for f in by_name["event_relations"].links} == {
        "source_event": "events", "target_event": "events"}
    # only entries without an id of their own that name one registry entry are mentions (link targets)
    assert {n: layer.mentions.name for n, layer in by_name.items() if layer.mentions} == {
        "actor_mentions": "actor", "event_mentions": "event"}


def test_the_builds_reference_keys_are_the_models_refers_to():
    from diplonews.builders.compile.article import REFERENCE_KEYS

    # the hand-written table this replaced, key for key
    assert REFERENCE_KEYS == {
        "actor": "actor", "holder": "actor", "target": "actor", "claimant": "actor", "addressee": "actor",
        "event": "event", "topic": "topic", "condition_event": "event", "source_event": "event", "target_event": "event"}


def test_a_name_cannot_refer_to_two_registries():
    class OddEntry(Evidence):
        holder: str = Field(json_schema_extra={"refers_to": "topics"})

    class Odd(AnnotationFile):
        odd: list[OddEntry] = Field(default_factory=list)

    with pytest.raises(ValueError, match="holder refers to actors and to topics"):
        registry_references(Odd)


def test_a_layer_added_to_the_models_needs_no_mapping_code():
    class ClaimEntry(Evidence):
        speaker: str = Field(json_schema_extra={"refers_to": "actors"})
        certainty: float | None = None
        said_on: Day | None = None
        sources: list[str] = Field(default_factory=list, json_schema_extra={"refers_to_local": "sources"})

    class Extended(AnnotationFile):
        claims: list[ClaimEntry] = Field(default_factory=list)

    claims = [layer for layer in layers(Extended) if layer.name == "claims"]
    assert len(claims) == 1 and claims[0].label == "Claim"
    assert [(f.name, f.kind, f.refers_to) for f in claims[0].features] == [
        ("speaker", "link", "actors"), ("certainty", "text", None), ("said_on", "date", None),
        ("sources", "local", "sources")]
    assert claims[0].feature("sources").many


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


def test_a_list_of_one_source_is_that_source():
    from diplonews.builders.interchange.to_yaml import _key

    assert _key(0, 5, {"source": ["a"], "event": "e"}) == _key(0, 5, {"event": "e", "source": "a"})
    assert _key(0, 5, {"source": ["a", "b"]}) != _key(0, 5, {"source": "a"})


NEW_ID = "2025-10-06-fidan-rubio"
NEW_TEXT = "Fidan met Rubio in Washington on Tuesday.\n"


def _unannotated(fmt: str, folder: Path) -> Path:
    """What ``fmt``'s tool saves for a new text that nobody has annotated yet."""
    folder.mkdir()
    if fmt == "brat":  # docs/annotation-tools.md: put <new-id>.txt and an empty <new-id>.ann in the collection
        (folder / f"{NEW_ID}.txt").write_bytes(NEW_TEXT.encode("utf-8"))
        (folder / f"{NEW_ID}.ann").write_bytes(b"")
        return folder
    if fmt == "labelstudio":  # a text uploaded by itself, its annotation submitted empty
        tasks = [{"id": 1, "data": {"text": NEW_TEXT}, "annotations": [{"id": 1, "was_cancelled": False, "result": []}]}]
        (folder / "export.json").write_text(json.dumps(tasks), encoding="utf-8")
        return folder / "export.json"
    from cassis import Cas

    cas = Cas()
    cas.sofa_string = NEW_TEXT
    (folder / f"{NEW_ID}.xmi").write_text(cas.to_xmi(), encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["brat", "labelstudio", "inception"])
def test_a_new_text_with_nothing_annotated_is_reported_as_new(fmt, tmp_path, capsys):
    from diplonews.cli import main

    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    path = _unannotated(fmt, tmp_path / "tool")
    assert main(["import", "--format", fmt, str(path), "--seeds", str(seeds), "--date", "2025-10-06",
                 "--title", "Fidan Rubio"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{seeds / 'annotations' / NEW_ID}.yaml: (new article: its text is now in the corpus)"]
    assert (seeds / "texts" / f"{NEW_ID}.txt").read_bytes() == NEW_TEXT.encode("utf-8")


def test_a_new_article_whose_file_name_is_no_slug_is_refused_with_a_hint_import_can_follow(tmp_path, capsys):
    from diplonews.cli import main

    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    before = sorted(p.name for p in seeds.rglob("*"))
    folder = tmp_path / "tool"
    folder.mkdir()
    (folder / "X.txt").write_bytes(NEW_TEXT.encode("utf-8"))
    (folder / "X.ann").write_bytes(b"")
    assert main(["import", "--format", "brat", str(folder), "--seeds", str(seeds), "--date", "2025-10-06",
                 "--title", "T"]) == 1
    err = capsys.readouterr().err
    assert "'X'" in err and "rename" in err and "--id" not in err  # import has no --id option
    assert sorted(p.name for p in seeds.rglob("*")) == before
