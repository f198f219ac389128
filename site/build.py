"""Write the static evidence browser: one page per article, event, actor and topic, paged indexes,
the codebook, an offline search index, styles and scripts. Output is deterministic: rows are
sorted, nothing depends on the clock or the machine, so two builds are byte-identical."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from diplonews.builders.publish.event_dates import first_day, last_day, own_days
from diplonews.builders.write.output import discard, output_lock, restore, staging_folder, swap_in
from diplonews.errors import UserError
from diplonews.files import why_not_a_folder
from diplonews.metadata import DATASET_TITLE, DATASET_VERSION
from diplonews.schema import CODEBOOK_TABLES, EVIDENCE_TABLES, TABLES, TABLES_BY_NAME

from . import highlight, search
from .data import (
    ENTITY_TABLES,
    LAYERS,
    Dataset,
    cell_html,
    cells,
    columns,
    describe,
    fmt,
    href_for,
    link_html,
    load,
    page,
    parts_html,
    pk_value,
    plain,
    row_anchor,
)

HERE = Path(__file__).resolve().parent
MARKER = ".diplonews-site"
PAGE_SIZE = 500
"""Rows per index page; large corpora get index pages of this many rows."""
MAX_ROWS = 200
"""Rows shown per related-rows section, and mentions per event page, so that the page of a
much-mentioned actor or event stays small (the tables hold them all; the page says so)."""


class SiteError(UserError):
    """The site cannot be written where asked (the message says why and what to do); the command line
    prints it as it prints every user error."""


@dataclass(frozen=True)
class SiteResult:
    """What a site build wrote."""

    out: Path
    pages: int
    files: int
    total_bytes: int
    largest: tuple[str, int]


@dataclass
class Section:
    """A generic table of related rows, columns from the table model."""

    title: str
    note: str
    table: str
    layer: str | None
    columns: list[tuple[str, str]]
    rows: list[dict]  # {"cells": the row's cells, "what": its description (evidence), "key": its anchor}
    total: int


class _Writer:
    """Renders pages into the output folder, counting them and collecting search entries."""

    def __init__(self, out: Path, env: Environment, data: Dataset) -> None:
        self.out, self.env, self.data = out, env, data
        self.pages = 0
        self.search: list[list[str]] = []

    def page(self, rel: str, template: str, **context) -> None:
        depth = rel.count("/")
        html = self.env.get_template(template).render(
            root="../" * depth, title_suffix=DATASET_TITLE, version=DATASET_VERSION, **context)
        self.write(rel, html)
        self.pages += 1

    def write(self, rel: str, text: str) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["fmt"] = fmt
    env.filters["event_dates"] = event_dates
    env.filters["link"] = link_html
    env.filters["cell"] = cell_html
    env.filters["parts"] = parts_html
    env.globals["page"] = page
    return env


def is_site(folder: Path) -> bool:
    """Whether ``folder`` is a site ``diplonews site`` wrote (it holds the marker file)."""
    return (folder / MARKER).is_file()


def _check_output(out: Path) -> None:
    """Refuse, before anything is touched, an ``out`` that is neither new, empty nor a previous site."""
    why = why_not_a_folder(out)
    if why:
        raise SiteError(f"--out {out} {why}; nothing was written",
                        "give --out a folder for the site: new, empty or a previous site")
    if out.is_dir() and any(out.iterdir()) and not is_site(out):
        raise SiteError(f"{out} is not empty and holds no diplonews site ({MARKER} is missing); "
                        "give a new or empty folder with --out")


def section(data: Dataset, table: str, rows: list[dict], hide: tuple[str, ...], title: str, note: str = "",
            ids: bool = False) -> Section:
    """A related-rows table of ``table``: its model's columns minus ``hide``; evidence rows also say
    what they mean and, with ``ids``, carry anchors the article page's pop-ups read."""
    layer = LAYERS.get(table)
    if layer:  # an evidence row's key is its article, offsets and referent, all shown beside it
        hide = (*hide, *TABLES_BY_NAME[table].primary_key)
    cols = columns(table, hide)
    names = [c for c, _ in cols]
    out = []
    for row in rows[:MAX_ROWS]:
        item = {"cells": cells(data, table, row, names), "what": None, "key": None}
        if layer:
            item["what"] = describe(data, table, row)
            item["key"] = data.anchors[table, pk_value(table, row)] if ids else None
        out.append(item)
    return Section(title, note, table, layer, cols, out, len(rows))


