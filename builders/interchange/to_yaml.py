"""Spans from an annotation tool -> seeds/annotations/<article_id>.yaml.

Everything is checked before anything is written: the text against the corpus (SHA-256), every
span's offsets and text, every label, choice and registry ID, and the resulting file against the
annotation model (its quotes resolving to exactly the imported spans). Then the files are edited with
ruamel.yaml's round-trip mode (comments, order and style of what did not change are kept): entries
that did not change are left as they were, changed ones are edited in place, removed ones removed,
new ones appended. Links written ``new:<slug>`` are kept and listed with the command that would
register them; nothing is registered silently.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from slugify import slugify

from diplonews.builders.authoring import with_seeds
from diplonews.builders.compile.evidence import occurrences, resolve
from diplonews.builders.interchange.document import Document, Span, annotation_path, entry_features, load_annotation
from diplonews.builders.interchange.layers import NEW_PREFIX, Layer, RegistryLabels, layers, link_ids
from diplonews.builders.sources.yamlsource import round_trip_yaml
from diplonews.errors import UserError
from diplonews.files import write_atomic
from diplonews.schema.annotation import AnnotationFile
from diplonews.schema.fields import SLUG_PATTERN

MAX_LISTED = 12
"""Problems listed in one refusal (the count of the rest is given)."""


class ImportRefused(UserError):
    """An import refused as a whole: every problem found, each with its file and place."""

    def __init__(self, problems: list[str], hint: str):
        shown = problems[:MAX_LISTED]
        more = f"\n  ... and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        super().__init__(f"import refused, nothing was changed ({len(problems)} problem(s)):\n  "
                         + "\n  ".join(shown) + more, hint)
        self.problems = problems


@dataclass
class LayerChange:
    """What an import did to one layer of one file."""

    added: int = 0
    removed: int = 0
    changed: int = 0
    kept: int = 0


@dataclass
class NewReference:
    """A link to an actor, event or topic the annotator created in the tool (``new:<slug>``)."""

    registry: str
    ident: str
    text: str  # the span that names it

    def command(self, seeds: Path) -> str:
        """What would register it in ``seeds`` (to be completed by the annotator)."""
        if self.registry == "actors":
            return with_seeds(f"diplonews actor add --id {self.ident} --name {_shell(self.text)} --type TYPE "
                              f"[--country ISO3] [--alias ...]", seeds)
        if self.registry == "events":
            return with_seeds(f"diplonews event add --id {self.ident} --type TYPE --status STATUS --basis BASIS "
                              f"--summary 'WHAT HAPPENED' --participant ACTOR:ROLE [--date YYYY-MM-DD]", seeds)
        return with_seeds(f"diplonews topic add --id {self.ident} --label {_shell(self.text)} "
                          f"--description 'WHAT IT IS ABOUT'", seeds)


def _shell(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


@dataclass
class ImportPlan:
    """The checked result of importing one document: the new file's bytes (None: unchanged)."""

    article_id: str
    path: Path
    data: bytes | None
    changes: dict[str, LayerChange] = field(default_factory=dict)
    new_references: list[NewReference] = field(default_factory=list)
    confirmed_suggestions: int = 0  # suggestions of `diplonews new` now entries, so removed from `suggestions`
    created: bool = False  # the article was added to the corpus by this import


# --- checking -------------------------------------------------------------------------------------


