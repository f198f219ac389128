"""Rules on the hand-written sources (YAML and texts), checked while compiling them.

Each rule is a named unit: its name, severity, one sentence of why, and its check, a function over
what the compiler has parsed (an entry, a file's IDs, a text) that returns the problems it finds.
The compiler calls the checks where file and line are known, and reports each problem with them
(:meth:`SourceRule.findings`). Rules on the built tables are in :mod:`diplonews.validators.dataset_rules`.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from diplonews.schema.fields import (
    CAMEO_PATTERN,
    COUNTRY_PATTERN,
    EVENT_TYPE_PATTERN,
    LANGUAGE_PATTERN,
    LICENSE_PATTERN,
    PLOVER_PATTERN,
    SLUG_PATTERN,
    WIKIDATA_PATTERN,
)

from .findings import Finding, Severity

CLIP_CHARS = 200
"""Longest user value quoted in full in a message; longer ones are cut (a value may be megabytes long)."""


def clip(value: str, limit: int = CLIP_CHARS) -> str:
    """``value``, cut to ``limit`` characters with a note of its length when longer."""
    return value if len(value) <= limit else f"{value[:limit]}... ({len(value):,} characters)"


@dataclass(frozen=True)
class Problem:
    """What a check found: a message and a hint; ``line`` when the check knows better than its caller where
    in the file the problem is written."""

    message: str
    hint: str | None = None
    line: int | None = None


NONE: tuple[Problem, ...] = ()
"""What a check returns when it finds nothing."""


@dataclass(frozen=True)
class SourceRule:
    """A rule on annotation sources: name, severity, one sentence of why, and its check."""

    name: str
    severity: Severity
    why: str
    check: Callable[..., Sequence[Problem]]  # a tuple or list (NONE when it finds nothing)

    def run(self, *args: Any, file: str | None, line: int | None = None) -> list[Finding]:
        """Run the check on ``args``; its findings at ``file``:``line`` (a problem may name its own line)."""
        return self.findings(self.check(*args), file=file, line=line)

    def findings(self, problems: Iterable[Problem], file: str | None, line: int | None = None) -> list[Finding]:
        """What the check found, as findings at ``file``:``line`` (a problem may name its own line)."""
        return [Finding(self.name, self.severity, p.message, file=file,
                        line=p.line if p.line is not None else line, hint=p.hint) for p in problems]


# -- loading a file --------------------------------------------------------------------------------

def file_kind(mode: int) -> str:
    """What a path of this mode is, in words ('a folder', 'a named pipe (FIFO)', ...)."""
    return ("a regular file" if stat.S_ISREG(mode) else "a folder" if stat.S_ISDIR(mode)
            else "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")


def _regular_file(mode: int, what: str) -> Iterable[Problem]:
    """A path whose mode is not a regular file's (``what`` names it)."""
    if stat.S_ISREG(mode):
        return NONE
    return (Problem(f"{what} is {file_kind(mode)}, not a regular file",
                    "replace it with a regular file holding the content (it was not read)"),)


def _yaml_syntax(error: BaseException | None, raw: bytes = b"") -> Iterable[Problem]:
    """Why a YAML file could not be read or parsed (``error`` from reading, decoding ``raw`` or parsing)."""
    if error is None:
        return NONE
    if isinstance(error, FileNotFoundError):
        return (Problem("file not found", "create it, or restore it with git"),)
    if isinstance(error, OSError):
        return (Problem(f"cannot read file: {error.strerror}", "check the file's permissions"),)
    if isinstance(error, UnicodeDecodeError):
        return (Problem(f"not UTF-8 ({error.reason} at byte {error.start})", "save the file as UTF-8",
                        line=raw.count(b"\n", 0, error.start) + 1),)
    if isinstance(error, RecursionError):
        return (Problem("YAML nests too deep to load", "an annotation file needs a few levels, not hundreds"),)
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if problem.startswith("duplicate key"):
        hint = "write each key once in a mapping: this line gives it a second time (keep one of the two)"
    elif "constructor for the tag" in problem:
        hint = "remove the tag ('!!...' or '!...'): sources hold plain text, numbers, lists and mappings"
    else:
        hint = "check indentation and quoting; a value with ': ' or a leading '\"' must be quoted"
    return (Problem(f"YAML does not parse: {problem}", hint, line=mark.line + 1 if mark else None),)


