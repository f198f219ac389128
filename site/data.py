"""The dataset as the site sees it: rows by table, lookups by key, links and labels.

Everything generic here is driven by the table models of :mod:`diplonews.schema`: columns come
from the models' fields, links from their foreign keys, so a new column or a new table referencing
an actor, event, article or topic shows up in the site without template edits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote as urlquote

from markupsafe import Markup, escape

from diplonews.api import connect
from diplonews.schema import CODEBOOK_TABLES, EVIDENCE_TABLES, TABLES, TABLES_BY_NAME

ENTITY_TABLES: tuple[str, ...] = ("articles", "actors", "events", "topics")
"""Tables with one page per row, in a folder named after the table."""

LABEL_COLUMNS = {"articles": "title", "actors": "name", "topics": "label", "event_types": "label"}
"""The column that names a row of these tables in links (else its key)."""

LAYERS = {table: table.removesuffix("_mentions").removesuffix("s") for table in EVIDENCE_TABLES} | {
    "attribution_sources": "source",  # the words citing a source ("Peskov stated"); letter S
    "event_relations": "relation", "errata": "erratum"}
"""Evidence table -> highlight layer (actor_mentions -> actor, positions -> position, errata -> erratum, ...)."""


@dataclass(frozen=True)
class Part:
    """A piece of a sentence describing a row: text, and the page it links to (site-relative)."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, an optional site-relative link, and a CSS class."""

    text: str
    href: str | None = None
    cls: str = ""


