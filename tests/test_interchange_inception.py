"""INCEpTION (UIMA CAS XMI): export -> import -> build gives the dataset byte for byte; offsets in the
XMI are UTF-16 code units; dkpro-cassis reads what we write against the generated type system; a link
drawn in INCEpTION (a link feature to a mention) and INCEpTION's export zip import; every refusal
leaves the sources as they were."""

from __future__ import annotations

import io
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml

from diplonews.api import export_annotations, import_annotations, import_summary
from diplonews.builders.interchange.to_yaml import ImportRefused
from diplonews.cli import main
from diplonews.errors import UserError

from tests.interchange_support import (
    TRAP_ID,
    TRAP_TEXT,
    built,
    empty_layers,
    export_of_seeds,
    files_of,
    imported_afresh,
    only_the_latter_removed,
)

XMI = "{http://www.omg.org/XMI}"
CUSTOM = "{http:///webanno/custom.ecore}"
TRAP_XMI = f"{TRAP_ID}.xmi"
LAYERS = {"ActorMention": "actor_mentions", "EventMention": "event_mentions", "Position": "positions", "Demand": "demands",
          "Source": "sources", "EventRelation": "event_relations", "Erratum": "errata"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes]]:
    """Seeds with the offset-trap article, its build, and its INCEpTION export."""
    return export_of_seeds(tmp_path_factory.mktemp("inception"), "inception", "xmi")


def test_round_trip_gives_the_same_dataset(exported, tmp_path):
    seeds, folder, dataset = exported
    plans, copy = imported_afresh("inception", folder, seeds, tmp_path)
    assert len(plans) == 6 and all(p.data is not None for p in plans)
    assert built(copy, tmp_path / "dataset") == dataset
    kept = (copy / "annotations" / f"{TRAP_ID}.yaml").read_text(encoding="utf-8")
    assert "# a hand-written comment that an import must keep" in kept


def test_import_of_an_unchanged_export_writes_nothing(exported, tmp_path):
    seeds, folder, _ = exported
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    before = files_of(copy)
    plans = import_annotations("inception", folder, copy)
    assert [p.data for p in plans] == [None] * 6
    assert files_of(copy) == before
    assert all(line.endswith(": unchanged") for line in import_summary(plans))


def _points(text: str, units: int) -> int:
    """A UTF-16 offset as a code-point offset, computed here without the code under test."""
    return len(text.encode("utf-16-le")[: units * 2].decode("utf-16-le"))


def test_offsets_in_the_xmi_are_utf16_code_units_and_the_text_keeps_its_crlf(exported):
    _, folder, _ = exported
    root = ET.parse(folder / TRAP_XMI).getroot()  # the standard library's XML parser, not cassis
    sofa = next(el for el in root if el.tag.endswith("Sofa"))
    assert sofa.get("sofaString") == TRAP_TEXT  # CR, LF and runs of spaces survive the XML attribute
    spans = [el for el in root if el.tag.startswith(CUSTOM)]
    assert len(spans) == 8
    for el in spans:
        start, end = _points(TRAP_TEXT, int(el.get("begin"))), _points(TRAP_TEXT, int(el.get("end")))
        assert TRAP_TEXT[start:end] == el.get("quote")
    erdogan = next(el for el in spans if el.get("quote") == "Recep Tayyip Erdoğan")
    # before it: an emoji and three mathematical bold letters, two code units each
    assert int(erdogan.get("begin")) == TRAP_TEXT.index("Recep") + 4
    assert erdogan.get("actor") == "recep-tayyip-erdogan" and erdogan.get("actor_label") == "Recep Tayyip Erdoğan"


def test_cassis_reads_every_export_against_the_generated_type_system(exported):
    from cassis import load_cas_from_xmi, load_typesystem

    seeds, folder, _ = exported
    ts = load_typesystem(folder / "TypeSystem.xml")
    for xmi in sorted(folder.glob("*.xmi")):
        cas = load_cas_from_xmi(xmi, typesystem=ts)
        source = yaml.safe_load((seeds / "annotations" / f"{xmi.stem}.yaml").read_text(encoding="utf-8"))
        text = (seeds / "texts" / source["article"]["text_file"]).read_bytes().decode("utf-8")
        assert cas.sofa_string == text
        for label, layer in LAYERS.items():
            got = [a.get_covered_text() for a in cas.select(f"webanno.custom.{label}")]
            # cassis orders annotations by position: compare as multisets
            assert sorted(got) == sorted(e["quote"] for e in source.get(layer) or []), (xmi.name, layer)
        positions = cas.select("webanno.custom.Position")
        assert all(p.get("stance") in ("support", "oppose", "neutral", "mixed") and p.get("holder") for p in positions)