def _source_schema(model: type, errors: list[dict], line_of: Callable[[tuple], int | None]) -> Iterable[Problem]:
    """Every error pydantic found validating parsed YAML against ``model`` (``line_of`` places a location)."""
    return [Problem(f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}", schema_hint(model, err),
                    line=line_of(err["loc"]) or (None if err["loc"] else 1)) for err in errors]


PATTERN_HINTS = {
    SLUG_PATTERN: "IDs are lowercase slugs such as 'recep-tayyip-erdogan'",
    COUNTRY_PATTERN: "country codes are ISO 3166-1 alpha-3, such as TUR",
    LANGUAGE_PATTERN: "language codes are ISO 639 codes of two or three lowercase letters, such as en, tr or ru",
    WIKIDATA_PATTERN: "a Wikidata ID is Q and a number, such as Q43",
    CAMEO_PATTERN: "a CAMEO code is 2 to 4 digits, quoted so that leading zeros stay, such as \"051\"",
    PLOVER_PATTERN: "a PLOVER type is a word in capitals, such as CONSULT",
    LICENSE_PATTERN: "a licence is an SPDX identifier such as CC-BY-4.0, or unknown",
    EVENT_TYPE_PATTERN: "an event type is a lowercase word or words joined by _, such as phone_call "
                        "(schema/codebook/event_types.csv)",
}
"""The hint for a value that does not match a pattern of the source models, by pattern."""


def schema_hint(model: type, err: dict) -> str | None:
    """How to fix one error pydantic found validating against ``model`` (None when there is nothing to add)."""
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, err["loc"][:-1])
        close = difflib.get_close_matches(str(err["loc"][-1]), allowed, n=1)
        return f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(sorted(allowed))}"
    if kind == "date_range":
        return "a date this far ahead is a typo: check the year"
    if kind.startswith("date"):
        return "write dates as YYYY-MM-DD, e.g. 2025-03-16 (a real calendar day)"
    if kind == "string_unicode":
        return "give text as UTF-8: the value holds bytes that are not"
    if kind == "string_too_long":
        return "a value this long is a mistake (a pasted file?): quote a passage, not the whole text"
    if kind == "string_pattern_mismatch":
        return PATTERN_HINTS.get(err.get("ctx", {}).get("pattern"))
    if kind == "missing":
        return f"add the key '{err['loc'][-1]}'"
    if kind in ("enum", "literal_error"):
        allowed = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
        given = str(err.get("input"))
        close = [a for a in allowed if a.casefold() == given.casefold()] or difflib.get_close_matches(given, allowed, 1)
        return f"did you mean '{close[0]}'?" if close else None  # the message lists the allowed values
    if kind in _BOUNDS:
        if err["loc"] and err["loc"][-1] == "occurrence":
            return "occurrence counts from 1: N picks the Nth place the quote appears in the text"
        op, key = _BOUNDS[kind]
        return f"give a number {op} {err.get('ctx', {}).get(key)}"
    if kind == "string_too_short":
        if err["loc"] and err["loc"][-1] == "quote":
            return "copy the words from the article text: a quote cannot be empty"
        return "give a value, or leave the key out where it is optional"
    if kind in ("model_type", "model_attributes_type", "dict_type") and not err["loc"]:
        return ("the file holds no mapping (is it empty?): start from `diplonews new`, or copy the layout of "
                "another file")
    if kind in ("string_type", "int_type"):
        return _yaml_typed_hint(kind, err)
    return None


def _yaml_typed_hint(kind: str, err: dict) -> str | None:
    """How to write a value that YAML read as another type than the field's (``kind``: string_type, int_type):
    an unquoted yes/no, number or empty value is not a string, and a boolean or a text is not a number."""
    loc, given = err["loc"], err.get("input")
    # How the value is written: after its key, or as an item of a list.
    written = f"{loc[-1]}: " if loc and isinstance(loc[-1], str) else "- "
    if kind == "int_type":
        read = "YAML read it as a boolean: " if isinstance(given, bool) else ""
        return f"{read}write a whole number, e.g. {written}2"
    if given is None:
        return f"give a value after '{written.strip()}' (nothing there is null in YAML)"
    if isinstance(given, bool):
        # The spelling is lost (no, off and false all read as False): name them all.
        return (f"YAML reads unquoted yes, no, on, off, true and false as booleans (here {given}): put the value "
                f"in quotes, e.g. {written}\"{'yes' if given else 'no'}\"")
    if isinstance(given, int | float):
        return (f"YAML read the unquoted value as the number {given!r}: put it in quotes as written, "
                f"e.g. {written}\"...\"")
    return None