@dataclass
class Dataset:
    """Rows of every table the dataset describes, keyed lookups and span anchors."""

    rows: dict[str, list[dict]]
    by_key: dict[str, dict[str, dict]] = field(default_factory=dict)
    anchors: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, primary key) -> anchor id
    _grouped: dict[tuple[str, str], dict[object, list[dict]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, rows in self.rows.items():
            pk = TABLES_BY_NAME[name].primary_key
            if len(pk) == 1:
                self.by_key[name] = {row[pk[0]]: row for row in rows}
        for article_id, spans in sorted(self.spans_by_article().items()):
            taken: set[str] = set()
            for table, row in spans:
                key = pk_value(table, row)
                local = key.removeprefix(f"{article_id}/")
                anchor = f"{LAYERS[table]}-" + re.sub(r"[^A-Za-z0-9_-]+", "-", local).strip("-")
                unique, n = anchor, 1
                while unique in taken:  # two keys that differ only in punctuation
                    n += 1
                    unique = f"{anchor}-{n}"
                taken.add(unique)
                self.anchors[table, key] = unique

    def spans_by_article(self) -> dict[str, list[tuple[str, dict]]]:
        """Every evidence row by article, in table order then primary-key order."""
        out: dict[str, list[tuple[str, dict]]] = {}
        for table in EVIDENCE_TABLES:
            for row in self.rows.get(table, []):
                out.setdefault(row["article_id"], []).append((table, row))
        return out

    def rows_by(self, table: str, column: str, value: object) -> list[dict]:
        """Rows of ``table`` whose ``column`` equals ``value`` (grouped once per column, so pages of
        a large corpus do not each scan the table)."""
        if (table, column) not in self._grouped:
            groups: dict[object, list[dict]] = {}
            for row in self.rows.get(table, []):
                groups.setdefault(row[column], []).append(row)
            self._grouped[table, column] = groups
        return self._grouped[table, column].get(value, [])

    def get(self, table: str, key: str | None) -> dict | None:
        """The row of ``table`` with primary key ``key``, or None."""
        return self.by_key.get(table, {}).get(key) if key is not None else None

    def label(self, table: str, key: str) -> str:
        """How a row is named in a link: its label column when it has one, else its key."""
        row = self.get(table, key)
        column = LABEL_COLUMNS.get(table)
        return str(row[column]) if row is not None and column and row.get(column) else key

    def evidence_href(self, table: str, row: dict) -> str:
        """Link to the highlighted words of an evidence row in its article."""
        return f"{page('articles', row['article_id'])}#{self.anchors[table, pk_value(table, row)]}"


def load(dataset: Path) -> Dataset:
    """Read every table the dataset's ``datapackage.json`` describes, rows sorted (evidence by article
    and offsets, the rest by primary key)."""
    con = connect(dataset)
    present = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    rows: dict[str, list[dict]] = {}
    for model in TABLES:
        if model.table_name not in present:
            continue
        # Evidence in reading order (article, then offsets); everything else by primary key.
        spans = ("article_id", "span_start", "span_end") if "span_start" in model.model_fields else ()
        keys = spans + model.primary_key
        order = ", ".join(f'"{c}"' for c in keys)
        cursor = con.execute(f'SELECT * FROM "{model.table_name}" ORDER BY {order}')
        names = [d[0] for d in cursor.description]
        rows[model.table_name] = [dict(zip(names, values)) for values in cursor.fetchall()]
    con.close()
    return Dataset(rows)


def pk_value(table: str, row: dict) -> str:
    """The primary key of a row as one string (parts joined by '/')."""
    return "/".join(str(row[c]) for c in TABLES_BY_NAME[table].primary_key)


def page(table: str, key: str) -> str:
    """Site-relative path of the page of an entity row."""
    return f"{table}/{urlquote(key, safe='')}.html"


def row_anchor(table: str, key: str) -> str:
    """Anchor id of the codebook row of ``table`` with primary key ``key``, on the codebook page."""
    return f"{table}-" + re.sub(r"[^A-Za-z0-9_-]+", "-", key)


def href_for(table: str, key: str) -> str | None:
    """Where a reference to ``table``'s row ``key`` links: its page, its codebook row, or nowhere."""
    if table in ENTITY_TABLES:
        return page(table, key)
    if table in CODEBOOK_TABLES:
        return f"codebook.html#{row_anchor(table, key)}"
    return None


def columns(table: str, hide: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(name, description) of the table's columns, from its model, minus ``hide``."""
    fields = TABLES_BY_NAME[table].model_fields
    return [(name, f.description or "") for name, f in fields.items() if name not in hide]


def fmt(value: object) -> str:
    """A cell value as text: dates in ISO 8601, nulls as an em dash."""
    if value is None:
        return "—"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def cells(data: Dataset, table: str, row: dict, names: list[str]) -> list[Cell]:
    """The cells of ``row`` for the columns ``names``: references link to their pages, a quote to its
    place in the article."""
    links = {fk.fields[0]: fk.table for fk in TABLES_BY_NAME[table].foreign_keys if len(fk.fields) == 1}
    out = []
    for name in names:
        value = row.get(name)
        if value is None:
            out.append(Cell("—", cls="null"))
        elif name in links:
            out.append(Cell(data.label(links[name], value), href_for(links[name], value), "ref"))
        elif name == "quote" and table in LAYERS:
            out.append(Cell(value, data.evidence_href(table, row), "quote"))
        else:
            out.append(Cell(fmt(value), cls="num" if isinstance(value, (int, float)) else ""))
    return out


def describe(data: Dataset, table: str, row: dict) -> list[Part]:
    """What an evidence row says, in words with links: who is mentioned, which event and its reported
    status, whose stance on what, who demands what of whom."""
    def ref(ref_table: str, key: str | None) -> Part:
        return Part(data.label(ref_table, key), href_for(ref_table, key)) if key else Part("—")

    if table == "actor_mentions":
        actor = data.get("actors", row["actor_id"]) or {}
        parts = [ref("actors", row["actor_id"]), Part(f" ({actor.get('actor_type', 'unknown actor')})")]
        # Offices held on the article's (latest possible) publication date.
        day = (data.get("articles", row["article_id"]) or {}).get("published_date_latest")
        offices = [f"{r['role']}, {data.label('actors', r['organization_actor_id'])}"
                   + (f" ({r['role_state']})" if r["role_state"] != "held" else "")
                   for r in data.rows_by("actor_roles", "actor_id", row["actor_id"])
                   if day and (r["start_date"] is None or r["start_date"] <= day)
                   and (r["end_date"] is None or day <= r["end_date"])]
        return parts + ([Part(" — " + "; ".join(offices))] if offices else [])
    if table == "event_mentions":
        event = data.get("events", row["event_id"]) or {}
        parts = [Part(event.get("summary") or row["event_id"], href_for("events", row["event_id"])),
                 Part(f" — reported {row['reported_status']}")]
        if row.get("date_expression"):
            parts.append(Part(f" ({row['date_expression']})"))
        return parts
    if table == "positions":
        parts = [ref("actors", row["actor_id"]), Part(f": {row['stance']}")]
        if row.get("topic_id"):
            parts += [Part(" on "), ref("topics", row["topic_id"])]
        if row.get("target_actor_id"):
            parts += [Part(" towards "), ref("actors", row["target_actor_id"])]
        if row.get("holds_from") or row.get("holds_until"):
            parts.append(Part(f" (held {fmt(row.get('holds_from'))} to {fmt(row.get('holds_until'))})"))
        return parts + _codes(data, row)
    if table == "demands":
        addressees = [r["actor_id"] for r in sorted(data.rows_by("demand_addressees", "demand_id", row["demand_id"]),
                                                    key=lambda r: r["addressee_seq"])] or [row["addressee_actor_id"]]
        to = [part for n, a in enumerate(addressees) for part in ([Part(", ")] if n else []) + [ref("actors", a)]]
        return [ref("actors", row["claimant_actor_id"]), Part(" → "), *to,
                Part(f" → {row['action']}"), Part(" (on "), ref("topics", row["topic_id"]), Part(")"),
                *_codes(data, row)]
    if table == "event_relations":
        return [ref("events", row["source_event_id"]), Part(f" {row['relation_type'].replace('_', ' ')} "),
                ref("events", row["target_event_id"])]
    if table == "errata":
        return [Part(f"source error ({row['erratum_kind'].replace('_', ' ')}): {row['what_is_wrong']} "
                     f"Correction: {row['correction']}")]
    return [Part(pk_value(table, row))]


def _codes(data: Dataset, row: dict) -> list[Part]:
    """A position's or demand's verbal-interaction codes: CAMEO code and label, PLOVER type, linked to the
    codebook."""
    if not row.get("cameo_code"):
        return []
    label = (data.get("cameo_codes", row["cameo_code"]) or {}).get("label") or ""
    parts = [Part(" — CAMEO "), Part(f"{row['cameo_code']} {label}".strip(), href_for("cameo_codes", row["cameo_code"]))]
    if row.get("plover_type"):
        parts += [Part(", PLOVER "), Part(row["plover_type"], href_for("plover_types", row["plover_type"]))]
    return parts


def plain(parts: list[Part]) -> str:
    """A description as plain text (for tooltips and the search index)."""
    return "".join(p.text for p in parts)


# HTML of links, cells and descriptions, in Python rather than template macros: a large corpus has
# millions of cells, and a macro call costs ten times a function call. Markup's % escapes every value.
def link_html(text: str, href: str | None, root: str) -> Markup:
    """``text`` escaped, as a link to the site-relative ``href`` from a page ``root`` away from the top."""
    return Markup('<a href="%s%s">%s</a>') % (root, href, text) if href else escape(text)


def cell_html(cell: Cell, root: str) -> Markup:
    """A cell's content; a quote is isolated for bidirectional text (an RTL quote stays in place)."""
    if cell.cls == "quote":
        return Markup('<a href="%s%s"><bdi>%s</bdi></a>') % (root, cell.href, cell.text)
    return link_html(cell.text, cell.href, root)


def parts_html(parts: list[Part], root: str) -> Markup:
    """A description's parts, linked."""
    return Markup("").join(link_html(p.text, p.href, root) for p in parts)