def _referencing(data: Dataset, target: str, key: str, skip: tuple[str, ...] = ()) -> list[Section]:
    """Every row of every table whose foreign key points at ``target``'s row ``key``, one section per
    (table, column): schema-driven, so a new referencing table or column appears by itself."""
    out = []
    for model in TABLES:
        if model.table_name in skip:
            continue
        for fk in model.foreign_keys:
            if fk.table != target or len(fk.fields) != 1:
                continue
            column = fk.fields[0]
            rows = data.rows_by(model.table_name, column, key)
            if rows:
                # A column named like the key it references says nothing the table's docstring
                # does not; a role column (claimant_actor_id) says which part this entity plays.
                own = column != fk.ref_fields[0]
                note = (model.model_fields[column].description if own else model.__doc__) or ""
                title = model.table_name.replace("_", " ") + (f" ({column})" if own else "")
                out.append(section(data, model.table_name, rows, (column,), title, note))
    return out


def _fields(data: Dataset, table: str, row: dict, hide: tuple[str, ...] = ()) -> list[tuple[str, str, object]]:
    """(column, description, cell) for one row shown as a definition list, from the table model."""
    cols = columns(table, hide)
    return [(name, desc, cell) for (name, desc), cell in zip(cols, cells(data, table, row, [c for c, _ in cols]))]


_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n")


WITHHELD = "(text withheld)"
"""What stands for the words of a text a standoff release does not carry."""


def _withheld(article: dict) -> Markup:
    """In place of a text a standoff release withholds: why, and how to see it."""
    return Markup("<p class=\"withheld\">%s</p>") % (
        f"The text of this article is withheld: its rights ({article.get('rights') or 'unknown'}, licence "
        f"{article.get('text_license') or 'unknown'}) do not let us redistribute it. With a copy of the text, "
        "'diplonews hydrate' restores it and every quote, checked by its SHA-256; then build this site again.")


def sentence(text: str, start: int, end: int, reach: int = 400) -> tuple[str, str, str]:
    """The words before and after ``text[start:end]`` up to the sentence boundaries (at most ``reach``
    characters each way, marked with an ellipsis when cut)."""
    lo = max(0, start - reach)
    before = text[lo:start]
    cuts = list(_BOUNDARY.finditer(before))
    if cuts:
        before = before[cuts[-1].end():]
    elif lo > 0:
        before = "…" + before
    hi = min(len(text), end + reach)
    after = text[end:hi]
    cut = _BOUNDARY.search(after)
    if cut:
        after = after[:cut.start()]
    elif hi < len(text):
        after += "…"
    return before, text[start:end], after


def _chunks(rows: list, size: int) -> list[list]:
    return [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]


def _paged(writer: _Writer, folder: str, template: str, rows: list, size: int, **context) -> None:
    """Index pages of ``size`` rows: folder/index.html, folder/page-2.html, ..."""
    chunks = _chunks(rows, size)
    names = ["index.html"] + [f"page-{n}.html" for n in range(2, len(chunks) + 1)]
    for n, chunk in enumerate(chunks):
        pager = {"current": n + 1, "pages": [(i + 1, f"{folder}/{name}") for i, name in enumerate(names)],
                 "total": len(rows), "first": n * size + 1, "last": n * size + len(chunk)}
        writer.page(f"{folder}/{names[n]}", template, rows=chunk, pager=pager, heading=folder.capitalize(),
                    table_id=folder, **context)


def _article_pages(writer: _Writer, by_article: dict) -> None:
    data = writer.data
    for article in data.rows["articles"]:
        aid = article["article_id"]
        evidence = by_article.get(aid, [])
        spans = [highlight.Span(row["span_start"], row["span_end"], LAYERS[table],
                                data.anchors[table, pk_value(table, row)],
                                f"{LAYERS[table]}: {plain(describe(data, table, row))}")
                 for table, row in evidence]
        layers = []
        for table in EVIDENCE_TABLES:
            rows = [row for t, row in evidence if t == table]
            layers.append(section(data, table, rows, ("article_id",), table.replace("_", " "),
                                  TABLES_BY_NAME[table].__doc__ or "", ids=True))
        writer.page(page("articles", aid), "article.html", article=article, layers=layers,
                    text=highlight.render(article["text"], spans) if article["text"] is not None else
                    _withheld(article),
                    fields=_fields(data, "articles", article, ("text",)))
        writer.search.append(["article", article["title"] or aid, page("articles", aid)])