_BOUNDS = {"greater_than_equal": (">=", "ge"), "greater_than": (">", "gt"), "less_than_equal": ("<=", "le"),
           "less_than": ("<", "lt")}


def _allowed_keys(model: type, loc: tuple[Any, ...]) -> list[str]:
    """The field names of the (sub)model at ``loc``, for 'did you mean' hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    for arg in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(arg, type) and hasattr(arg, "model_fields"):
            return arg
    return None


# -- texts -----------------------------------------------------------------------------------------

def _text_in_corpus(name: str, target: str, corpus: str, folder: str) -> Iterable[Problem]:
    """A text file that is a link (to ``target``, resolved) leading out of the corpus folder (``corpus``
    resolved, ``folder`` as the user gave it)."""
    if os.path.commonpath([corpus, target]) == corpus:
        return NONE
    return (Problem(f"text file '{name}' is a link to {clip(target)}, outside {folder}/",
                    f"copy the text itself into {folder}/ instead of linking to it"),)


def _text_file_readable(name: str, error: BaseException | None, folder: str) -> Iterable[Problem]:
    """A text that could not be found, read or decoded as UTF-8 (``error`` from doing so) in the corpus
    folder (``folder``, as the user gave it)."""
    if error is None:
        return NONE
    if isinstance(error, FileNotFoundError):
        return (Problem(f"text file '{clip(name)}' not found in {folder}/",
                        f"text_file is a file name in {folder}/ (copy the text there byte-identical)"),)
    if isinstance(error, UnicodeDecodeError):
        return (Problem(f"text file '{name}' is not UTF-8 ({error.reason} at byte {error.start})",
                        "convert the text to UTF-8 before adding it"),)
    strerror = getattr(error, "strerror", None) or str(error)
    return (Problem(f"text file '{clip(name)}' cannot be read: {strerror}",
                    f"text_file is a file name in {folder}/, readable by you"),)


INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00ad"
"""Characters that print nothing: byte order mark, zero-width space, (non-)joiner and word joiner, soft hyphen."""


def _text_not_empty(name: str, text: str) -> Iterable[Problem]:
    """A text (file ``name``) that is empty or only white space and invisible characters (a byte order mark:
    an editor's 'empty' UTF-8 file)."""
    if "".join(text.split()).strip(INVISIBLE):
        return NONE
    return (Problem(f"text file '{name}' is empty" + (" (only white space or invisible characters)" if text else ""),
                    "put the article's text in the file, or remove this annotation file"),)


def _text_not_shared(text_file: str, digest: str, earlier: Mapping[str, str]) -> Iterable[Problem]:
    """An article over a text (``text_file``, SHA-256 ``digest``) that an earlier article annotates (``earlier``
    maps the digests seen so far to their article)."""
    if digest not in earlier:
        return NONE
    return (Problem(f"text '{text_file}' is the same text as article '{earlier[digest]}'",
                    "annotate the existing article instead of adding the text twice"),)


# -- IDs and references ----------------------------------------------------------------------------

def _duplicate_id(kind: str, value: str, file: str, earlier: Mapping[str, tuple[str, int | None]]) -> Iterable[Problem]:
    """An ID of ``kind`` (a registry's, or 'article') given before: ``earlier`` maps the IDs seen so far
    to the file and line that gave them first."""
    if value not in earlier:
        return NONE
    first_file, first_line = earlier[value]
    if kind == "article":
        return (Problem(f"article ID '{value}' is also used by {first_file}", "give each article its own ID"),)
    where = f"line {first_line}" if first_file == file else f"{first_file}:{first_line}"
    return (Problem(f"duplicate {kind} ID '{value}' (first at {where})", "give each entry its own ID"),)


def _local_id_unique(what: str, value: str, earlier: Mapping[str, int | None], hint: str) -> Iterable[Problem]:
    """A local id (of a ``what``) given before in the same file: ``earlier`` maps those seen to their line."""
    if value not in earlier:
        return NONE
    return (Problem(f"{what} '{value}' used twice in this file (first at line {earlier[value]})", hint),)


def _mention_annotated_once(referent: str, mention_id: str, earlier: Collection[str]) -> Iterable[Problem]:
    """A mention of a ``referent`` (actor, event) whose ID (article, span, referent) is among ``earlier`` ones."""
    if mention_id not in earlier:
        return NONE
    return (Problem(f"the same {referent} is annotated twice at this quote", "delete the duplicate entry"),)


def _participant_listed_once(actor: str, event: str, earlier: Collection[str]) -> Iterable[Problem]:
    """A participant of an event among the ``earlier`` participants of that event."""
    if actor not in earlier:
        return NONE
    return (Problem(f"actor '{actor}' listed twice in event '{event}'", "list each participant once"),)


def _unknown_reference(kind: str, value: str | None, known: Collection[str]) -> Iterable[Problem]:
    """A reference to an ID of ``kind`` that is not in ``known``, with the closest known one as hint."""
    if value is None or value in known:
        return NONE
    # No ID is longer than a line; comparing a longer value with every ID would only cost time.
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.5) if len(value) <= CLIP_CHARS else []
    register = (f"register it first: diplonews {kind} add --help" if kind in ("actor", "event", "topic")
                else f"one of the {kind}s of schema/codebook/")  # event types are the codebook's
    hint = f"did you mean '{close[0]}'?" if close else register
    return (Problem(f"unknown {kind} ID '{clip(value)}'", hint),)


