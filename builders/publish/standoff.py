"""The standoff variant of a dataset: every table as built, without the words of texts we may not publish.

An article whose text is not ``redistributable`` keeps its offsets and ``text_sha256``, but its ``text``
and the ``quote`` of every row pointing into it are null, and any other cell that repeats ``MIN_WORDS``
or more words of such a text in a row (in any case, with straight or curly quote marks: a headline used
as title, a note or summary quoting it) holds a visible reference ``⟦withheld: <article_id>[start:end]⟧``
in place of those words (``... as upper⟧`` and the like where the cell spells them unlike the text).
:func:`hydrate` puts everything back from the texts a user has, matched by the SHA-256 of their bytes, so the result
is the full build, byte for byte.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from diplonews.builders.assemble import finalize
from diplonews.errors import UserError
from diplonews.files import why_not_a_folder

MIN_WORDS = 8
"""A run of this many words (split at white space) of a withheld text, or more, is withheld wherever it
is repeated: eight words in a row are a sentence of someone else's text, fewer a name or a phrase."""

REFERENCE = re.compile(r"⟦withheld: ([a-z0-9][a-z0-9./-]*)\[(\d+):(\d+)\](?: as ([a-z+]+))?⟧")
_WORD = re.compile(r"\S+")
_CORE = re.compile(r"\W*(.*?)\W*", re.S)

EXTRA_FILES = ("CHANGELOG.md", "CITATION.cff")
"""Repository files shipped in every release archive, listed in its SHA256SUMS."""


_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"'})

SPELLINGS = {
    "straight": lambda w: w.translate(_QUOTES),
    "upper": str.upper,
    "lower": str.lower,
    "capital": lambda w: w[:1].upper() + w[1:],
    "straight+upper": lambda w: w.translate(_QUOTES).upper(),
    "straight+lower": lambda w: w.translate(_QUOTES).lower(),
    "straight+capital": lambda w: w[:1].upper() + w[1:].translate(_QUOTES),
}
"""How a reference may say the cell spelt the words it stands for, unlike the text (``⟦withheld: a[0:9] as
upper⟧``): hydrate spells them so again, and the cell comes back byte for byte."""


def word_key(word: str) -> str:
    """How a word of a cell is compared with the words of a withheld text: in any case and with straight or
    curly quote marks (The / the, Russia's / Russia’s), so a copied run cannot slip through by them."""
    return word.translate(_QUOTES).casefold()


def _reference(aid: str, start: int, end: int, spelling: str | None = None) -> str:
    return f"⟦withheld: {aid}[{start}:{end}]" + (f" as {spelling}" if spelling else "") + "⟧"


def _spelling(cell_words: str, text_words: str) -> str | None | bool:
    """None if ``cell_words`` are ``text_words`` as they are, the name of the spelling that turns the one into
    the other, or False when none does (a mixed case such as 'ReTuRn')."""
    if cell_words == text_words:
        return None
    return next((name for name, spell in SPELLINGS.items() if spell(text_words) == cell_words), False)


def _cores(text: str) -> list[tuple[int, int]]:
    """The span of each white-space-separated word of ``text`` without the punctuation around it, so a
    run quoted in a note (``"the city":``) is found where the text has ``the city,``."""
    spans = []
    for m in _WORD.finditer(text):
        core = _CORE.fullmatch(m.group())
        spans.append((m.start() + core.start(1), m.start() + core.end(1)))
    return spans


class _Withheld:
    """The withheld texts, indexed by every run of MIN_WORDS words, to find those runs in other cells."""

    def __init__(self, texts: dict[str, str]):
        self.texts = texts
        self.spans = {aid: _cores(text) for aid, text in texts.items()}
        self.words = {aid: [text[s:e] for s, e in self.spans[aid]] for aid, text in texts.items()}
        self.keys = {aid: [word_key(w) for w in words] for aid, words in self.words.items()}
        self.runs: dict[tuple[str, ...], tuple[str, int]] = {}
        for aid, keys in self.keys.items():
            for i in range(len(keys) - MIN_WORDS + 1):
                self.runs.setdefault(tuple(keys[i:i + MIN_WORDS]), (aid, i))

    def encode(self, cell: str) -> str:
        """``cell`` with every run of MIN_WORDS or more words of a withheld text replaced by references."""
        spans = _cores(cell)
        keys = [word_key(cell[s:e]) for s, e in spans]
        out, pos, i = [], 0, 0
        while i + MIN_WORDS <= len(keys):
            hit = self.runs.get(tuple(keys[i:i + MIN_WORDS]))
            if hit is None:
                i += 1
                continue
            aid, p = hit
            tkeys = self.keys[aid]
            n = MIN_WORDS
            while i + n < len(keys) and p + n < len(tkeys) and keys[i + n] == tkeys[p + n]:
                n += 1
            out += [cell[pos:spans[i][0]], self._references(cell, spans[i:i + n], aid, self.spans[aid][p:p + n])]
            pos, i = spans[i + n - 1][1], i + n
        return "".join(out) + cell[pos:]

    def _references(self, cell: str, cspans: list[tuple[int, int]], aid: str, tspans: list[tuple[int, int]]) -> str:
        start, end = tspans[0][0], tspans[-1][1]
        whole = _spelling(cell[cspans[0][0]:cspans[-1][1]], self.texts[aid][start:end])
        if whole is not False:
            return _reference(aid, start, end, whole)
        # The same words with other white space or punctuation between them, or spelt otherwise word by word
        # (Title Case): one reference per word keeps what lies between as the cell has it, each saying how the
        # cell spells its word, so hydrate gives back the cell exactly. Only a word no spelling gives (mixed
        # case) stays as the cell has it: the run is broken there.
        parts = []
        for k, ((cs, ce), (ts, te)) in enumerate(zip(cspans, tspans)):
            spelling = _spelling(cell[cs:ce], self.texts[aid][ts:te])
            word = cell[cs:ce] if spelling is False or te == ts else _reference(aid, ts, te, spelling)
            parts += [cell[cspans[k - 1][1]:cs] if k else "", word]
        return "".join(parts)