def _closest(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_span(doc: Document, span: Span, layer: Layer, registry: RegistryLabels, problems: list[str],
               new_refs: list[NewReference]) -> dict[str, Any] | None:
    """The YAML entry of ``span`` (features, quote, occurrence), or None after adding its problems."""
    where = f"{doc.file}: {span.where or layer.label}"
    text = doc.text
    if not (0 <= span.start < span.end <= len(text)):
        problems.append(f"{where}: offsets {span.start}-{span.end} fall outside the text (0-{len(text)})")
        return None
    quote = text[span.start:span.end]
    if span.text is not None and span.text != quote:
        problems.append(f"{where}: the span's text {span.text[:60]!r} is not the text at {span.start}-{span.end} "
                        f"({quote[:60]!r}): the tool moved it")
        return None
    ok = True
    values: dict[str, Any] = {}
    for name, value in span.features.items():
        feature = layer.feature(name)
        if feature is None:
            problems.append(f"{where}: unknown feature '{name}' for {layer.label}"
                            + _closest(name, [f.name for f in layer.features]))
            ok = False
            continue
        if value is None or value == "":
            continue
        if feature.kind == "date" and not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value).strip())
            except ValueError:
                problems.append(f"{where}: {name} '{value}' is not a date (YYYY-MM-DD)")
                ok = False
                continue
        if feature.kind == "local":
            ids = [str(v).strip() for v in (value if isinstance(value, list) else [value]) if str(v).strip()]
            if len(ids) > 1 and not feature.many:
                problems.append(f"{where}: {name} names one {feature.refers_to} entry, not {len(ids)}")
                ok = False
                continue
            if ids:
                values[name] = ids if len(ids) > 1 else ids[0]
            continue
        if feature.kind == "choice" and value not in feature.choices:
            problems.append(f"{where}: {name} '{value}' is not one of {', '.join(feature.choices)}")
            ok = False
            continue
        if feature.kind == "link":
            idents = []
            for one in link_ids(value):
                ident = one.removeprefix(NEW_PREFIX)
                if not registry.knows(feature.refers_to, ident):
                    if one.startswith(NEW_PREFIX) and re.fullmatch(SLUG_PATTERN, ident):
                        new_refs.append(NewReference(feature.refers_to, ident, quote))
                    else:
                        problems.append(f"{where}: {name} '{one}' is not in the {feature.refers_to} registry"
                                        + _closest(ident, sorted(registry.labels.get(feature.refers_to, {})))
                                        + f"; a new one is written {NEW_PREFIX}<id>")
                        ok = False
                        continue
                idents.append(ident)
            if len(idents) > 1 and not feature.many:
                problems.append(f"{where}: {name} names one {feature.refers_to.removesuffix('s')}, not {len(idents)}")
                ok = False
                continue
            if not idents:
                continue
            value = idents if len(idents) > 1 else idents[0]
        values[name] = value
    if not ok:
        return None
    entry = {f.name: values[f.name] for f in layer.features if f.name in values}
    entry["quote"] = quote
    starts = occurrences(text, quote)
    if len(starts) > 1:
        entry["occurrence"] = starts.index(span.start) + 1
    return entry


def _new_id(layer: Layer, entry: dict, taken: set[str]) -> str:
    """An ID for an entry made in the tool without one: its links and choices, as a slug."""
    parts = [str(entry[f.name]) for f in layer.features if f.kind in ("link", "choice") and f.name in entry]
    base = slugify("-".join(parts) or layer.label, max_length=60, word_boundary=True) or layer.label.lower()
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    taken.add(ident)
    return ident


def _validate(layer: Layer, entry: dict, where: str, problems: list[str]) -> Any | None:
    try:
        return layer.model.model_validate(entry)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = ".".join(str(p) for p in err["loc"]) or layer.label
            problems.append(f"{where}: {loc}: {err['msg']}")
        return None


# --- planning -------------------------------------------------------------------------------------


SPAN_KEYS = ("quote", "occurrence")


def _key(start: int, end: int, entry: dict) -> tuple:
    """What makes two entries of a layer the same: their span and every feature (a list of one local id is
    that id: ``source: [a]`` and ``source: a`` say the same)."""
    return (start, end, tuple(sorted((k, str(v[0] if isinstance(v, list) and len(v) == 1 else v))
                                     for k, v in entry.items() if k not in SPAN_KEYS)))


