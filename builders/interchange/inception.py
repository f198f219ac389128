"""INCEpTION: per article a UIMA CAS XMI file (``<article_id>.xmi``: the text as the sofa, every span
as an annotation of its layer's type) and ``TypeSystem.xml``, the UIMA type system generated from the
layers, which INCEpTION imports as a project's layers (Settings > Layers > Import). Import reads the
XMI files INCEpTION exports (a folder, one ``.xmi`` file, or a zip of them), each with the type system
beside it, through dkpro-cassis, the DKPro project's own CAS library.

UIMA counts offsets in UTF-16 code units (Java strings). cassis converts them to code points itself,
but an offset it cannot convert (outside the text, between the two halves of a surrogate pair) is only
a warning and is passed on unconverted; so the import reads each span's offsets from the XMI and
converts them with ``offsets.Utf16Offsets``, which refuses them.

Mapping (type names follow INCEpTION's convention for custom layers, ``webanno.custom.<Name>``):
- a layer: the span type ``webanno.custom.<Label>`` (e.g. ``webanno.custom.Position``), a subtype of
  ``uima.tcas.Annotation``;
- a link (registry ID): the string feature ``<name>`` holding the ID, with the readable label (actor
  name, event summary, topic label) in ``<name>_label`` (for people; ignored on import);
- a link may also be drawn between spans: ``<name>_mention`` is an INCEpTION link feature (an
  ``FSArray`` of ``webanno.custom.<Label><Name>Link`` with ``role`` and ``target``) whose target is an
  actor or event mention: the link is that mention's actor or event;
- a local link (``source``, ``via``: the id of an entry of another layer of the file, e.g. a Source):
  an INCEpTION link feature of the same name (``FSArray`` of ``webanno.custom.<Label><Name>Link``, role:
  the feature name) whose targets are that layer's spans (several for independent sources);
- a choice: a string feature (its values are listed in the feature's description); a flag: a
  boolean; a date: a string YYYY-MM-DD; a text feature: a string;
- ``quote``: the span's text when diplonews exported it. An import checks it against the text at the
  span's offsets, so a span the tool moved is refused (cleared, or on a span made in the tool, it is
  not checked).
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from diplonews.builders.interchange.document import Document, Span, local_targets
from diplonews.builders.interchange.layers import Feature, Layer, RegistryLabels, add_link, layer_named, layers, link_ids
from diplonews.builders.interchange.offsets import OffsetError, Utf16Offsets
from diplonews.errors import UserError
from diplonews.files import write_atomic

TYPE_PREFIX = "webanno.custom."
TYPE_SYSTEM_FILE = "TypeSystem.xml"
ANNOTATION = "uima.tcas.Annotation"
STRING = "uima.cas.String"
BOOLEAN = "uima.cas.Boolean"
FS_ARRAY = "uima.cas.FSArray"
QUOTE = "quote"
LABEL_SUFFIX = "_label"
MENTION_SUFFIX = "_mention"
UIMA_FEATURES = frozenset({"begin", "end", "sofa"})
"""Features every annotation has: where it is, not what it says."""
RESERVED = frozenset(n.lower() for n in (
    "address", "begin", "end", "coveredText", "booleanValue", "doubleValue", "byteValue", "CAS", "CASImpl", "class",
    "featureValue", "floatValue", "longValue", "lowLevelCas", "printRefs", "sofa", "stringValue", "type",
    "typeIndexId", "view", "self"))
"""Feature names INCEpTION refuses (case-insensitively; its RESTRICTED_FEATURE_NAMES) or cassis renames
(``self``, ``type``): a model field of that name is called ``<name>_value`` in the type system."""
RENAMED_SUFFIX = "_value"


def uima_name(name: str) -> str:
    """The type-system feature of a model field: its name, or ``<name>_value`` for a reserved one
    (an event relation's ``type`` is ``type_value``)."""
    return name + RENAMED_SUFFIX if name.lower() in RESERVED else name


def model_name(feature: str) -> str:
    """The model field of a type-system feature (the inverse of :func:`uima_name`)."""
    base = feature.removesuffix(RENAMED_SUFFIX)
    return base if feature != base and base.lower() in RESERVED else feature


def type_name(layer: Layer) -> str:
    """The UIMA type of a layer's spans, e.g. ``webanno.custom.Position``."""
    return TYPE_PREFIX + layer.label


def mention_layers(registry: str, besides: Layer) -> list[Layer]:
    """Layers (other than ``besides``) whose only link refers to ``registry``: the actor and event
    mentions a link feature may point at instead of naming an ID."""
    return [m for m in layers() if m.name != besides.name and m.mentions is not None and m.mentions.refers_to == registry]


def link_type_name(layer: Layer, feature: Feature) -> str:
    """The element type of a link feature's array, e.g. ``webanno.custom.PositionHolderLink``."""
    return f"{TYPE_PREFIX}{layer.label}{feature.name.title().replace('_', '')}Link"


def _describe(feature: Feature) -> str:
    what = feature.description or ""
    if feature.kind == "choice":
        what = f"{what} One of: {', '.join(feature.choices)}.".strip()
    if feature.kind == "date":
        what = f"{what} A date, YYYY-MM-DD.".strip()
    if feature.kind == "local":
        what = f"{what} Link to the span of the {feature.refers_to} entry (role {feature.name}).".strip()
    if feature.kind == "link":
        what = (f"ID of an entry of the {feature.refers_to} registry (its readable label is in "
                f"{feature.name}{LABEL_SUFFIX}); one not registered yet is written new:<id>. {what}").strip()
    if feature.required:
        what += " Required."
    return what.strip()


# --- the type system -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """A feature of a generated type: its range (and element type, for link arrays)."""

    range: str
    element: str | None = None


def expected_types() -> dict[str, dict[str, Expected]]:
    """Every type the generated type system defines, with its features: what an imported type system
    must have to be ours (a type system without them is foreign)."""
    out: dict[str, dict[str, Expected]] = {}
    for layer in layers():
        feats: dict[str, Expected] = {}
        for f in layer.features:
            if f.kind == "local":
                link = link_type_name(layer, f)
                out[link] = {"role": Expected(STRING), "target": Expected(type_name(layer_named(f.refers_to)))}
                feats[uima_name(f.name)] = Expected(FS_ARRAY, link)
                continue
            feats[uima_name(f.name)] = Expected(BOOLEAN if f.kind == "flag" else STRING)
            if f.kind == "link":
                feats[f.name + LABEL_SUFFIX] = Expected(STRING)
                targets = mention_layers(f.refers_to, layer)
                if len(targets) == 1:
                    link = link_type_name(layer, f)
                    out[link] = {"role": Expected(STRING), "target": Expected(type_name(targets[0]))}
                    feats[f.name + MENTION_SUFFIX] = Expected(FS_ARRAY, link)
        feats[QUOTE] = Expected(STRING)
        out[type_name(layer)] = feats
    return out


def type_system():
    """The UIMA type system (a cassis ``TypeSystem``) of every layer, feature and link."""
    from cassis import TypeSystem

    ts = TypeSystem()
    by_type = {type_name(layer): layer for layer in layers()}
    # span types first: the link types' targets refer to them
    for layer in layers():
        doc = (layer.model.__doc__ or "").strip().splitlines()[0] if layer.model.__doc__ else ""
        ts.create_type(type_name(layer), ANNOTATION,
                       f"diplonews layer {layer.name}: {doc} (generated by diplonews export --format inception)")
    expected = expected_types()
    clash = sorted(f"{t}.{f}" for t, feats in expected.items() for f in feats if f.lower() in RESERVED)
    if clash:  # a layer added to the models with such a field: fail loudly rather than export a broken layer
        raise ValueError(f"feature names INCEpTION or UIMA reserve: {', '.join(clash)}")
    for name, feats in expected.items():
        if name in by_type:
            continue
        link = ts.create_type(name, "uima.cas.TOP", "A link from a span to a mention (INCEpTION link feature).")
        ts.create_feature(link, "role", STRING, description="The link's role (the feature's name).")
        ts.create_feature(link, "target", feats["target"].range, description="The mention linked to.")
    for tname, layer in by_type.items():
        t = ts.get_type(tname)
        for f in layer.features:
            if f.kind == "local":
                ts.create_feature(t, uima_name(f.name), FS_ARRAY, elementType=expected[tname][uima_name(f.name)].element,
                                  multipleReferencesAllowed=True, description=_describe(f))
                continue
            ts.create_feature(t, uima_name(f.name), BOOLEAN if f.kind == "flag" else STRING, description=_describe(f))
            if f.kind == "link":
                ts.create_feature(t, f.name + LABEL_SUFFIX, STRING,
                                  description=f"Readable label of {f.name} (for people; diplonews reads the ID).")
                mention = expected[tname].get(f.name + MENTION_SUFFIX)
                if mention is not None:
                    target = expected[mention.element]["target"].range.removeprefix(TYPE_PREFIX)
                    ts.create_feature(t, f.name + MENTION_SUFFIX, FS_ARRAY, elementType=mention.element,
                                      multipleReferencesAllowed=True,
                                      description=f"Or link the span to an {target} instead: {f.name} is then its "
                                                  f"{f.refers_to.removesuffix('s')}.")
        ts.create_feature(t, QUOTE, STRING, description="The span's text when diplonews exported it: checked on "
                                                        "import (clear it after moving the span on purpose).")
    return ts


# --- export ----------------------------------------------------------------------------------------


def cas_xmi(doc: Document, ts, registry: RegistryLabels) -> bytes:
    """One article as UIMA CAS XMI: the text as the sofa, every span with its features."""
    from cassis import Cas

    cas = Cas(typesystem=ts)
    cas.sofa_string = doc.text  # cassis converts offsets to UTF-16 code units when it writes
    cas.sofa_mime = "text/plain"
    by_name = {layer.name: layer for layer in layers()}
    made = []
    for span in doc.spans:
        layer = by_name[span.layer]
        values: dict[str, Any] = {"begin": span.start, "end": span.end, QUOTE: doc.text[span.start:span.end]}
        for f in layer.features:
            value = span.features.get(f.name)
            if value is None or (f.kind == "flag" and not value) or f.kind == "local":
                continue
            values[uima_name(f.name)] = bool(value) if f.kind == "flag" else str(value)
            if f.kind == "link":
                # several IDs (addressees) are one string, separated by spaces (IDs have none), as are their labels
                values[uima_name(f.name)] = " ".join(link_ids(value))
                values[f.name + LABEL_SUFFIX] = "; ".join(" ".join(registry.label(f.refers_to, i).split())
                                                          for i in link_ids(value))
        made.append(ts.get_type(type_name(layer))(**values))
    # local links last: they point at the annotations of other spans
    local = local_targets(doc.spans, made)
    array = ts.get_type(FS_ARRAY)
    for span, fs in zip(doc.spans, made):
        layer = by_name[span.layer]
        for f in layer.local_links:
            value = span.features.get(f.name)
            if value is not None:
                link = ts.get_type(link_type_name(layer, f))
                targets = [local[(f.refers_to, i)] for i in (value if isinstance(value, list) else [value])]
                fs.set(uima_name(f.name), array(elements=[link(role=f.name, target=t) for t in targets]))
        cas.add(fs)
    try:
        return cas.to_xmi(pretty_print=True).encode("utf-8")
    except ValueError as exc:  # lxml: a character XML 1.0 cannot hold (a control character)
        raise UserError(f"{doc.file}: the text or a feature of {doc.article_id} cannot be written as XML 1.0 "
                        f"({exc}); nothing was exported", "remove control characters from the text") from None


def export(docs: list[Document], registry: RegistryLabels, out: Path, raw_texts: dict[str, bytes]) -> list[Path]:
    """Write TypeSystem.xml and one ``<article_id>.xmi`` per article into ``out``."""
    ts = type_system()
    files = {TYPE_SYSTEM_FILE: ts.to_xml().encode("utf-8")}
    for doc in docs:  # every file made before any is written
        files[f"{doc.article_id}.xmi"] = cas_xmi(doc, ts, registry)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        write_atomic(out / name, content)
    return [out / name for name in files]


# --- import ----------------------------------------------------------------------------------------


class _Bad(Exception):
    pass


def foreign(ts) -> list[str]:
    """What the type system ``ts`` lacks of the generated one (empty: it is ours, maybe with more)."""
    missing = []
    for tname, feats in expected_types().items():
        if not ts.contains_type(tname):
            missing.append(f"no type {tname}")
            continue
        t = ts.get_type(tname)
        for fname, want in feats.items():
            f = t.get_feature(fname)
            if f is None:
                missing.append(f"{tname} has no feature {fname}")
            elif f.rangeType.name != want.range or (want.element and getattr(f.elementType, "name", None) != want.element):
                missing.append(f"{tname}.{fname} is a {f.rangeType.name}, not a {want.range}")
    return missing


def _raw_offsets(data: bytes) -> dict[int, tuple[int, int]]:
    """xmi:id -> (begin, end) as written (UTF-16 code units), for every element that has them."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(data, parser)
    out = {}
    for el in root:
        ident, begin, end = el.get("{http://www.omg.org/XMI}id"), el.get("begin"), el.get("end")
        if ident is not None and begin is not None and end is not None:
            out[int(ident)] = (int(begin), int(end))
    return out


def _load(data: bytes, ts_source: tuple[str, bytes] | None, where: str):
    """The CAS of one XMI file (a cassis Cas) and its raw offsets; _Bad when it cannot be read or its
    type system (``ts_source``: where, bytes; None: the generated one) is not ours."""
    from cassis import load_cas_from_xmi, load_typesystem

    if ts_source is None:
        ts = type_system()
    else:
        ts_where, ts_data = ts_source
        try:
            ts = load_typesystem(io.BytesIO(ts_data))
        except Exception as exc:  # lxml, cassis: whatever a damaged descriptor raises
            raise _Bad(f"{ts_where}: not a UIMA type system descriptor ({type(exc).__name__}: {exc}): "
                       "truncated, or not the one INCEpTION exported") from None
        lacks = foreign(ts)
        if lacks:
            shown = "; ".join(lacks[:4]) + (f"; and {len(lacks) - 4} more" if len(lacks) > 4 else "")
            raise _Bad(f"{ts_where}: a foreign type system, not the one diplonews generated ({shown})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # offsets cassis cannot convert: checked below, with their place
            cas = load_cas_from_xmi(io.BytesIO(data), typesystem=ts)
        raw = _raw_offsets(data)
    except Exception as exc:  # lxml syntax errors, unknown types, dangling references, bad numbers
        raise _Bad(f"{where}: not a readable UIMA CAS XMI file ({type(exc).__name__}: {exc}): truncated, "
                   "damaged, or written against another type system") from None
    return cas, raw


def read_cas(data: bytes, ts_source: tuple[str, bytes] | None, where: str, name: str,
             article_of: Callable[[str], str | None]) -> Document:
    """One XMI file as a Document. The article is the one whose text it holds (found by SHA-256), or
    else the one its file is named after (so a changed text is reported as such)."""
    cas, raw = _load(data, ts_source, where)
    text = cas.sofa_string
    if not isinstance(text, str):
        raise _Bad(f"{where}: its CAS has no text (sofa string)")
    doc = Document(name, text, [], where)
    doc.article_id = article_of(doc.sha256) or name
    conv = Utf16Offsets(text)
    by_type = {type_name(layer): layer for layer in layers()}
    found: list[tuple[int, Span, Any, Layer]] = []
    for tname, layer in by_type.items():
        for fs in cas.select(tname):
            label = f"{layer.label} xmi:id {fs.xmiID}"
            try:
                begin, end = raw[fs.xmiID]
                start, stop = conv.to_points(begin), conv.to_points(end)
            except KeyError:
                doc.problems.append(f"{where}: {label}: no begin or end")
                continue
            except OffsetError as exc:
                doc.problems.append(f"{where}: {label}: {exc}")
                continue
            quote = fs.get(QUOTE)
            span = Span(layer.name, start, stop, {}, quote or None, label)
            found.append((fs.xmiID, span, fs, layer))
    found.sort(key=lambda item: item[0])  # the order diplonews wrote them in (and spans made later, after)
    spans = {fs.xmiID: span for _, span, fs, _ in found}
    for _, span, fs, layer in found:
        _features(span, fs, layer, doc.problems, where)
    # links drawn to mentions last: they copy the mention's actor or event
    for _, span, fs, layer in found:
        _mention_links(span, fs, layer, spans, doc.problems, where)
        _local_links(span, fs, layer, spans, doc.problems, where)
    ours = expected_types()
    for tname in sorted({t.name for t in cas.typesystem.get_types()}):
        if tname.startswith(TYPE_PREFIX) and tname not in ours and cas.select(tname):
            doc.problems.append(f"{where}: annotations of an unknown layer {tname} "
                                f"(known: {', '.join(by_type)}); remove that layer's annotations or the layer")
    doc.spans = [span for _, span, _, _ in found]
    return doc


def _features(span: Span, fs, layer: Layer, problems: list[str], where: str) -> None:
    """The span's features: every valued feature of its type except the readable labels, ``quote`` and
    the link arrays (an unknown one is kept, so the import names it)."""
    for f in fs.type.all_features:
        name = model_name(f.name)
        if f.name in UIMA_FEATURES or f.name == QUOTE:
            continue
        known = layer.feature(name.removesuffix(LABEL_SUFFIX)) or layer.feature(name.removesuffix(MENTION_SUFFIX))
        if known is not None and ((known.kind == "link" and name != known.name) or known.kind == "local"):
            continue  # a label (for people) or a link array (read after every span's own features)
        value = fs.get(f.name)
        if value is None or value == "" or value is False:
            continue
        if not isinstance(value, (str, bool, int, float)):
            problems.append(f"{where}: {span.where}: feature {name} holds a {type(value).__name__}, not a value")
            continue
        if known is not None and known.kind == "link" and known.many and isinstance(value, str) and len(value.split()) > 1:
            value = value.split()  # several IDs written as one string
        span.features[name] = value


def _mention_links(span: Span, fs, layer: Layer, spans: dict[int, Span], problems: list[str], where: str) -> None:
    """A link feature's targets (mentions) give the span's link: the mention's actor or event."""
    for f in layer.links:
        if fs.type.get_feature(f.name + MENTION_SUFFIX) is None:
            continue
        links = fs.get(f.name + MENTION_SUFFIX)
        for link in getattr(links, "elements", None) or []:
            target = getattr(link, "target", None) if link is not None else None
            other = spans.get(getattr(target, "xmiID", None))
            if other is None:
                problems.append(f"{where}: {span.where}: {f.name}{MENTION_SUFFIX} links to something that is no span")
                continue
            mention = layer_named(other.layer)
            value = other.features.get(mention.mentions.name) if mention.mentions is not None else None
            if value is None:
                problems.append(f"{where}: {span.where}: {f.name}{MENTION_SUFFIX} links to a {mention.label} "
                                f"that names no {f.refers_to.removesuffix('s')}")
            elif add_link(span.features, f, value) is not None:
                problems.append(f"{where}: {span.where}: {f.name} given twice ({span.features[f.name]} and, "
                                f"through the linked {mention.label}, {value})")


def _local_links(span: Span, fs, layer: Layer, spans: dict[int, Span], problems: list[str], where: str) -> None:
    """A local link's targets (spans of its layer) give its ids: each target's own id, in the array's order."""
    for f in layer.local_links:
        ids = []
        for link in getattr(fs.get(uima_name(f.name)), "elements", None) or []:
            other = spans.get(getattr(getattr(link, "target", None), "xmiID", None))
            target = layer_named(f.refers_to)
            if other is None or other.layer != target.name:
                problems.append(f"{where}: {span.where}: {f.name} links to something that is no {target.label} span")
            elif other.features.get(target.identity) is None:
                problems.append(f"{where}: {span.where}: {f.name} links to a {target.label} without its "
                                f"{target.identity}")
            else:
                ids.append(str(other.features[target.identity]))
        if ids:
            span.features[f.name] = ids if len(ids) > 1 else ids[0]


def _unzip(data: bytes, under: PurePosixPath, where: str) -> dict[PurePosixPath, bytes]:
    """The files of a zip, by path; a zip inside it (INCEpTION's project export keeps one per document
    and annotator) is opened in place, as a folder of the same name."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = {PurePosixPath(n): z.read(n) for n in z.namelist() if not n.endswith("/")}
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _Bad(f"{where}: not a readable zip file ({exc}): truncated, or not INCEpTION's export") from None
    files: dict[PurePosixPath, bytes] = {}
    for name, content in members.items():
        if name.suffix.lower() == ".zip":
            files.update(_unzip(content, under / name, f"{where}!{name}"))
        else:
            files[under / name] = content
    return files


def _sources(path: Path) -> list[tuple[str, str, bytes, tuple[str, bytes] | None]]:
    """(where, name, XMI bytes, (where, bytes) of its type system or None) of every .xmi file at ``path``: a folder (searched
    below), one file, or a zip (an INCEpTION export). A file's type system is the TypeSystem.xml in its
    folder or the nearest folder above it."""
    if path.is_file() and path.suffix.lower() == ".zip":
        files = _unzip(path.read_bytes(), PurePosixPath(), str(path))
        label = lambda p: f"{path}!{p}"  # noqa: E731
    elif path.is_dir():
        files = {PurePosixPath(p.relative_to(path).as_posix()): p.read_bytes() for p in sorted(path.rglob("*"))
                 if p.is_file() and p.suffix.lower() in (".xmi", ".xml")}
        label = lambda p: str(path / p)  # noqa: E731
    elif path.is_file():
        files = {PurePosixPath(path.name): path.read_bytes()}
        beside = next((p for p in path.parent.iterdir() if p.name.lower() == TYPE_SYSTEM_FILE.lower()), None)
        if beside is not None:
            files[PurePosixPath(beside.name)] = beside.read_bytes()
        label = lambda p: str(path.parent / p)  # noqa: E731
    else:
        raise UserError(f"no INCEpTION export at {path}",
                        "give the folder diplonews export wrote, or the .xmi files or zip INCEpTION exported")
    systems = {p.parent: (label(p), data) for p, data in files.items() if p.name.lower() == TYPE_SYSTEM_FILE.lower()}
    out = []
    for p, data in sorted(files.items()):
        if p.suffix.lower() != ".xmi":
            continue
        ts = next((systems[d] for d in [p.parent, *p.parent.parents] if d in systems), None)
        out.append((label(p), p.stem, data, ts))
    return out


def read(path: Path, article_of: Callable[[str], str | None] = lambda sha: None) -> list[Document]:
    """Every article of an INCEpTION export (see :func:`_sources`); the problems of files that cannot be
    read at all are raised together (ImportRefused)."""
    from diplonews.builders.interchange.to_yaml import ImportRefused

    hint = ("export the documents again from INCEpTION as UIMA CAS XMI (with the project's layers imported "
            "from the TypeSystem.xml diplonews wrote) and import those files")
    try:
        sources = _sources(Path(path))
    except _Bad as exc:
        raise ImportRefused([str(exc)], hint) from None
    if not sources:
        raise UserError(f"no .xmi files at {path}", "give the folder diplonews export wrote, or what INCEpTION exported")
    docs, problems = [], []
    for where, name, data, ts in sources:
        try:
            docs.append(read_cas(data, ts, where, name, article_of))
        except _Bad as exc:
            if str(exc) not in problems:  # a type system shared by many files is reported once
                problems.append(str(exc))
    if problems:
        raise ImportRefused(problems, hint)
    return docs