def test_the_type_system_defines_every_layer_feature_and_link(exported):
    _, folder, _ = exported
    ns = {"u": "http://uima.apache.org/resourceSpecifier"}
    root = ET.parse(folder / "TypeSystem.xml").getroot()
    types = {t.findtext("u:name", namespaces=ns): t for t in root.iterfind(".//u:typeDescription", ns)}
    assert {f"webanno.custom.{label}" for label in LAYERS} <= set(types)
    position = types["webanno.custom.Position"]
    assert position.findtext("u:supertypeName", namespaces=ns) == "uima.tcas.Annotation"
    feats = {f.findtext("u:name", namespaces=ns): f for f in position.iterfind(".//u:featureDescription", ns)}
    assert set(feats) >= {"id", "holder", "holder_label", "holder_mention", "topic", "topic_label", "stance", "quote"}
    assert "topic_mention" not in feats  # no layer mentions topics
    assert "One of: support, oppose, neutral, mixed." in feats["stance"].findtext("u:description", namespaces=ns)
    assert feats["holder_mention"].findtext("u:rangeTypeName", namespaces=ns) == "uima.cas.FSArray"
    link = types[feats["holder_mention"].findtext("u:elementType", namespaces=ns)]
    targets = {f.findtext("u:name", namespaces=ns): f.findtext("u:rangeTypeName", namespaces=ns)
               for f in link.iterfind(".//u:featureDescription", ns)}
    assert targets == {"role": "uima.cas.String", "target": "webanno.custom.ActorMention"}


def test_inceptions_layer_import_would_take_every_type_as_a_span_layer(exported):
    """INCEpTION's layer import (its TypeSystemAnalysis class) makes a span layer of a type that inherits
    directly from uima.tcas.Annotation and has only primitive features and slot (link) features; a slot
    feature is an FSArray whose element type inherits from TOP and has exactly two features, a string
    (the role) and a non-primitive (the target). The same rules, checked on what we generate."""
    from cassis import load_typesystem

    _, folder, _ = exported
    ts = load_typesystem(folder / "TypeSystem.xml")
    primitive = {"uima.cas.String", "uima.cas.Boolean"}
    layers = [t for t in ts.get_types() if t.name.startswith("webanno.custom.") and t.supertype.name == "uima.tcas.Annotation"]
    assert sorted(t.short_name for t in layers) == sorted(LAYERS)
    slots = 0
    for t in layers:
        for f in t.features:  # its own, not the inherited begin/end/sofa
            if f.rangeType.name in primitive:
                continue
            assert f.rangeType.name == "uima.cas.FSArray", (t.name, f.name)
            link = ts.get_type(f.elementType.name)  # (cassis's feature holds an early copy of the type)
            assert link.supertype.name == "uima.cas.TOP" and len(list(link.features)) == 2
            role, target = sorted(link.features, key=lambda g: g.rangeType.name != "uima.cas.String")
            assert role.rangeType.name == "uima.cas.String" and target.rangeType.name != "uima.cas.String"
            assert ts.get_type(target.rangeType.name).supertype.name == "uima.tcas.Annotation"
            slots += 1
    # holder, target (positions), claimant, addressee (demands), actor (sources) -> actor mentions; event (positions,
    # demands, sources), source_event, target_event (event relations) -> event mentions; source (event mentions,
    # positions, demands), via (sources) -> sources
    assert slots == 14


# --- edits as INCEpTION (or a damaged file) would make them --------------------------------------


def _copies(exported, tmp_path) -> tuple[Path, Path]:
    seeds, folder, _ = exported
    copy, out = tmp_path / "seeds", tmp_path / "xmi"
    shutil.copytree(seeds, copy)
    shutil.copytree(folder, out)
    return copy, out


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode("utf-8")
    assert old in text, old
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))


def _shift(path: Path, quote: str, begin: int = 0, end: int = 0) -> None:
    """Move the span whose quote is ``quote`` (its quote feature left as it was)."""
    text = path.read_bytes().decode("utf-8")
    m = re.search(rf'begin="(\d+)" end="(\d+)"([^>]*) quote="{re.escape(quote)}"', text)
    assert m, quote
    moved = f'begin="{int(m[1]) + begin}" end="{int(m[2]) + end}"{m[3]} quote="{quote}"'
    path.write_bytes((text[:m.start()] + moved + text[m.end():]).encode("utf-8"))