def _file_name_matches_id(file_name: str, article_id: str) -> Iterable[Problem]:
    """An annotation file not named after its article's ID."""
    if file_name == f"{article_id}.yaml":
        return NONE
    return (Problem(f"file name '{file_name}' does not match article id '{article_id}'",
                    f"rename the file to {article_id}.yaml"),)


# -- evidence --------------------------------------------------------------------------------------

def _quote_found(quote: str, text: str, found: Any, closest: Callable[[], str | None]) -> Iterable[Problem]:
    """A quote that is not in the text, or only as part of its letters (``found``: the quote resolved in it, a
    ``Resolved`` of builders.compile.evidence; ``closest`` finds a hint)."""
    if len(quote) > len(text):
        return (Problem(f"quote of {len(quote):,} characters is longer than the article text ({len(text):,}), "
                        f"so it cannot be in it: {clip(quote)!r}", "quote a passage of the text, copied verbatim"),)
    if found.problem is None and found.start is not None:
        return _whole_letters(quote, text, found.start, found.end)
    if found.problem != "missing":
        return NONE
    near = closest()
    alike = _look_alike(near, quote) if near else None
    if alike:
        near = alike[0]
    return (Problem(f"quote not found in the article text: {clip(quote)!r}",
                    (f"closest text: {near!r} (" if near else "copy it from the text (")
                    + (alike[1] if alike else "verbatim: curly quotes, diacritics and spaces matter") + ")"),)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def _whole_letters(quote: str, text: str, start: int, end: int) -> Iterable[Problem]:
    """A quote found at ``text[start:end]`` that begins or ends inside a letter: a combining mark of the text
    (the accent of a decomposed 'é') belongs to the letter before it, so 'cafe' in 'cafe\u0301' is not the
    text's word."""
    if not (end < len(text) and _is_mark(text[end])) and not (start > 0 and _is_mark(text[start])):
        return NONE
    while start > 0 and _is_mark(text[start]):
        start -= 1
    while end < len(text) and _is_mark(text[end]):
        end += 1
    return (Problem(f"quote {clip(quote)!r} cuts a letter of the text in two: the text has a combining mark "
                    "(an accent written after its letter) at its edge",
                    f"quote whole letters, accents included: {clip(text[start:end])!r}"),)


CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}
"""Names of the control characters a text holds, which unicodedata does not name."""


def _look_alike(passage: str, quote: str) -> tuple[str, str] | None:
    """The part of ``passage`` (of the text) that differs from ``quote`` only in characters that look alike
    (composed or decomposed letters, a no-break space, a line break the YAML folded into a space, CRLF, an
    invisible format character such as a zero-width joiner or a soft hyphen), and what tells them apart, which
    the hint's repr alone does not make plain; None when there is no such part."""
    def folded(s: str) -> str:
        visible = "".join(c for c in unicodedata.normalize("NFKC", s) if unicodedata.category(c) != "Cf")
        return " ".join(visible.split())

    target = folded(quote)
    if not target or target not in folded(passage):
        return None
    # The passage is widened to whole words: trim it to what looks like the quote (a few characters go).
    while len(passage) > 1 and target in folded(passage[1:]):
        passage = passage[1:]
    while len(passage) > 1 and target in folded(passage[:-1]):
        passage = passage[:-1]
    same = len(os.path.commonprefix([passage, quote]))
    # The first difference lies right after the common prefix: match a short stretch there, not whole quotes.
    ahead, behind = passage[same:same + 40], quote[same:same + 40]
    ops = difflib.SequenceMatcher(None, ahead, behind, autojunk=False).get_opcodes()
    _, i1, i2, j1, j2 = next((op for op in ops if op[0] != "equal"), ("equal", 0, 0, 0, 0))
    if i1 == i2 and j1 == j2:
        return None
    text_has, quote_has = ahead[i1:i2], behind[j1:j2]

    def named(s: str) -> str:
        return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, CONTROL_NAMES.get(c, ''))}".rstrip()
                         for c in s) or "nothing"

    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}" for c in text_has)
    how = f", or write these characters as escapes in a double-quoted value (\"{escaped}\")" if text_has else ""
    return passage, (f"it differs only in characters that look alike: the text has {named(text_has)} where the "
                     f"quote has {named(quote_has)}; copy the quote from the text{how}")


