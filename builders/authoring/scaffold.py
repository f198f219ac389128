"""``diplonews new``: add a text to the corpus with a pre-filled annotation file of suggestions."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from pydantic import ValidationError
from slugify import slugify

from diplonews.builders.authoring import DEFAULT_SEEDS, with_seeds
from diplonews.builders.authoring.registry_index import load_registry
from diplonews.builders.authoring.suggest import suggest
from diplonews.builders.compile.common import require_seeds
from diplonews.builders.sources.yamlsource import NotRegularFile, parse_yaml, read_regular
from diplonews.errors import UserError
from diplonews.files import all_or_nothing, write_atomic
from diplonews.schema.annotation import LAST_DATE, AnnotationFile
from diplonews.schema.fields import SLUG_PATTERN
from diplonews.validators.source_rules import clip, schema_hint

MAX_ID_LENGTH = 64


class _Dumper(yaml.SafeDumper):
    """Writes repeated values (the same date three times) in full, never as YAML anchors."""

    def ignore_aliases(self, data: object) -> bool:
        return True


@dataclass
class ArticleInfo:
    """What the user knows about a new article (all optional but the text)."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    language: str = "en"
    date: date | None = None
    date_earliest: date | None = None
    date_latest: date | None = None
    date_basis: str | None = None  # stated | inferred; default: stated with --date, else inferred
    notes: list[str] = field(default_factory=list)
    article_id: str | None = None


@dataclass
class NewArticle:
    """What ``new_article`` wrote."""

    article_id: str
    text_path: Path
    annotation_path: Path
    suggestions: dict[str, int]
    check_command: str = ""  # the command that validates the article in its seeds folder


def read_text_file(path: Path) -> tuple[bytes, str]:
    """The bytes and decoded text of a new article, refusing what is not UTF-8 text or is empty."""
    try:
        raw = read_regular(path)
    except NotRegularFile as exc:
        raise UserError(str(exc), "give the path of a plain-text news article (it was not read)") from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}", "give the path of a plain-text news article") from None
    if b"\x00" in raw:
        raise UserError(f"{path} is not a text file (it contains NUL bytes)", "export the article as plain text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"{path} is not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            f"convert it first, e.g. iconv -f windows-1252 -t utf-8 {path.name} > {path.stem}.utf8.txt",
        ) from None
    if not text.strip():
        raise UserError(f"{path} is empty", "the text must contain the article")
    return raw, text


def _dates(info: ArticleInfo) -> tuple[date | None, date, date, str]:
    for given in (info.date, info.date_earliest, info.date_latest):
        if given is not None and given > LAST_DATE:
            raise UserError(f"date {given} is after {LAST_DATE}, the last date a source may give",
                            "a date this far ahead is a typo: check the year")
    basis = info.date_basis or ("stated" if info.date else "inferred")
    if basis not in ("stated", "inferred"):
        raise UserError(f"--date-basis must be 'stated' or 'inferred', not {basis!r}",
                        "stated: the article prints its date; inferred: you reasoned it from the text")
    if basis == "inferred" and info.date is not None:
        # published_date is only a date the article states (annotation guide, section 4): kept, it would
        # claim a stated date; dropped, the user's --date would be lost without a word.
        raise UserError("--date is a date the article states; it does not go with --date-basis inferred",
                        "give --date-earliest and --date-latest only, or --date alone if the article prints it")
    if basis == "stated":
        if info.date is None:
            raise UserError("a stated date needs --date YYYY-MM-DD",
                            "or give --date-earliest and --date-latest with --date-basis inferred")
        if info.date_earliest or info.date_latest:
            raise UserError("--date-earliest/--date-latest go with --date-basis inferred, not with a stated --date",
                            "give either --date, or --date-earliest, --date-latest and --date-basis inferred")
        return info.date, info.date, info.date, basis
    if info.date_earliest is None or info.date_latest is None:
        raise UserError("an inferred date needs --date-earliest and --date-latest (YYYY-MM-DD)",
                        "the interval the article must have been published in")
    if info.date_earliest > info.date_latest:
        raise UserError(f"--date-earliest {info.date_earliest} is after --date-latest {info.date_latest}",
                        "the earliest possible publication date comes first")
    if not info.notes:
        raise UserError("an inferred date needs --note saying how it was inferred",
                        "e.g. --note 'calls the 16 March call \"recent\"; before the April visit it discusses'")
    return None, info.date_earliest, info.date_latest, basis