def _foreign_type_system(folder: Path) -> None:
    from cassis.typesystem import load_dkpro_core_typesystem

    (folder / "TypeSystem.xml").write_text(load_dkpro_core_typesystem().to_xml(), encoding="utf-8")


def _add_layer(folder: Path) -> None:
    """The annotator added a layer in INCEpTION and used it."""
    from cassis import load_cas_from_xmi, load_typesystem

    ts = load_typesystem(folder / "TypeSystem.xml")
    ts.create_type("webanno.custom.Rumour", "uima.tcas.Annotation")
    cas = load_cas_from_xmi(folder / TRAP_XMI, typesystem=ts)
    cas.add(ts.get_type("webanno.custom.Rumour")(begin=0, end=1))
    (folder / TRAP_XMI).write_text(cas.to_xmi(), encoding="utf-8")
    (folder / "TypeSystem.xml").write_text(ts.to_xml(), encoding="utf-8")


def _add_feature(folder: Path) -> None:
    """The annotator added a feature to the Position layer in INCEpTION and filled it in."""
    from cassis import load_cas_from_xmi, load_typesystem

    ts = load_typesystem(folder / "TypeSystem.xml")
    ts.create_feature(ts.get_type("webanno.custom.Position"), "certainty", "uima.cas.String")
    cas = load_cas_from_xmi(folder / TRAP_XMI, typesystem=ts)
    cas.select("webanno.custom.Position")[0]["certainty"] = "high"
    (folder / TRAP_XMI).write_text(cas.to_xmi(), encoding="utf-8")
    (folder / "TypeSystem.xml").write_text(ts.to_xml(), encoding="utf-8")


def _trap(f: Path) -> Path:
    return f / TRAP_XMI


REFUSALS = {
    "text differs": (lambda f: _replace(_trap(f), "discussed  peace", "discussed peace"), "differs from the corpus text"),
    "outside": (lambda f: _shift(_trap(f), "Ankara", end=10**6), "is outside the text"),
    "splits a surrogate pair": (lambda f: _shift(_trap(f), "🙂Trump😀", begin=1), "splits the surrogate pair"),
    "moved": (lambda f: _shift(_trap(f), "Ankara", begin=1, end=1), "the tool moved it"),
    "unknown ID": (lambda f: _replace(_trap(f), 'actor="turkiye-government"', 'actor="turkey-govt"'),
                   "is not in the actors registry (did you mean 'turkiye-government'?)"),
    "unknown choice": (lambda f: _replace(_trap(f), 'stance="support"', 'stance="endorse"'),
                       "stance 'endorse' is not one of"),
    "unknown feature": (_add_feature, "unknown feature 'certainty' for Position"),
    "unknown label": (_add_layer, "annotations of an unknown layer webanno.custom.Rumour"),
    "type not in its type system": (lambda f: _replace(_trap(f), "<custom:ActorMention ", "<custom:Actor "),
                                    "not a readable UIMA CAS XMI file"),
    "foreign type system": (_foreign_type_system, "a foreign type system, not the one diplonews generated (no type "
                                                  "webanno.custom.ActorMention"),
    "truncated XMI": (lambda f: _trap(f).write_bytes(_trap(f).read_bytes()[:700]), "not a readable UIMA CAS XMI file"),
    "malformed XMI": (lambda f: _replace(_trap(f), "<cas:NULL", "<cas:NULL <"), "not a readable UIMA CAS XMI file"),
    "truncated type system": (lambda f: (f / "TypeSystem.xml").write_bytes((f / "TypeSystem.xml").read_bytes()[:300]),
                              "TypeSystem.xml: not a UIMA type system descriptor"),
    # a local link (source) is an INCEpTION link feature whose targets are Source spans, named by their id
    "source linked to a mention": (lambda f: _retarget_source(f / READOUT), "source links to something that is no "
                                                                             "Source span"),
    "source without its id": (lambda f: _replace(f / READOUT, ' id="directorate-statement"', ""),
                              "source links to a Source without its id"),
}
READOUT = "2025-03-16-erdogan-trump-call-readout.xmi"


