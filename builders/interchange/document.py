"""An article as every tool format sees it: its text and its spans, with code-point offsets.

Export reads these from the annotation files (quotes resolved to spans, exactly as the build does);
each format writes and reads them; ``to_yaml`` turns them back into annotation files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diplonews.builders.authoring import with_seeds
from diplonews.builders.compile.evidence import resolve
from diplonews.builders.interchange.layers import Layer, layer_named, layers
from diplonews.errors import UserError
from diplonews.schema.annotation import AnnotationFile


@dataclass
class Span:
    """One entry of a layer: where it is (code points, end exclusive) and its features.

    ``text`` is the span's text as the tool gave it (checked against the article on import);
    ``where`` names it in messages (e.g. ``T3`` or ``result 4``)."""

    layer: str
    start: int
    end: int
    features: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    where: str = ""


@dataclass
class Document:
    """An article's text and spans; ``file`` is where it was read from (for messages); ``problems``
    are what the format's reader found wrong (reported after the text is checked against the corpus)."""

    article_id: str
    text: str
    spans: list[Span]
    file: str = ""
    problems: list[str] = field(default_factory=list)
    suggested: list[Span] = field(default_factory=list)  # open suggestions that are entries of a layer

    @property
    def sha256(self) -> str:
        """SHA-256 of the text as UTF-8 (the corpus file's bytes)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def annotation_path(seeds: Path, article_id: str) -> Path:
    """seeds/annotations/<article_id>.yaml"""
    return Path(seeds) / "annotations" / f"{article_id}.yaml"


def article_ids(seeds: Path) -> list[str]:
    """The IDs of every annotated article in ``seeds``, sorted."""
    return sorted(p.stem for p in (Path(seeds) / "annotations").glob("*.yaml"))


def load_annotation(seeds: Path, article_id: str) -> tuple[AnnotationFile, str]:
    """An article's validated annotation file and its text (UserError at file:line otherwise)."""
    from diplonews.builders.sources.yamlsource import SourceFileError, load_source, not_loaded

    path = annotation_path(seeds, article_id)
    if not path.is_file():
        import difflib

        close = difflib.get_close_matches(article_id, article_ids(seeds), n=1, cutoff=0.4)
        raise UserError(f"no article '{article_id}' in {path.parent}",
                        f"did you mean '{close[0]}'?" if close else "list them with: diplonews status")
    try:
        model, _ = load_source(path, AnnotationFile)
    except SourceFileError as exc:
        raise not_loaded(exc, Path(seeds)) from None
    return model, corpus_text(seeds, model.article.text_file, path)


def corpus_text(seeds: Path, text_file: str, referrer: Path) -> str:
    """The text of ``seeds/texts/<text_file>``, read as the build reads it."""
    path = Path(seeds) / "texts" / text_file
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{referrer}: its text {path} cannot be read ({exc}); nothing was changed",
                        "run diplonews validate to see every problem of the sources") from None


def entry_features(layer: Layer, entry: Any) -> dict[str, Any]:
    """The features of one validated entry, as plain values (enum members by value, dates as YYYY-MM-DD, a
    list of local ids as a list, None left out)."""
    out = {}
    for f in layer.features:
        value = getattr(entry, f.name)
        if value is None:
            continue
        if hasattr(value, "value"):
            value = value.value
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, list):
            value = list(value)
        out[f.name] = value
    return out


def local_targets(spans: list[Span], names: list[str]) -> dict[tuple[str, str], str]:
    """(layer, local id) -> the tool's name of that entry's span (``T9``, a region id; ``names`` gives one per
    span): where a local link (``source:``, ``via:``) is drawn to."""
    by_name = {layer.name: layer for layer in layers()}
    out = {}
    for span, name in zip(spans, names):
        ident = by_name[span.layer].identity
        if ident and span.features.get(ident) is not None:
            out[(span.layer, str(span.features[ident]))] = name
    return out


def export_document(seeds: Path, article_id: str) -> Document:
    """An article's text and every span of every layer (refused when a quote does not resolve: the
    tool would show a span in the wrong place)."""
    model, text = load_annotation(seeds, article_id)
    path = annotation_path(seeds, article_id)
    spans = []
    for layer in layers():
        for i, entry in enumerate(getattr(model, layer.name)):
            res = resolve(text, entry.quote, entry.occurrence)
            if res.problem:
                raise UserError(f"{path}: {layer.name}[{i}]: quote {entry.quote[:60]!r} does not resolve "
                                f"({res.problem}); nothing was exported",
                                _fix_first(path, article_id))
            spans.append(Span(layer.name, res.start, res.end, entry_features(layer, entry), entry.quote))
    _check_local_links(model, path, article_id)
    return Document(model.article.id, text, spans, str(path), suggested=suggested_spans(model, text))


def _fix_first(path: Path, article_id: str) -> str:
    """The hint to validate the article first, with its seeds folder (``path`` is its annotation file)."""
    return "fix it first: " + with_seeds("diplonews validate", path.parent.parent, positional=True) + \
        f" --article {article_id}"


def _check_local_links(model: AnnotationFile, path: Path, article_id: str) -> None:
    """Refuse a local link (``source:``, ``via:``) naming no entry of its layer: a tool draws it as an arc
    to that entry's span, and there is none to draw it to."""
    for layer in layers():
        for f in layer.local_links:
            target = layer_named(f.refers_to)
            ids = {str(getattr(e, target.identity)) for e in getattr(model, target.name)}
            for i, entry in enumerate(getattr(model, layer.name)):
                value = getattr(entry, f.name)
                for ident in value if isinstance(value, list) else [] if value is None else [value]:
                    if ident not in ids:
                        raise UserError(f"{path}: {layer.name}[{i}]: {f.name} '{ident}' is no entry of "
                                        f"{target.name}; nothing was exported",
                                        _fix_first(path, article_id))


def suggested_spans(model: AnnotationFile, text: str) -> list[Span]:
    """The open suggestions (of ``diplonews new``) that are entries of a layer once their ``kind`` is
    dropped (e.g. an actor_mention with actor and quote): tools can offer them as pre-annotations."""
    from pydantic import ValidationError

    out = []
    for layer in layers():
        for s in model.suggestions:
            if s.get("kind") != layer.suggestion_kind:
                continue
            try:
                entry = layer.model.model_validate({k: v for k, v in s.items() if k != "kind"})
            except ValidationError:
                continue  # a suggestion with more or other keys than an entry: not offered
            res = resolve(text, entry.quote, entry.occurrence)
            if not res.problem:
                out.append(Span(layer.name, res.start, res.end, entry_features(layer, entry), entry.quote))
    return out