def article_id_for(info: ArticleInfo, text: str, anchor: date) -> str:
    """A readable, stable ID: the date and the first words of the title (or of the text)."""
    if info.article_id:
        return info.article_id
    words = slugify(info.title or " ".join(text.split()[:8]))
    prefix = anchor.isoformat() if info.date else anchor.strftime("%Y-%m")
    return slugify(f"{prefix}-{words}", max_length=MAX_ID_LENGTH, word_boundary=True)


def _flow(entry: dict) -> str:
    # One suggestion per line, as a YAML flow mapping (JSON strings are valid YAML scalars).
    return "{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in entry.items()) + "}"


HEADER = """\
# yaml-language-server: $schema=../../schema/json/annotation.schema.json
# Annotation file for one article. Guide: docs/annotation-guide.md.
# Next steps:
#   1. Read the text: {text_path}
#   2. Go through `suggestions` at the bottom: move each one you confirm into its section
#      (actor_mentions, event_mentions, positions, demands), dropping the `kind` key; delete the rest.
#      Suggestions never enter the tables until confirmed.
#   3. Check often:   {validate}
#   4. When done:     {build}
"""


def validate_command(seeds: Path, article_id: str) -> str:
    """The command that checks one article of ``seeds`` (the folder named unless it is ./seeds)."""
    return with_seeds("diplonews validate", seeds, positional=True) + f" --article {article_id}"


OPTIONS = {"id": "--id", "title": "--title", "outlet": "--outlet", "author": "--author", "url": "--url",
           "language": "--language", "published_date": "--date", "published_date_earliest": "--date-earliest",
           "published_date_latest": "--date-latest", "published_date_basis": "--date-basis", "notes": "--note",
           "rights": "--outlet"}
"""The option of ``diplonews new`` each key of the article block comes from."""


def _article(article_id: str, text_file: str, info: ArticleInfo, dates: tuple) -> dict:
    published, earliest, latest, basis = dates
    return {
        "id": article_id, "text_file": text_file, "title": info.title, "outlet": info.outlet,
        "author": info.author, "url": info.url, "language": info.language,
        "published_date": published, "published_date_earliest": earliest, "published_date_latest": latest,
        "published_date_basis": basis,
        # Written out, at their safe values, so the annotator sees what to confirm: nothing is
        # published of the text until someone records a licence and its basis.
        "rights": info.outlet or "unknown outlet", "text_license": "unknown", "redistributable": False,
        "rights_basis": None, "notes": list(info.notes),
    }


def _yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


def _refuse_invalid(article: dict, file: str) -> None:
    """Refuse (UserError naming the option) an article block that ``diplonews validate`` would refuse: it is
    checked with the source model that validate uses, as given and as written to YAML and read back."""
    try:
        # As given first: a value YAML cannot hold (an argument of bytes that are not UTF-8) is named here.
        AnnotationFile.model_validate({"article": article})
        AnnotationFile.model_validate(parse_yaml(_yaml({"article": article}), file))
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        field = next((str(part) for part in err["loc"][1:] if isinstance(part, str)), None)
        value = str(err["input"])
        shown = repr(value) if clip(value, 60) == value else clip(value, 60)  # a pasted file is not echoed whole
        given = f"{OPTIONS[field]} {shown}" if field in OPTIONS else "the article"
        raise UserError(f"{given}: {err['msg']}; nothing was written",
                        schema_hint(AnnotationFile, err) or "see docs/annotation-guide.md, section 4") from None