def _retarget_source(path: Path) -> None:
    """The first source link points at an actor mention instead of a Source span."""
    text = path.read_bytes().decode("utf-8")
    mention = re.search(r'<custom:ActorMention xmi:id="(\d+)"', text)[1]
    link = re.search(r'(<custom:EventMentionSourceLink xmi:id="\d+" role="source" target=")\d+"', text)
    path.write_bytes((text[:link.start()] + link[1] + mention + '"' + text[link.end():]).encode("utf-8"))


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_change_nothing(exported, tmp_path, case):
    edit, message = REFUSALS[case]
    copy, folder = _copies(exported, tmp_path)
    empty_layers(copy)
    edit(folder)
    before = files_of(copy)
    with pytest.raises(UserError) as caught:
        import_annotations("inception", folder, copy)
    assert message in caught.value.message, caught.value.message
    # the file at fault is named: the type system once (not once per file that uses it), or the XMI
    at_fault = "TypeSystem.xml" if case in ("foreign type system", "truncated type system") else \
        READOUT if case.startswith("source") else TRAP_XMI
    problems = 2 if case == "source without its id" else 1  # two event mentions cite that source
    assert at_fault in caught.value.message and caught.value.message.count("\n  ") == problems
    assert isinstance(caught.value, ImportRefused)
    assert files_of(copy) == before  # not even the five good articles were written


def test_a_position_linked_to_a_mention_in_inception_imports(exported, tmp_path, capsys):
    """The annotator marks a new position, sets its stance and topic, and draws its holder as a link
    to the mention 'Donald Trump' (no ID typed); then deletes the mention 'Ankara'."""
    from cassis import load_cas_from_xmi, load_typesystem

    copy, folder = _copies(exported, tmp_path)
    ts = load_typesystem(folder / "TypeSystem.xml")
    cas = load_cas_from_xmi(folder / TRAP_XMI, typesystem=ts)
    mentions = cas.select("webanno.custom.ActorMention")
    trump = next(m for m in mentions if m.get_covered_text() == "Trump")  # in 'met  Donald Trump'
    cas.remove(next(m for m in mentions if m.get_covered_text() == "Ankara"))
    start = TRAP_TEXT.index("Trump   said")
    link_type = ts.get_type(ts.get_type("webanno.custom.Position").get_feature("holder_mention").elementType.name)
    links = ts.get_type("uima.cas.FSArray")(elements=[link_type(role="holder", target=trump)])
    position = ts.get_type("webanno.custom.Position")(begin=start, end=start + len("Trump   said"),
                                                      stance="oppose", topic="russia-ukraine-peace",
                                                      cameo="111", holder_mention=links)
    cas.add(position)
    (folder / TRAP_XMI).write_text(cas.to_xmi(), encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "--format", "inception", str(folder), "--seeds", str(copy)]) == 0
    printed = capsys.readouterr().out
    assert "actor_mentions: 0 added, 1 removed, 0 changed, 5 unchanged" in printed
    assert "positions: 1 added, 0 removed, 0 changed, 1 unchanged" in printed
    data = yaml.safe_load((copy / "annotations" / f"{TRAP_ID}.yaml").read_text(encoding="utf-8"))
    added = data["positions"][-1]
    assert added == {"id": "donald-trump-russia-ukraine-peace-oppose", "holder": "donald-trump",
                     "topic": "russia-ukraine-peace", "stance": "oppose", "cameo": "111", "quote": "Trump   said"}
    assert "Ankara" not in [m["quote"] for m in data["actor_mentions"]]
    assert built(copy, tmp_path / "dataset")


def test_a_span_deleted_in_inception_removes_its_line_and_nothing_else(exported, tmp_path):
    from cassis import load_cas_from_xmi, load_typesystem

    copy, folder = _copies(exported, tmp_path)
    cas = load_cas_from_xmi(folder / READOUT, typesystem=load_typesystem(folder / "TypeSystem.xml"))
    cas.remove(next(m for m in cas.select("webanno.custom.ActorMention") if m.get_covered_text() == "the latter"))
    (folder / READOUT).write_text(cas.to_xmi(), encoding="utf-8")
    only_the_latter_removed("inception", folder, copy)


def test_a_link_that_contradicts_the_id_is_refused(exported, tmp_path):
    from cassis import load_cas_from_xmi, load_typesystem

    copy, folder = _copies(exported, tmp_path)
    ts = load_typesystem(folder / "TypeSystem.xml")
    cas = load_cas_from_xmi(folder / TRAP_XMI, typesystem=ts)
    erdogan = next(m for m in cas.select("webanno.custom.ActorMention") if m.get_covered_text() == "Recep Tayyip Erdoğan")
    position = cas.select("webanno.custom.Position")[0]  # holder: donald-trump
    link_type = ts.get_type(position.type.get_feature("holder_mention").elementType.name)
    position["holder_mention"] = ts.get_type("uima.cas.FSArray")(elements=[link_type(role="holder", target=erdogan)])
    (folder / TRAP_XMI).write_text(cas.to_xmi(), encoding="utf-8")
    before = files_of(copy)
    with pytest.raises(ImportRefused, match="holder given twice"):
        import_annotations("inception", folder, copy)
    assert files_of(copy) == before