def plan_import(seeds: Path, doc: Document, registry: RegistryLabels) -> tuple[ImportPlan | None, list[str]]:
    """Check ``doc`` against the corpus, the registries and the models; the plan, or the problems."""
    problems: list[str] = []
    model, text = load_annotation(seeds, doc.article_id)
    path = annotation_path(seeds, doc.article_id)
    corpus_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if doc.sha256 != corpus_sha:
        problems.append(f"{doc.file}: the text differs from the corpus text of {doc.article_id} "
                        f"(SHA-256 {doc.sha256[:12]}... instead of {corpus_sha[:12]}...)")
        return None, problems
    if doc.problems:
        return None, list(doc.problems)
    by_name = {layer.name: layer for layer in layers()}
    new_refs: list[NewReference] = []
    imported: dict[str, list[tuple[Span, dict]]] = {name: [] for name in by_name}
    seen: set[tuple] = set()
    for span in doc.spans:
        layer = by_name.get(span.layer)
        if layer is None:
            problems.append(f"{doc.file}: {span.where}: unknown layer '{span.layer}'")
            continue
        entry = check_span(doc, span, layer, registry, problems, new_refs)
        if entry is not None:
            key = (layer.name, *_key(span.start, span.end, entry))
            if key in seen:
                problems.append(f"{doc.file}: {span.where}: the same {layer.label} is annotated twice here")
                continue
            seen.add(key)
            imported[layer.name].append((span, entry))
    # existing entries, with their spans (a file that loads has resolving quotes, or the build says so)
    existing: dict[str, list[tuple[int, int, dict]]] = {}
    for layer in by_name.values():
        rows = []
        for entry in getattr(model, layer.name):
            res = resolve(text, entry.quote, entry.occurrence)
            if res.problem:
                problems.append(f"{path}: {layer.name}: quote {entry.quote[:60]!r} does not resolve ({res.problem})")
                continue
            rows.append((res.start, res.end, entry_features(layer, entry)))
        existing[layer.name] = rows
    if problems:
        return None, problems
    plan = ImportPlan(doc.article_id, path, None, new_references=new_refs)
    edits: dict[str, tuple[list[int], dict[int, dict], list[dict]]] = {}
    expected: Counter = Counter()
    for name, layer in by_name.items():
        taken = {str(f[layer.identity]) for _, _, f in existing[name] if layer.identity in f}
        taken |= {str(e[layer.identity]) for _, e in imported[name] if layer.identity and layer.identity in e}
        for i, (span, entry) in enumerate(imported[name]):
            if layer.identity and layer.identity not in entry:
                entry[layer.identity] = _new_id(layer, entry, taken)
                # in the order of the model's fields, as every other entry is written
                order = [f.name for f in layer.features] + list(SPAN_KEYS)
                imported[name][i] = (span, {k: entry[k] for k in order if k in entry})
    _check_local_links(doc, imported, by_name, problems)
    for name, layer in by_name.items():
        validated = []
        for span, entry in imported[name]:
            checked = _validate(layer, entry, f"{doc.file}: {span.where or layer.label}", problems)
            if checked is not None:
                # compared as the build will read it: with the model's defaults (a demand's status: made)
                features = entry_features(layer, checked)
                validated.append((span, entry, features))
                expected[(name, *_key(span.start, span.end, features))] += 1
        removed, changed, added, change = _match(layer, existing[name], validated)
        edits[name] = (removed, changed, added)
        plan.changes[name] = change
    if problems:
        return None, problems
    if not any(c.added or c.removed or c.changed for c in plan.changes.values()):
        return plan, []
    plan.data, plan.confirmed_suggestions = _edited(path, edits)
    _check_result(plan, expected, text, problems)
    return (None if problems else plan), problems


