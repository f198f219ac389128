"""The tool formats and the two operations every one of them offers: export and import.

A format is a module with ``export(docs, registry, out, raw_texts) -> list[Path]`` and
``read(path, article_of) -> list[Document]`` (``article_of(sha256)``: the article whose text that is,
for a file that does not name it); adding one (INCEpTION) is adding a module and a line in FORMATS.
"""

from __future__ import annotations

import importlib
import re
import shutil
from pathlib import Path

from diplonews.builders.interchange import FORMATS
from diplonews.builders.interchange.document import annotation_path, article_ids, export_document
from diplonews.builders.interchange.layers import load_labels
from diplonews.builders.interchange.to_yaml import ImportPlan, import_documents
from diplonews.errors import UserError
from diplonews.files import why_not_a_folder
from diplonews.schema.fields import SLUG_PATTERN


def format_module(name: str):
    """The module of format ``name`` (UserError for an unknown one)."""
    if name not in FORMATS:
        raise UserError(f"unknown format '{name}'", f"one of: {', '.join(FORMATS)}")
    return importlib.import_module(FORMATS[name].module)


def export_articles(fmt: str, seeds: Path, out: Path, articles: list[str] | None = None) -> list[Path]:
    """Write ``articles`` (default: all) of ``seeds`` with every layer in format ``fmt`` into ``out``,
    with the tool's project configuration; returns the files written."""
    from diplonews.builders.compile.common import require_seeds

    seeds = Path(seeds)
    require_seeds(seeds)
    module = format_module(fmt)
    registry = load_labels(seeds)
    ids = list(dict.fromkeys(articles)) if articles else article_ids(seeds)
    docs = [export_document(seeds, a) for a in ids]  # every article checked before anything is written
    raw = {}
    for doc in docs:
        raw[doc.article_id] = doc.text.encode("utf-8")
    out = Path(out)
    why = why_not_a_folder(out)
    if why:
        raise UserError(f"--out {out} {why}; nothing was written", "give a folder (it is created if missing)")
    if out.is_dir() and any(out.iterdir()):
        # an earlier export may hold an annotator's work: never written over
        raise UserError(f"--out {out} is not empty; nothing was written",
                        "export into a new folder (import the old one first if it holds annotations)")
    created = not out.exists()
    try:
        return module.export(docs, registry, out, raw)
    except BaseException:  # the folder was new or empty: leave it so
        if created:
            shutil.rmtree(out, ignore_errors=True)
        else:
            for child in out.iterdir():
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)
        raise


def import_articles(fmt: str, path: Path, seeds: Path, new_article: dict | None = None) -> list[ImportPlan]:
    """Read what the tool exported at ``path`` and turn it into the annotation files of ``seeds``:
    everything is checked first; on any problem nothing is written (ImportRefused).

    A text that is no article of ``seeds`` yet is added as ``diplonews new`` adds one (the text copied,
    an annotation file in its style), with ``new_article`` (the fields of
    :class:`~diplonews.builders.authoring.scaffold.ArticleInfo`: date, title, ...), then filled; without
    ``new_article`` it is refused."""
    from diplonews.builders.compile.common import require_seeds

    seeds = Path(seeds)
    require_seeds(seeds)
    module = format_module(fmt)
    docs = module.read(Path(path), _article_finder(seeds))
    registry = load_labels(seeds)
    new = [d for d in docs if not d.article_id or not annotation_path(seeds, d.article_id).is_file()]
    if new and new_article is None:
        named = f"article '{new[0].article_id}'" if new[0].article_id else "a text that is no article's text"
        raise UserError(f"{new[0].file}: {named} is not in {seeds / 'annotations'}; nothing was changed",
                        "to add it as a new article (as diplonews new does), give its date: --date YYYY-MM-DD "
                        "(or --date-earliest, --date-latest, --date-basis inferred and --note), and --title if known")
    created: list[Path] = []
    try:
        for doc in new:
            made = _add_article(seeds, doc, new_article)
            created += [made.text_path, made.annotation_path]
            doc.article_id = made.article_id
        plans = import_documents(seeds, docs, registry)
    except BaseException:
        for p in created:
            p.unlink(missing_ok=True)
        raise
    added = {d.article_id for d in new}
    for plan in plans:
        plan.created = plan.article_id in added
    return plans


def _add_article(seeds: Path, doc, info: dict):
    """Add ``doc``'s text to the corpus with a scaffolded annotation file (``diplonews new``)."""
    import tempfile

    import dataclasses

    from diplonews.builders.authoring.scaffold import ArticleInfo, new_article

    known = {f.name for f in dataclasses.fields(ArticleInfo)}
    if set(info) - known:
        raise UserError(f"unknown article field(s) {', '.join(sorted(set(info) - known))}; nothing was changed",
                        f"one of: {', '.join(sorted(known))}")
    if doc.article_id and not re.fullmatch(SLUG_PATTERN, doc.article_id):
        # new's own refusal would suggest --id, which import does not take: the ID comes with the document
        raise UserError(f"{doc.article_id!r}, the ID of this new article, is not a lowercase slug; nothing was changed",
                        "brat and INCEpTION take it from the file's name, Label Studio from the task's data: make it "
                        "a slug such as 2025-10-06-fidan-rubio (brat: X.txt and X.ann, INCEpTION: X.xmi, "
                        "renamed alike)")
    with tempfile.TemporaryDirectory(prefix="diplonews-import-") as tmp:
        text = Path(tmp) / "article.txt"
        text.write_bytes(doc.text.encode("utf-8"))
        return new_article(seeds, text, ArticleInfo(**{**info, "article_id": doc.article_id or info.get("article_id")}))


def _article_finder(seeds: Path):
    """``article_of(sha256)``: the ID of the annotated article with that text, or None (read on first use)."""
    index: dict[str, str] = {}

    def article_of(sha: str) -> str | None:
        if not index:
            import hashlib

            from diplonews.builders.interchange.document import load_annotation

            for ident in article_ids(seeds):
                _, text = load_annotation(seeds, ident)
                index.setdefault(hashlib.sha256(text.encode("utf-8")).hexdigest(), ident)
        return index.get(sha)

    return article_of