def _quote_unambiguous(quote: str, found: Any, occurrence: int | None,
                       occurrence_line: int | None) -> Iterable[Problem]:
    """A quote found several times without saying which (``occurrence``), or an occurrence it does not have
    (``found``: the quote resolved in the text, a ``Resolved`` of builders.compile.evidence)."""
    count = found.count
    if found.problem == "ambiguous":
        return (Problem(f"quote occurs {count} times: {clip(quote)!r}",
                        f"add 'occurrence: N' (1..{count}) or quote a longer, unique passage"),)
    # An occurrence below 1 fails the entry's schema (source_schema), which reports it.
    if found.problem == "occurrence" and occurrence is not None and occurrence >= 1:
        return (Problem(f"occurrence {occurrence} asked, but the quote occurs {count} time(s): {clip(quote)!r}",
                        f"use an occurrence between 1 and {count}", line=occurrence_line),)
    return NONE


def _office_words_at_mention(entry: Any, text: str, span: tuple[int, int]) -> Iterable[Problem]:
    """An actor mention's office_words that are neither in its quote nor end just before it (spaces between)."""
    words = entry.office_words
    if words is None or words in entry.quote or text[:span[0]].rstrip().endswith(words):
        return NONE
    before = text[max(0, span[0] - 60):span[0]]
    return (Problem(f"office_words {clip(words)!r} are neither in the quote {clip(entry.quote)!r} nor directly "
                    "before it",
                    f"copy the title verbatim from the text at the mention; it is preceded by: {before!r}"),)


# -- article-level facts ---------------------------------------------------------------------------

def _redistribution_has_basis(meta: Any) -> Iterable[Problem]:
    """An article block that says redistributable: true without a rights_basis."""
    if not meta.redistributable or (meta.rights_basis or "").strip():
        return NONE
    return (Problem("redistributable: true without a rights_basis",
                    "add rights_basis naming the licence notice or permission, or set redistributable: false"),)


def _open_suggestions(count: int) -> Iterable[Problem]:
    """A file with ``count`` suggestions not yet confirmed."""
    if not count:
        return NONE
    return (Problem(f"{count} suggestion(s) awaiting confirmation",
                    "confirm each by moving it to its table, or delete it"),)


def _source_defined(key: str, name: str, sources: Collection[str]) -> Iterable[Problem]:
    """A ``source:`` or ``via:`` (``key``) naming ``name``, which is not among the file's ``sources``."""
    if name in sources:
        return NONE
    known = clip(", ".join(sorted(sources)) or "none")
    if key == "via":
        return (Problem(f"via: '{clip(name)}' is not a source of this file",
                        f"name one of this file's sources ({known}), "
                        "or omit via when the article cites the source itself"),)
    return (Problem(f"source: '{clip(name)}' is not a source of this file",
                    f"add it under sources: (with the words that cite it), or name one of {known}"),)


def _source_chain_acyclic(chain: list[str], via: str) -> Iterable[Problem]:
    """A source relayed (``via``) by one already on its ``chain`` of relays."""
    if via not in chain:
        return NONE
    return (Problem("sources relay each other in a circle: " + " -> ".join([*chain, via]),
                    "the chain must end at a source the article cites itself (one without via)"),)


YAML_SYNTAX = SourceRule("yaml_syntax", Severity.error, "A file that does not parse cannot be trusted at all.",
                         _yaml_syntax)