def _check_local_links(doc: Document, imported: dict[str, list[tuple[Span, dict]]], by_name: dict[str, Layer],
                       problems: list[str]) -> None:
    """Every local link (``source:``, ``via:``) must name an entry of its layer in the same document."""
    for name, layer in by_name.items():
        for f in layer.local_links:
            target = by_name[f.refers_to]
            ids = {str(e.get(target.identity)) for _, e in imported[target.name]}
            for span, entry in imported[name]:
                value = entry.get(f.name)
                for ident in value if isinstance(value, list) else [] if value is None else [value]:
                    if ident not in ids:
                        problems.append(f"{doc.file}: {span.where or layer.label}: {f.name} '{ident}' is no "
                                        f"{target.label} of this document" + _closest(ident, sorted(ids))
                                        + f"; link the span to a {target.label} span, or add that {target.label}")


def _match(layer: Layer, existing: list[tuple[int, int, dict]], imported: list[tuple[Span, dict, dict]]
           ) -> tuple[list[int], dict[int, dict], list[dict], LayerChange]:
    """Pair imported entries (span, YAML entry, features with defaults) with existing ones: equal ones
    are kept; then the same ID (or, for layers without IDs, the same span) is a change; the rest are
    removed and added."""
    left = {i: _key(s, e, f) for i, (s, e, f) in enumerate(existing)}
    pending = []
    by_key: dict[tuple, list[int]] = {}
    for i, k in left.items():
        by_key.setdefault(k, []).append(i)
    kept = 0
    for span, entry, features in imported:
        k = _key(span.start, span.end, features)
        if by_key.get(k):
            del left[by_key[k].pop(0)]
            kept += 1
        else:
            pending.append((span, entry))
    changed: dict[int, dict] = {}
    added = []
    for span, entry in pending:
        match = None
        for i in left:
            s, e, f = existing[i]
            same = (f.get(layer.identity) == entry.get(layer.identity)) if layer.identity else (s, e) == (span.start, span.end)
            if same:
                match = i
                break
        if match is None:
            added.append(entry)
        else:
            del left[match]
            changed[match] = entry
    removed = sorted(left)
    return removed, changed, added, LayerChange(len(added), len(removed), len(changed), kept)


def _styled(entry: dict, flow: bool) -> CommentedMap:
    m = CommentedMap()
    for k, v in entry.items():
        m[k] = DoubleQuotedScalarString(v) if isinstance(v, str) and (k == "quote" or " " in v) else v
    if flow:
        m.fa.set_flow_style()
    return m


def _confirmed(suggestions: Any, layer: Layer, entry: dict) -> int | None:
    """The index of the suggestion ``entry`` confirms: same kind, and every key of it the same in the entry."""
    if not isinstance(suggestions, list):
        return None
    for i, s in enumerate(suggestions):
        if isinstance(s, dict) and s.get("kind") == layer.suggestion_kind and len(s) > 1 \
                and all(k == "kind" or entry.get(k) == v for k, v in s.items()):
            return i
    return None


def _edited(path: Path, edits: dict[str, tuple[list[int], dict[int, dict], list[dict]]]) -> tuple[bytes, int]:
    """The edited file, and how many suggestions it confirms (removed from ``suggestions``)."""
    y = round_trip_yaml()
    data = y.load(path.read_text(encoding="utf-8"))
    by_name = {layer.name: layer for layer in layers()}
    confirmed = 0
    for name, (removed, changed, added) in edits.items():
        if not (removed or changed or added):
            continue
        seq = data.get(name)
        if not isinstance(seq, CommentedSeq) or (not seq and seq.fa.flow_style()):
            seq = CommentedSeq(seq or [])
            data[name] = seq
        flow = bool(seq) and isinstance(seq[0], CommentedMap) and seq[0].fa.flow_style()
        for i, entry in changed.items():
            item = seq[i]
            for k in [k for k in item if k not in entry]:
                del item[k]
            for k, v in entry.items():
                if item.get(k) != v:
                    item[k] = DoubleQuotedScalarString(v) if isinstance(v, str) and (k == "quote" or " " in v) else v
        for i in reversed(removed):
            del seq[i]
        flow = flow or (name == "actor_mentions" and not seq)  # mentions are written one per line
        for entry in added:
            seq.append(_styled(entry, flow))
            i = _confirmed(data.get("suggestions"), by_name[name], entry)
            if i is not None:
                del data["suggestions"][i]
                confirmed += 1
    if confirmed and not data["suggestions"]:
        empty = CommentedSeq()
        empty.fa.set_flow_style()
        data["suggestions"] = empty
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue().encode("utf-8"), confirmed