def event_dates(e: dict) -> str:
    """An event's dates in words: its own days, or the window it lies in, with how long it lasted."""
    start, end = e["date_start"], e["date_end"]
    if start is None and end is None:
        return "undated"
    if own_days(e):
        days = f"{fmt(start)}" if start == end else f"{fmt(start)} to {fmt(end)}"
    elif start is None:
        days = f"on or before {fmt(end)}"
    elif end is None:
        days = f"from {fmt(start)}" if e["date_precision"] == "day" else f"on or after {fmt(start)}"
    else:
        days = f"some time in {fmt(start)} to {fmt(end)}"
    n = e.get("duration_days")
    return days + (f" ({n} day{'s' if n != 1 else ''})" if n and not (start == end and n == 1) else "")


def _timeline(data: Dataset, actor_id: str, events: list[dict]) -> dict | None:
    """Rows of a small SVG timeline: the actor's dated events and the offices held meanwhile. An event is
    drawn over its window; an open side runs to the edge."""
    dated = [e for e in events if first_day(e) is not None]
    if not dated:
        return None
    lo = min(first_day(e) for e in dated) - timedelta(days=10)
    hi = max(last_day(e) for e in dated) + timedelta(days=10)
    width, left = 640.0, 10.0

    def x(day: date) -> float:
        day = min(max(day, lo), hi)
        return round(left + (day - lo).days / (hi - lo).days * (width - 2 * left), 1)

    bars = []
    for role in data.rows_by("actor_roles", "actor_id", actor_id):
        if (role["end_date"] is None or role["end_date"] >= lo) and (
                role["start_date"] is None or role["start_date"] <= hi):
            label = f"{role['role']}, {data.label('actors', role['organization_actor_id'])}" + (
                f" ({role['role_state']})" if role["role_state"] != "held" else "")
            bars.append({"x1": x(role["start_date"] or lo), "x2": x(role["end_date"] or hi), "label": label,
                         "href": href_for("actors", role["organization_actor_id"])})
    # One mark per position on the axis: an actor in thousands of events gets a bounded drawing,
    # each mark naming its first event and how many more share its place.
    marks: dict[tuple[float, float], dict] = {}
    for e in dated:
        at = (x(e["date_start"] or lo), x(e["date_end"] or hi))
        if at in marks:
            marks[at]["more"] += 1
            continue
        # Exact: the dates are the event's own days; otherwise the mark is a window the event lies in.
        exact = own_days(e)
        marks[at] = {"x1": at[0], "x2": at[1], "more": 0, "status": e["status"], "exact": exact,
                     "href": page("events", e["event_id"]),
                     "label": f"{event_dates(e)} {e['event_type']} ({e['status']}): {e['summary']}"}
    for mark in marks.values():
        if mark["more"]:
            mark["label"] += f" (and {mark['more']} more event{'s' if mark['more'] > 1 else ''} here)"
    return {"width": width, "height": 30 + 18 * len(bars) + 24, "lo": lo.isoformat(), "hi": hi.isoformat(),
            "bars": bars, "marks": list(marks.values()), "axis_y": 18 * len(bars) + 20}


def _actor_pages(writer: _Writer) -> None:
    data = writer.data
    for actor in data.rows["actors"]:
        aid = actor["actor_id"]
        taking_part = data.rows_by("event_participants", "actor_id", aid)
        events = sorted((data.get("events", p["event_id"]) for p in taking_part),
                        key=lambda e: (first_day(e) or date.max, e["event_id"]))
        writer.page(page("actors", aid), "actor.html", actor=actor, fields=_fields(data, "actors", actor),
                    timeline=_timeline(data, aid, events), related=_referencing(data, "actors", aid))
        aliases = [a["alias"] for a in data.rows_by("actor_aliases", "actor_id", aid)]
        writer.search.append(["actor", " · ".join([actor["name"], *aliases]), page("actors", aid)])