SOURCE_SCHEMA = SourceRule(
    "source_schema", Severity.error, "Every field must have the type, format and allowed values the schema gives.",
    _source_schema,
)
TEXT_FILE_READABLE = SourceRule(
    "text_file_readable", Severity.error, "Offsets and hashes are only meaningful over an existing UTF-8 text.",
    _text_file_readable,
)
TEXT_NOT_EMPTY = SourceRule(
    "text_not_empty", Severity.error, "An article without text has no evidence for any fact about it.", _text_not_empty
)
TEXT_IN_CORPUS = SourceRule(
    "text_in_corpus", Severity.error,
    "A text is published with the dataset, so it must be a file of the corpus, not a link to any file elsewhere.",
    _text_in_corpus,
)
REGULAR_FILE = SourceRule(
    "regular_file", Severity.error,
    "Only a regular file has fixed bytes to read; a pipe or device can hang the build or change between reads.",
    _regular_file,
)
DUPLICATE_ID = SourceRule(
    "duplicate_id", Severity.error,
    "A registry ID or an article ID must name one thing, or every link to it becomes ambiguous.",
    _duplicate_id,
)
LOCAL_ID_UNIQUE = SourceRule(
    "local_id_unique", Severity.error,
    "Positions, demands, event relations and errata are published as '<article>/<id>', so two in one file with "
    "one id would be one row.",
    _local_id_unique,
)
MENTION_ANNOTATED_ONCE = SourceRule(
    "mention_annotated_once", Severity.error,
    "The same referent annotated twice at the same words would count one mention as two.",
    _mention_annotated_once,
)
PARTICIPANT_LISTED_ONCE = SourceRule(
    "participant_listed_once", Severity.error,
    "An actor listed twice among an event's participants would take part twice, perhaps in two roles.",
    _participant_listed_once,
)
UNKNOWN_REFERENCE = SourceRule(
    "unknown_reference", Severity.error, "A link to an ID that does not exist is a broken fact.", _unknown_reference
)
QUOTE_FOUND = SourceRule("quote_found", Severity.error, "No fact without verbatim evidence from its article.",
                         _quote_found)
QUOTE_UNAMBIGUOUS = SourceRule(
    "quote_unambiguous", Severity.error, "A quote that occurs twice must say which occurrence is meant.",
    _quote_unambiguous,
)
FILE_NAME_MATCHES_ID = SourceRule(
    "file_name_matches_id", Severity.error, "Annotation files are found by article ID, so the name must be <id>.yaml.",
    _file_name_matches_id,
)
TEXT_NOT_SHARED = SourceRule(
    "text_not_shared", Severity.error, "Two articles over the same text would double-count every fact.",
    _text_not_shared,
)
REDISTRIBUTION_HAS_BASIS = SourceRule(
    "redistribution_has_basis", Severity.error,
    "A text is published only when we may publish it, so redistributable: true must say on what basis.",
    _redistribution_has_basis,
)
SOURCE_DEFINED = SourceRule(
    "source_defined", Severity.error,
    "An attribution (source:) or a relay (via:) must name a source of the same file, or who asserts the fact is lost.",
    _source_defined,
)
SOURCE_CHAIN_ACYCLIC = SourceRule(
    "source_chain_acyclic", Severity.error,
    "A chain of sources must end at the article (FactBank's AUTHOR); sources relaying each other in a circle never do.",
    _source_chain_acyclic,
)
OPEN_SUGGESTIONS = SourceRule(
    "open_suggestions", Severity.warning, "Unconfirmed suggestions are not in the tables until an annotator confirms them.",
    _open_suggestions,
)
OFFICE_WORDS_AT_MENTION = SourceRule(
    "office_words_at_mention", Severity.error,
    "The office an article calls someone by is evidence like any quote: its words must be printed at the mention.",
    _office_words_at_mention,
)

SOURCE_RULES: tuple[SourceRule, ...] = (
    YAML_SYNTAX,
    SOURCE_SCHEMA,
    TEXT_FILE_READABLE,
    TEXT_NOT_EMPTY,
    TEXT_IN_CORPUS,
    REGULAR_FILE,
    DUPLICATE_ID,
    LOCAL_ID_UNIQUE,
    MENTION_ANNOTATED_ONCE,
    PARTICIPANT_LISTED_ONCE,
    UNKNOWN_REFERENCE,
    QUOTE_FOUND,
    QUOTE_UNAMBIGUOUS,
    FILE_NAME_MATCHES_ID,
    TEXT_NOT_SHARED,
    REDISTRIBUTION_HAS_BASIS,
    OPEN_SUGGESTIONS,
    OFFICE_WORDS_AT_MENTION,
    SOURCE_DEFINED,
    SOURCE_CHAIN_ACYCLIC,
)

RULES_BY_NAME: Mapping[str, SourceRule] = {r.name: r for r in SOURCE_RULES}
"""Each source rule by its name."""