def _check_result(plan: ImportPlan, expected: Counter, text: str, problems: list[str]) -> None:
    """The new file must load as the build loads it, and give exactly the imported entries: each layer's
    quotes resolving to the imported spans, with the imported features."""
    from diplonews.builders.sources.yamlsource import SourceFileError, parse_yaml, validate_source

    file = str(plan.path)
    try:
        model = validate_source(AnnotationFile, parse_yaml(plan.data.decode("utf-8"), file), file)
    except SourceFileError as exc:
        problems += [f"{f.location()}: the imported file would not load: {f.message}" for f in exc.findings]
        return
    got: Counter = Counter()
    for layer in layers():
        for entry in getattr(model, layer.name):
            res = resolve(text, entry.quote, entry.occurrence)
            got[(layer.name, *_key(res.start, res.end, entry_features(layer, entry)))] += 1
    if got != expected:
        diff = (expected - got) + (got - expected)
        problems.append(f"{file}: the written file would not give the imported entries: {sorted(diff)[:3]}")


# --- writing --------------------------------------------------------------------------------------


def import_documents(seeds: Path, docs: list[Document], registry: RegistryLabels) -> list[ImportPlan]:
    """Check every document, then write every changed file (all or none); the plans say what changed."""
    seen: dict[str, str] = {}
    plans, problems = [], []
    for doc in docs:
        if doc.article_id in seen:
            problems.append(f"{doc.file}: article {doc.article_id} is also in {seen[doc.article_id]}")
            continue
        seen[doc.article_id] = doc.file
        plan, found = plan_import(seeds, doc, registry)
        problems += found
        if plan is not None:
            plans.append(plan)
    if problems:
        raise ImportRefused(problems, "fix these in the tool (or its export) and import again; "
                            "the annotation files were left as they were")
    write_plans(plans)
    return plans


def write_plans(plans: list[ImportPlan]) -> None:
    """Write every changed file; if one write fails, the ones already written are put back."""
    done: list[tuple[Path, bytes]] = []
    try:
        for plan in plans:
            if plan.data is not None:
                old = plan.path.read_bytes()
                write_atomic(plan.path, plan.data)
                done.append((plan.path, old))
    except BaseException:
        for path, old in reversed(done):
            write_atomic(path, old)
        raise


def summary(plans: list[ImportPlan]) -> list[str]:
    """Lines saying, per file and layer, what was added, removed and changed, and what to register."""
    lines = []
    for plan in plans:
        if plan.data is None and not plan.created:  # a new article is news even with nothing annotated in it
            lines.append(f"{plan.path}: unchanged")
            continue
        lines.append(f"{plan.path}:" + (" (new article: its text is now in the corpus)" if plan.created else ""))
        for name, c in plan.changes.items():
            if c.added or c.removed or c.changed:
                lines.append(f"  {name}: {c.added} added, {c.removed} removed, {c.changed} changed, {c.kept} unchanged")
        if plan.confirmed_suggestions:
            lines.append(f"  suggestions: {plan.confirmed_suggestions} confirmed in the tool (moved into their sections)")
    refs = {(r.registry, r.ident): r for plan in plans for r in plan.new_references}
    if refs:
        lines.append("new entries created in the tool, not yet registered (the build reports them until they are):")
        seeds = plans[0].path.parent.parent  # <seeds>/annotations/<article>.yaml
        lines += [f"  {r.command(seeds)}" for r in refs.values()]
    return lines