def _event_pages(writer: _Writer) -> None:
    data = writer.data
    for event in data.rows["events"]:
        eid = event["event_id"]
        mentions = sorted(data.rows_by("event_mentions", "event_id", eid), key=lambda m: (
            data.get("articles", m["article_id"])["published_date_latest"] or date.max,
            m["article_id"], m["span_start"], m["span_end"]))
        sources: list[dict] = []  # one per reporting article, earliest first, its mentions in text order
        for m in mentions[:MAX_ROWS]:
            article = data.get("articles", m["article_id"])
            if not sources or sources[-1]["article"] is not article:
                sources.append({"article": article, "href": page("articles", article["article_id"]), "reports": []})
            sources[-1]["reports"].append({
                "row": m, "href": data.evidence_href("event_mentions", m),
                "sentence": (sentence(article["text"], m["span_start"], m["span_end"]) if article["text"] is not None
                             else ("", WITHHELD, "")),
                "differs": m["reported_status"] != event["status"]})
        for source in sources:
            source["statuses"] = sorted({r["row"]["reported_status"] for r in source["reports"]})
            source["dates"] = sorted({r["row"]["date_expression"] for r in source["reports"]
                                      if r["row"]["date_expression"]})
        statuses = Counter(m["reported_status"] for m in mentions)
        dates = Counter(m["date_expression"] for m in mentions if m["date_expression"])
        etype = data.get("event_types", event["event_type"]) or {}
        cameo = data.get("cameo_codes", event["cameo_code"]) or {}
        plover = data.get("plover_types", event["plover_type"]) or {}
        writer.page(page("events", eid), "event.html", event=event, sources=sources, mentions=len(mentions),
                    articles=len({m["article_id"] for m in mentions}), max_rows=MAX_ROWS,
                    statuses=sorted(statuses.items()), dates=sorted(dates.items()),
                    hrefs={c: href_for(t, event[c]) for c, t in (("event_type", "event_types"),
                           ("cameo_code", "cameo_codes"), ("plover_type", "plover_types")) if event[c]},
                    etype=etype, cameo=cameo, plover=plover, fields=_fields(data, "events", event),
                    related=_referencing(data, "events", eid, skip=("event_mentions",)))
        writer.search.append(["event", f"{event['summary']} ({eid})", page("events", eid)])


def _topic_pages(writer: _Writer) -> None:
    data = writer.data
    for topic in data.rows.get("topics", []):
        tid = topic["topic_id"]
        writer.page(page("topics", tid), "topic.html", topic=topic, fields=_fields(data, "topics", topic),
                    related=_referencing(data, "topics", tid))
        writer.search.append(["topic", topic["label"], page("topics", tid)])


def _indexes(writer: _Writer, by_article: dict, size: int) -> None:
    data = writer.data
    articles = sorted(data.rows["articles"], key=lambda a: (a["published_date_latest"] or date.max, a["article_id"]))
    counts = {a["article_id"]: Counter(LAYERS[t] for t, _ in by_article.get(a["article_id"], [])) for a in articles}
    _paged(writer, "articles", "articles.html", [(a, counts[a["article_id"]]) for a in articles], size,
           layers=list(LAYERS.values()))
    events = sorted(data.rows["events"], key=lambda e: (first_day(e) or date.max, e["event_id"]))
    reported = [len({m["article_id"] for m in data.rows_by("event_mentions", "event_id", e["event_id"])})
                for e in events]
    _paged(writer, "events", "events.html", list(zip(events, reported)), size,
           types=sorted({e["event_type"] for e in events}), statuses=sorted({e["status"] for e in events}))
    mentioned = Counter(m["actor_id"] for m in data.rows.get("actor_mentions", []))
    actors = sorted(data.rows["actors"], key=lambda a: (a["name"].casefold(), a["actor_id"]))
    _paged(writer, "actors", "actors.html", [(a, mentioned[a["actor_id"]]) for a in actors], size)
    on_topic = Counter(r["topic_id"] for t in ("positions", "demands") for r in data.rows.get(t, []))
    topics = sorted(data.rows.get("topics", []), key=lambda t: (t["label"].casefold(), t["topic_id"]))
    _paged(writer, "topics", "topics.html", [(t, on_topic[t["topic_id"]]) for t in topics], size)