def annotation_text(article_id: str, text_file: str, info: ArticleInfo, dates: tuple, found: list[dict]) -> str:
    """The YAML of a freshly scaffolded annotation file (its header names the commands to run)."""
    body = _yaml({"article": _article(article_id, text_file, info, dates)})
    # The file outlives the command and travels with the repository: its header names the default layout,
    # never the path this command was given (absolute, or relative to where it ran); `new` prints that one.
    header = HEADER.format(text_path=DEFAULT_SEEDS / "texts" / text_file,
                           validate=validate_command(DEFAULT_SEEDS, article_id), build="diplonews build")
    lines = [header, body.rstrip("\n")]
    lines += ["actor_mentions: []", "event_mentions: []", "positions: []", "demands: []"]
    lines.append("suggestions:" if found else "suggestions: []")
    kinds = ["actor_mention", "new_actor", "date", "quotation", "event"]
    titles = {
        "actor_mention": "known actors by alias, metonym (Ankara) or role held on the article date (case and "
                         "diacritics ignored)",
        "new_actor": "names, anonymous sources and groups that match no actor: add with `diplonews actor add` if "
                     "they are actors",
        "date": "date expressions resolved against the article date (basis, precision): use in event dates and "
                "date_expression",
        "quotation": "direct quotations, with the speaker when the sentence names one",
        "event": "event words: looks_like names the registry event it resembles (check it: diplonews event search); "
                 "new_event proposes type, status and date for `diplonews event add`",
    }
    for kind in kinds:
        group = [s for s in found if s["kind"] == kind]
        if group:
            lines.append(f"  # --- {titles[kind]}")
            lines += [f"  - {_flow(s)}" for s in group]
    return "\n".join(lines) + "\n"


def new_article(seeds: Path, text_path: Path, info: ArticleInfo) -> NewArticle:
    """Copy ``text_path`` into ``seeds/texts/`` and write a suggested annotation file.

    Refuses (UserError) a ``seeds`` that is no seeds folder, a file that is not UTF-8 text, an empty
    file, a text already in the corpus, an ID that is taken, invalid dates and any value the annotation
    file's schema refuses (a language that is no ISO 639 code); on any failure nothing is left behind.
    """
    seeds = Path(seeds)
    require_seeds(seeds)  # a mistyped --seeds would otherwise become a new folder holding only this article
    raw, text = read_text_file(Path(text_path))
    dates = _dates(info)
    digest = hashlib.sha256(raw).hexdigest()
    texts = seeds / "texts"
    for existing in sorted(texts.glob("*")) if texts.is_dir() else []:
        if existing.is_file() and hashlib.sha256(existing.read_bytes()).hexdigest() == digest:
            raise UserError(f"this text is already in the corpus as {texts / existing.name}",
                            "annotate the existing article instead of adding the text twice")
    article_id = article_id_for(info, text, dates[1])
    if not re.fullmatch(SLUG_PATTERN, article_id):
        raise UserError(f"article ID {article_id!r} is not a lowercase slug", "e.g. --id 2025-03-16-erdogan-call")
    annotation_path = seeds / "annotations" / f"{article_id}.yaml"
    text_file = f"{article_id}.txt"
    if annotation_path.exists() or (texts / text_file).exists():
        raise UserError(f"article ID {article_id!r} is already taken", "choose another with --id")
    _refuse_invalid(_article(article_id, text_file, info, dates), str(annotation_path))
    found = suggest(text, load_registry(seeds), dates[1], dates[2], info.title)
    annotation = annotation_text(article_id, text_file, info, dates, found)
    texts.mkdir(parents=True, exist_ok=True)
    annotation_path.parent.mkdir(parents=True, exist_ok=True)
    with all_or_nothing(texts / text_file, annotation_path):
        write_atomic(texts / text_file, raw)
        write_atomic(annotation_path, annotation.encode("utf-8"))
    counts: dict[str, int] = {}
    for s in found:
        counts[s["kind"]] = counts.get(s["kind"], 0) + 1
    return NewArticle(article_id, texts / text_file, annotation_path, counts, validate_command(seeds, article_id))