def _string_columns(table: pa.Table) -> list[str]:
    return [f.name for f in table.schema if pa.types.is_string(f.type)]


def withhold(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The standoff form of the built ``tables``: see the module docstring."""
    articles = tables["articles"]
    rows = articles.select(["article_id", "text", "redistributable"]).to_pylist()
    texts = {r["article_id"]: r["text"] for r in rows if not r["redistributable"] and r["text"] is not None}
    index = _Withheld(texts)
    out = {}
    for name, table in tables.items():
        for col in _string_columns(table):
            if pc.any(pc.match_substring(table[col], "⟦withheld: ")).as_py():
                # hydrate would read it as a reference and change it
                raise UserError(f"{name}.{col} already holds the text '⟦withheld: ', which the standoff "
                                "release uses to mark withheld words", "reword that cell of the sources")
            aids = table["article_id"].to_pylist() if "article_id" in table.schema.names else None
            values = []
            for k, value in enumerate(table[col].to_pylist()):
                if value is not None and aids is not None and aids[k] in texts and col in ("text", "quote"):
                    value = None  # restored from the offsets and the text's hash
                elif value is not None and col != "text":
                    value = index.encode(value)
                values.append(value)
            table = table.set_column(table.schema.get_field_index(col), table.schema.field(col),
                                     pa.array(values, pa.string()))
        out[name] = finalize(name, table)
    return out


def hydrate(tables: dict[str, pa.Table], texts: dict[str, str]) -> dict[str, pa.Table]:
    """``tables`` of a standoff dataset with the texts of ``texts`` (``{article_id: text}``, each already
    matched by hash) put back: the text, the quotes from their offsets, the references in other cells."""
    out = {}
    for name, table in tables.items():
        for col in _string_columns(table):
            aids = table["article_id"].to_pylist() if "article_id" in table.schema.names else None
            values = table[col].to_pylist()
            if name == "articles" and col == "text":
                values = [texts.get(a, v) for a, v in zip(aids, values)]
            elif col == "quote" and aids is not None:
                starts, ends = table["span_start"].to_pylist(), table["span_end"].to_pylist()
                values = [texts[a][s:e] if v is None and a in texts else v
                          for a, v, s, e in zip(aids, values, starts, ends)]
            else:
                values = [_restore(v, texts) for v in values]
            table = table.set_column(table.schema.get_field_index(col), table.schema.field(col),
                                     pa.array(values, pa.string()))
        out[name] = finalize(name, table)
    return out


def _restore(cell: str | None, texts: dict[str, str]) -> str | None:
    if cell is None or "⟦" not in cell:
        return cell
    return REFERENCE.sub(lambda m: SPELLINGS.get(m[4], str)(texts[m[1]][int(m[2]):int(m[3])]) if m[1] in texts
                         else m[0], cell)


def match_texts(folder: Path, tables: dict[str, pa.Table]) -> dict[str, str]:
    """``{article_id: text}`` for the files under ``folder``, each matched to an article whose text is
    withheld by the SHA-256 of its bytes. A file that matches no article is refused, naming the closest."""
    from diplonews.files import sha256_file

    files = sorted(p for p in Path(folder).rglob("*") if p.is_file())
    if not files:
        raise UserError(f"no files in {folder}", "give the folder holding the texts you have")
    rows = tables["articles"].select(["article_id", "text", "text_sha256", "text_file"]).to_pylist()
    withheld = {r["text_sha256"]: r for r in rows if r["text"] is None}
    present = {r["text_sha256"] for r in rows if r["text"] is not None}
    found: dict[str, str] = {}
    for path in files:
        digest = sha256_file(path)
        if digest in withheld:
            found[withheld[digest]["article_id"]] = path.read_bytes().decode("utf-8")
        elif digest not in present:  # a text the dataset already holds needs nothing
            raise UserError(f"{path} matches no article's text (its SHA-256 is {digest})",
                            _closest(path, list(withheld.values()), tables))
    return found


def _closest(path: Path, candidates: list[dict], tables: dict[str, pa.Table]) -> str:
    """The withheld article the file most likely was meant to be: the same file name, else the closest
    length to the end of the article's last annotated span (all a standoff dataset knows of its length)."""
    if not candidates:
        return "this dataset withholds no text"
    last: dict[str, int] = {}
    from diplonews.schema import EVIDENCE_TABLES

    for name in EVIDENCE_TABLES:
        for aid, end in zip(tables[name]["article_id"].to_pylist(), tables[name]["span_end"].to_pylist()):
            last[aid] = max(last.get(aid, 0), end)
    try:
        length = len(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        length = path.stat().st_size
    best = min(candidates, key=lambda r: (r["text_file"] != path.name, abs(length - last.get(r["article_id"], 0))))
    return (f"closest: article {best['article_id']} (text_file {best['text_file']}), whose text has SHA-256 "
            f"{best['text_sha256']}; a text must be that file byte for byte, not edited or re-encoded")


def read_tables(folder: Path) -> dict[str, pa.Table]:
    """Every table of the dataset in ``folder``, from its Parquet files, in its published form (a sharded
    table's parts joined, rows by primary key: as its single file would hold them)."""
    from diplonews.builders.write.shards import read_table
    from diplonews.validators.engines import table_paths

    return {name: read_table(name, paths) for name, paths in table_paths(Path(folder)).items()}


def write_dataset(tables: dict[str, pa.Table], folder: Path, extras: Path | None, shards: int = 1) -> None:
    """Write ``tables`` as a complete dataset folder, as the build does (files, descriptors, card,
    pictures; ``shards`` as in the build), with the release's extra files copied from ``extras`` and
    SHA256SUMS over them all."""
    from diplonews.builders.publish.descriptors import describe
    from diplonews.builders.write.tables import write_tables
    from diplonews.files import FileHashes

    write_tables(tables, folder, {}, folder, shards=shards)
    describe(tables, folder, FileHashes(folder))
    add_extras(folder, extras)


def add_extras(folder: Path, extras: Path | None) -> None:
    """Copy the release's extra files (CHANGELOG.md, CITATION.cff) from ``extras`` where it has them, and
    list every file in SHA256SUMS."""
    import shutil

    from diplonews.builders.publish.package import sha256sums

    for name in EXTRA_FILES:
        if extras is not None and (extras / name).is_file():
            shutil.copyfile(extras / name, folder / name)
    (folder / "SHA256SUMS").write_text(sha256sums(folder), encoding="utf-8")



def hydrate_folder(standoff: Path, texts: Path, out: Path) -> list[str]:
    """Write to ``out`` the dataset in ``standoff`` with the texts found under ``texts`` put back; returns
    the IDs of the articles whose text is still withheld (none supplied). ``out`` must not exist yet;
    it is written beside itself and renamed into place only once its tables pass every rule, so a
    refused or failed hydration leaves nothing behind."""
    import shutil
    import tempfile

    from diplonews.builders.write.shards import shards_in
    from diplonews.validators.dataset import validate_dataset

    standoff, out = Path(standoff), Path(out)
    if not (standoff / "datapackage.json").is_file():
        raise UserError(f"{standoff} is not a dataset folder (no datapackage.json)",
                        "give the folder of an unpacked standoff release")
    if out.exists():
        raise UserError(f"{out} already exists", "give --out a new folder")
    why = why_not_a_folder(out)  # else found only once the tables are read and the texts matched
    if why:
        raise UserError(f"--out {out} {why}; nothing was written", "give --out a new folder")
    if out.resolve().is_relative_to(standoff.resolve()):
        # files added to a dataset folder damage it: SHA256SUMS no longer lists them all
        raise UserError(f"--out {out} is inside the standoff dataset {standoff}; nothing was written",
                        "give --out a new folder outside it")
    if not Path(texts).is_dir():
        raise UserError(f"{texts} is not a folder", "give --texts the folder holding the texts you have")
    try:
        tables = read_tables(standoff)
    except (OSError, pa.ArrowInvalid) as exc:
        raise UserError(f"cannot read the tables of {standoff}: {exc}", "download or unpack the release again")
    found = match_texts(Path(texts), tables)
    full = hydrate(tables, found)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        write_dataset(full, tmp / "dataset", standoff, shards_in(standoff))  # laid out as the standoff was
        report = validate_dataset(tmp / "dataset")
        if not report.ok:
            raise UserError("the hydrated tables fail validation:\n" + report.render(limit=20))
        (tmp / "dataset").rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return sorted(r["article_id"] for r in full["articles"].select(["article_id", "text"]).to_pylist()
                  if r["text"] is None)