def test_inceptions_export_zip_imports_by_the_text(exported, tmp_path):
    """INCEpTION names the files of its export after the document and the annotator (admin.xmi), not
    after the article: each is matched to its article by the SHA-256 of its text."""
    seeds, folder, dataset = exported
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    empty_layers(copy)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i, xmi in enumerate(sorted(folder.glob("*.xmi"))):
            inner = io.BytesIO()  # the project export keeps a zip per document and annotator
            with zipfile.ZipFile(inner, "w") as per_user:
                per_user.writestr("admin.xmi", xmi.read_bytes())
                per_user.writestr("TypeSystem.xml", (folder / "TypeSystem.xml").read_bytes())
            z.writestr(f"annotation/document-{i}.txt/admin.zip", inner.getvalue())
    (tmp_path / "export.zip").write_bytes(buf.getvalue())
    plans = import_annotations("inception", tmp_path / "export.zip", copy)
    assert sorted(p.article_id for p in plans) == sorted(p.stem for p in folder.glob("*.xmi"))
    assert built(copy, tmp_path / "dataset") == dataset


def test_a_damaged_zip_is_refused(exported, tmp_path):
    copy, _ = _copies(exported, tmp_path)
    (tmp_path / "export.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ImportRefused, match="not a readable zip file"):
        import_annotations("inception", tmp_path / "export.zip", copy)


def test_cli_export_of_one_article(exported, tmp_path, capsys):
    seeds, _, _ = exported
    out = tmp_path / "out"
    assert main(["export", "--format", "inception", "--article", TRAP_ID, "--seeds", str(seeds), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [TRAP_XMI, "TypeSystem.xml"]
    assert "wrote 2 files" in capsys.readouterr().out
    assert main(["import", "--format", "inception", str(out / TRAP_XMI), "--seeds", str(seeds)]) == 0
    assert capsys.readouterr().out.strip().endswith(": unchanged")


def test_export_is_deterministic(exported, tmp_path):
    seeds, folder, _ = exported
    export_annotations("inception", tmp_path / "again", seeds)
    assert files_of(tmp_path / "again") == files_of(folder)


def test_a_text_xml_cannot_hold_is_refused_before_anything_is_written(exported, tmp_path):
    seeds, _, _ = exported
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    text = copy / "texts" / f"{TRAP_ID}.txt"
    text.write_bytes(text.read_bytes().replace(b"\r\n\r\n", b"\r\n\x0c\r\n"))  # a form feed: no XML 1.0 character
    with pytest.raises(UserError, match="cannot be written as XML 1.0") as caught:
        export_annotations("inception", tmp_path / "out", copy)
    assert TRAP_ID in caught.value.message
    assert not (tmp_path / "out").exists()


def test_what_inception_adds_to_its_export_is_ignored(exported, tmp_path):
    """INCEpTION's export carries its own types beside ours (DKPro Core sentences, tokens, document
    metadata) in the type system and the XMI: they are not diplonews's layers and change nothing."""
    from cassis import load_cas_from_xmi, load_typesystem
    from cassis.typesystem import load_dkpro_core_typesystem, merge_typesystems

    copy, folder = _copies(exported, tmp_path)
    ts = merge_typesystems(load_typesystem(folder / "TypeSystem.xml"), load_dkpro_core_typesystem())
    meta = ts.create_type("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData",
                          "uima.tcas.DocumentAnnotation")  # not in cassis's copy of the DKPro Core types
    for name in ("documentTitle", "documentId"):
        ts.create_feature(meta, name, "uima.cas.String")
    cas = load_cas_from_xmi(folder / TRAP_XMI, typesystem=ts)
    segmentation = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type."
    cas.add(ts.get_type(segmentation + "Sentence")(begin=0, end=len(TRAP_TEXT)))
    cas.add(ts.get_type(segmentation + "Token")(begin=TRAP_TEXT.index("Ankara"), end=TRAP_TEXT.index("Ankara") + 6))
    cas.add(ts.get_type("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData")(
        begin=0, end=len(TRAP_TEXT), documentTitle="offset traps", documentId="admin"))
    (folder / TRAP_XMI).write_text(cas.to_xmi(), encoding="utf-8")
    (folder / "TypeSystem.xml").write_text(ts.to_xml(), encoding="utf-8")
    assert b"Sentence" in (folder / TRAP_XMI).read_bytes()
    before = files_of(copy)
    plans = import_annotations("inception", folder, copy)
    assert [p.data for p in plans] == [None] * 6  # nothing to change: the same spans and features
    assert files_of(copy) == before