def _codebook(writer: _Writer) -> None:
    data = writer.data
    tables = []
    for name in CODEBOOK_TABLES:
        cols = columns(name)
        rows = [{"id": row_anchor(name, pk_value(name, r)), "cells": cells(data, name, r, [c for c, _ in cols])}
                for r in data.rows.get(name, [])]
        tables.append({"name": name, "doc": TABLES_BY_NAME[name].__doc__, "columns": cols, "rows": rows})
    writer.page("codebook.html", "codebook.html", tables=tables)


def _quotes_to_search(writer: _Writer) -> None:
    data = writer.data
    for table in EVIDENCE_TABLES:
        for row in data.rows.get(table, []):
            if row["quote"] is None:
                continue  # withheld with its text (a standoff release)
            writer.search.append([f"{LAYERS[table]} quote", row["quote"], data.evidence_href(table, row),
                                  plain(describe(data, table, row))])


FIGURE_TABLES = ("events", "actors", "event_participants", "demands")
"""The tables the card's figures are drawn from."""


def _linked_figures(dataset: Path) -> list[tuple[str, Markup]]:
    """The dataset card's figures redrawn with every event and actor mark linking to its page, as
    inline SVG (a picture in an ``<img>`` cannot link), keyed by the card's file name."""
    from diplonews.builders.publish.figures import figures
    from diplonews.builders.write.shards import read_table
    from diplonews.validators.engines import table_paths

    paths = table_paths(dataset)
    if not all(Path(p).is_file() for name in FIGURE_TABLES for p in paths[name]):
        return []  # a dataset without these tables (partial) gets no figures
    tables = {name: read_table(name, paths[name]) for name in FIGURE_TABLES}
    drawn = figures(tables, link=lambda table, key: page(table, key))
    # The XML declaration-free SVG text is ours (escaped when drawn), so it is inserted as markup.
    return [(Path(path).name, Markup(figure.svg)) for path, figure in sorted(drawn.items())]


def build_site(dataset: str | Path, out: str | Path, page_size: int = PAGE_SIZE) -> SiteResult:
    """Generate the static site for the built dataset in ``dataset`` into ``out``.

    ``out`` must be new, empty or a previous site (it holds a ``.diplonews-site`` marker); it is
    replaced as a whole. Index pages list ``page_size`` rows each (1 or more, else a :class:`SiteError`
    before anything is written).
    """
    if page_size < 1:  # no row would fit on a page: range() fails at 0, a negative size lists nothing
        raise SiteError(f"page size {page_size} is too small: an index page lists at least one row",
                        f"give --page-size a whole number of 1 or more (default: {PAGE_SIZE})")
    dataset, out = Path(dataset), Path(out).resolve()
    data = load(dataset)
    _check_output(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside ``out`` and swapped in whole, as a build swaps in a dataset: a killed or failed run
    # leaves the previous site as it was, and two runs at once take turns.
    with output_lock(out):
        restore(out, is_ours=is_site)
        with staging_folder(out) as staging:
            pages = _write_site(dataset, data, staging, page_size)
            swapped = swap_in(staging, out)
        discard(swapped.previous)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in files}
    largest = max(sizes.items(), key=lambda kv: (kv[1], kv[0]))
    return SiteResult(out, pages, len(files), sum(sizes.values()), largest)


def _write_site(dataset: Path, data: Dataset, out: Path, page_size: int) -> int:
    """Write every page and asset of the site into the empty folder ``out``; the number of pages."""
    (out / MARKER).write_text("a diplonews site; `diplonews site` replaces this folder as a whole\n")
    writer = _Writer(out, _environment(), data)
    by_article = data.spans_by_article()
    _article_pages(writer, by_article)
    _event_pages(writer)
    _actor_pages(writer)
    _topic_pages(writer)
    _indexes(writer, by_article, page_size)
    _codebook(writer)
    _quotes_to_search(writer)
    figures = _linked_figures(dataset)
    counts = [(m.table_name, len(data.rows.get(m.table_name, []))) for m in TABLES]
    writer.page("index.html", "home.html", counts=counts, figures=figures,
                entity_tables=ENTITY_TABLES, codebook_tables=CODEBOOK_TABLES)
    writer.page("search.html", "search.html", stopwords=" ".join(sorted(search.STOPWORDS)))
    search.write_index(writer.search, out / "search")
    shutil.copytree(HERE / "static", out / "assets")
    return writer.pages
