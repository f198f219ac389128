"""The dataset card's pictures, written as plain SVG text from the built tables.

Hand-written SVG rather than a plotting library: the output is byte-deterministic by
construction (no timestamps, ids or hash salts to pin), and the build stays fast.
Every mark has a ``<title>`` so the pictures double as tooltips in a browser. Given ``link`` (table and
key to a URL), each event and actor mark is also a link: the evidence browser draws them so, inline.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Callable
from xml.sax.saxutils import escape

import pyarrow as pa
import pyarrow.compute as pc

from diplonews.builders.publish.event_dates import first_day, last_day, own_days
from diplonews.schema.enums import ActorType, EventStatus

STATUS_COLOURS = {
    "occurred": "#1b7837",
    "ongoing": "#5aae61",
    "planned": "#2166ac",
    "proposed": "#67a9cf",
    "speculated": "#b2abd2",
    "denied": "#b2182b",
    "hypothetical": "#d8daeb",
    "denied_for_period": "#f4a582",
}
TYPE_COLOURS = {
    "person": "#e08214",
    "state": "#2166ac",
    "government": "#67a9cf",
    "igo": "#762a83",
    "organization": "#8c510a",
    "media": "#878787",
    "armed_group": "#b2182b",
    "group": "#d6604d",
    "anonymous_source": "#bababa",
}
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


@dataclass(frozen=True)
class Figure:
    """An SVG picture and the facts its caption states (counts are checked against the tables)."""

    svg: str
    counts: dict[str, int]


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT} font-size="12">'
    )
    return "\n".join([head, f"<title>{escape(title)}</title>", '<rect width="100%" height="100%" fill="white"/>',
                      *body, "</svg>"]) + "\n"


Link = Callable[[str, str], str]
"""Where the mark of a row links: ``link(table, key)`` gives its URL."""


def _linked(mark: str, link: Link | None, table: str, key: str) -> str:
    """``mark`` inside an SVG link to the row's page when there is ``link``, else as it is."""
    if link is None:
        return mark
    return f'<a href="{escape(link(table, key), {chr(34): "&quot;"})}">{mark}</a>'


def _f(x: float) -> str:
    """Coordinates with one decimal: enough for a picture, stable as text."""
    return f"{x:.1f}"


# --- timeline -----------------------------------------------------------------------------------

class _TimeScale:
    """Dates -> x. When the events span several years, the last year gets most of the width
    (news concentrates there) and earlier years share the rest."""

    def __init__(self, first: date, last: date, x0: float, x1: float):
        self.first, self.x0, self.x1 = date(first.year, 1, 1), x0, x1
        self.focus = date(last.year, 1, 1)
        self.end = date(last.year + 1, 1, 1)
        self.split = x0 if self.first == self.focus else x0 + 0.3 * (x1 - x0)

    def __call__(self, d: date) -> float:
        if d < self.focus:
            span = (self.focus - self.first).days
            return self.x0 + (self.split - self.x0) * (d - self.first).days / span
        return self.split + (self.x1 - self.split) * (d - self.focus).days / (self.end - self.focus).days

    def ticks(self) -> list[tuple[date, str]]:
        years = [(date(y, 1, 1), str(y)) for y in range(self.first.year, self.focus.year)]
        months = [(date(self.focus.year, m, 1), date(self.focus.year, m, 1).strftime("%b %Y" if m == 1 else "%b"))
                  for m in range(1, 13)]
        return years + months


MAX_EVENT_MARKS = 300
"""Above this many dated events the timeline shows monthly counts, not one mark per event."""

MAX_NETWORK_ACTORS = 40
"""The network shows at most this many actors: the most connected ones."""

COLUMNS = {
    "events": ["event_id", "status", "date_start", "date_end", "date_precision", "duration_days", "date_open",
               "summary"],
    "actors": ["actor_id", "name", "actor_type", "country_code"],
}
"""The columns drawn, per table: only these (of the few rows drawn) become Python objects."""


def _window(e: dict) -> str:
    """An event's dates for a tooltip: its window, precision and how long it lasted."""
    start = e["date_start"].isoformat() if e["date_start"] else "open"
    end = e["date_end"].isoformat() if e["date_end"] else "open"
    lasted = f"lasted {e['duration_days']} day{'s' if e['duration_days'] != 1 else ''}" if e["duration_days"] \
        else "length unknown"
    return f"{start} to {end}, {e['date_precision'] or 'no precision'}, {lasted}"


def timeline(table: pa.Table, link: Link | None = None) -> Figure:
    """Events by date (x) and status (lane). An event whose dates are its own days (precision day) is a
    solid bar over them; a window the event lies somewhere in is a dashed bar; an open side runs to the edge.

    A large corpus gets one mark per status and month, sized by the number of events, so the
    picture stays readable and small (and is counted by DuckDB, not in Python)."""
    n_dated = pc.sum(pc.or_(pc.is_valid(table["date_start"]), pc.is_valid(table["date_end"]))).as_py() or 0
    if n_dated > MAX_EVENT_MARKS:
        return _monthly_timeline(table, n_dated, table.num_rows - n_dated)
    events = table.select(COLUMNS["events"]).to_pylist()
    dated = sorted((e for e in events if first_day(e) is not None), key=lambda e: (first_day(e), e["event_id"]))
    statuses = [s.value for s in EventStatus]
    left, right, top, lane_gap, row_h = 110, 1060, 40, 14, 11
    if dated:
        scale = _TimeScale(min(first_day(e) for e in dated), max(last_day(e) for e in dated), left, right)
    body: list[str] = []
    y = top
    lane_rows: dict[str, list[list[dict]]] = {}
    for status in statuses:
        # Greedy packing into sub-rows so that marks in one lane never overlap.
        rows: list[list[tuple[float, dict]]] = []
        for e in (e for e in dated if e["status"] == status):
            x_start = scale(e["date_start"]) if e["date_start"] else left
            x_end = scale(e["date_end"]) if e["date_end"] else right
            for row in rows:
                if row[-1][0] + 8 < x_start:
                    row.append((max(x_end, x_start), e))
                    break
            else:
                rows.append([(max(x_end, x_start), e)])
        lane_rows[status] = [[e for _, e in row] for row in rows]
    height = top + sum(max(1, len(r)) * row_h + lane_gap for r in lane_rows.values()) + 40
    for status in statuses:
        rows = lane_rows[status]
        lane_h = max(1, len(rows)) * row_h
        n = sum(len(r) for r in rows)
        body.append(f'<text x="{left - 8}" y="{_f(y + lane_h / 2 + 4)}" text-anchor="end">{status} ({n})</text>')
        body.append(f'<line x1="{left}" x2="{right}" y1="{_f(y + lane_h / 2)}" y2="{_f(y + lane_h / 2)}" '
                    'stroke="#eeeeee"/>')
        colour = STATUS_COLOURS[status]
        for i, row in enumerate(rows):
            cy = y + i * row_h + row_h / 2
            for e in row:
                x_start = scale(e["date_start"]) if e["date_start"] else left
                x_end = scale(e["date_end"]) if e["date_end"] else right
                tip = escape(f"{e['event_id']} ({_window(e)}): {e['summary']}")
                # Solid: the event's own days; dashed: a window it lies somewhere in, or an open side.
                dash = "" if own_days(e) else ' stroke-dasharray="3,2"'
                mark = (f'<line x1="{_f(x_start)}" x2="{_f(x_end)}" y1="{_f(cy)}" y2="{_f(cy)}" stroke="{colour}" '
                        f'stroke-width="4" stroke-opacity="0.6"{dash}/>' if x_end - x_start >= 2 else "")
                x_dot = scale(first_day(e))
                body.append(_linked(f'<g class="event">{mark}<circle cx="{_f(x_dot)}" cy="{_f(cy)}" r="4" '
                                    f'fill="{colour}"><title>{tip}</title></circle></g>', link, "events", e["event_id"]))
        y += lane_h + lane_gap
    axis_y = y + 4
    body.append(f'<line x1="{left}" x2="{right}" y1="{_f(axis_y)}" y2="{_f(axis_y)}" stroke="#333333"/>')
    if dated:
        for d, label in scale.ticks():
            x = scale(d)
            body.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(top - 6)}" y2="{_f(axis_y + 4)}" '
                        'stroke="#dddddd" stroke-dasharray="2,3"/>')
            body.append(f'<text x="{_f(x + 2)}" y="{_f(axis_y + 16)}" font-size="10">{escape(label)}</text>')
        if scale.split > left:
            body.append(f'<text x="{_f(scale.split)}" y="{_f(axis_y + 30)}" font-size="10" text-anchor="middle" '
                        f'fill="#666666">scale changes here: {scale.focus.year} is stretched</text>')
    undated = len(events) - len(dated)
    title = (f"Events by date and status: {len(dated)} dated events ({undated} undated not shown); solid: the "
             "days an event lasted, dashed: a window it lies in")
    body.insert(0, f'<text x="{left}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>')
    return Figure(_svg(right + 30, int(height), title, body), {"dated_events": len(dated), "undated_events": undated})


def _monthly_timeline(events: pa.Table, n_dated: int, undated: int) -> Figure:
    statuses = [s.value for s in EventStatus]
    rows = _sql({"events": events}, """
        SELECT status::VARCHAR, date_trunc('month', coalesce(date_start, date_end))::DATE, count(*) FROM events
        WHERE coalesce(date_start, date_end) IS NOT NULL GROUP BY ALL""")
    counts = {(status, month): n for status, month, n in rows}
    (first,), = _sql({"events": events}, "SELECT min(coalesce(date_start, date_end)) FROM events")
    left, right, top, lane_h = 110, 1060, 40, 34
    scale = _TimeScale(first, max(m for _, m in counts), left, right)
    biggest = max(counts.values())
    body: list[str] = []
    for i, status in enumerate(statuses):
        y = top + i * lane_h + lane_h / 2
        n = sum(c for (st, _), c in counts.items() if st == status)
        body.append(f'<text x="{left - 8}" y="{_f(y + 4)}" text-anchor="end">{status} ({n})</text>')
        body.append(f'<line x1="{left}" x2="{right}" y1="{_f(y)}" y2="{_f(y)}" stroke="#eeeeee"/>')
        for (st, month), c in sorted(counts.items()):
            if st == status:
                r = 1.5 + 13 * math.sqrt(c / biggest)
                tip = escape(f"{c} {status} event(s) starting in {month:%Y-%m}")
                body.append(f'<circle class="month" cx="{_f(scale(month))}" cy="{_f(y)}" r="{_f(r)}" '
                            f'fill="{STATUS_COLOURS[status]}" fill-opacity="0.7"><title>{tip}</title></circle>')
    axis_y = top + len(statuses) * lane_h + 4
    body.append(f'<line x1="{left}" x2="{right}" y1="{_f(axis_y)}" y2="{_f(axis_y)}" stroke="#333333"/>')
    for d, label in scale.ticks():
        body.append(f'<text x="{_f(scale(d) + 2)}" y="{_f(axis_y + 16)}" font-size="10">{escape(label)}</text>')
    title = (f"Events by month and status: {n_dated} dated events, one mark per month sized by count "
             f"({undated} undated not shown)")
    body.insert(0, f'<text x="{left}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>')
    return Figure(_svg(right + 30, axis_y + 40, title, body), {"dated_events": n_dated, "undated_events": undated})


# --- network ------------------------------------------------------------------------------------

def _sql(tables: dict[str, pa.Table], query: str, params: dict | None = None) -> list[tuple]:
    """Rows of a DuckDB query over Arrow tables (registered under their names, not copied)."""
    import duckdb

    with duckdb.connect() as con:
        for name, table in tables.items():
            con.register(name, table)
        return con.execute(query, params).fetchall()


LINKS = """
WITH p AS (SELECT DISTINCT event_id::VARCHAR AS event_id, actor_id::VARCHAR AS actor_id FROM participants),
shared AS (
    SELECT a.actor_id AS a, b.actor_id AS b, count(*) AS n FROM p a JOIN p b
    ON a.event_id = b.event_id AND a.actor_id < b.actor_id GROUP BY ALL),
demanded AS (
    SELECT claimant_actor_id::VARCHAR AS a, addressee_actor_id::VARCHAR AS b, count(*) AS n FROM demands GROUP BY ALL),
degree AS (
    SELECT actor, sum(n) AS n FROM (
        SELECT a AS actor, n FROM shared UNION ALL SELECT b, n FROM shared
        UNION ALL SELECT a, n FROM demanded UNION ALL SELECT b, n FROM demanded) GROUP BY actor),
shown AS (SELECT actor, n FROM degree ORDER BY n DESC, actor LIMIT $max)
SELECT 'actor', actor, NULL, n, (SELECT count(*) FROM degree) FROM shown
UNION ALL SELECT 'shared', a, b, n, NULL FROM shared
    WHERE a IN (SELECT actor FROM shown) AND b IN (SELECT actor FROM shown)
UNION ALL SELECT 'demand', a, b, n, NULL FROM demanded
    WHERE a IN (SELECT actor FROM shown) AND b IN (SELECT actor FROM shown)
"""
"""Links between actors: undirected pairs in the same event, directed claimant -> addressee pairs of
demands, each with how often it occurs; and each actor's degree (the sum over its links), for the
MAX_NETWORK_ACTORS most connected actors and the links among them."""


def network(actors: pa.Table, participants: pa.Table, demands: pa.Table, link: Link | None = None) -> Figure:
    """Actors on a circle (grouped by country), grey lines for shared events, red arrows for demands."""
    rows = _sql({"participants": participants, "demands": demands}, LINKS, {"max": MAX_NETWORK_ACTORS})
    degree = Counter({a: n for kind, a, _, n, _ in rows if kind == "actor"})
    n_linked = next((total for kind, *_, total in rows if kind == "actor"), 0)
    shared = Counter({(a, b): n for kind, a, b, n, _ in rows if kind == "shared"})
    demanded = Counter({(a, b): n for kind, a, b, n, _ in rows if kind == "demand"})
    linked = set(degree)
    drawn = actors.filter(pc.is_in(actors["actor_id"], pa.array(sorted(linked), pa.string())))
    by_id = {a["actor_id"]: a for a in drawn.select(COLUMNS["actors"]).to_pylist()}
    nodes = sorted(linked, key=lambda a: (by_id[a]["country_code"] or "~", by_id[a]["actor_type"], a))
    size, cx, cy, radius = 1000, 500.0, 520.0, 330.0
    pos = {}
    for i, a in enumerate(nodes):
        angle = 2 * math.pi * i / max(1, len(nodes)) - math.pi / 2
        pos[a] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)
    body = ['<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" '
            'markerWidth="10" markerHeight="10" orient="auto-start-reverse">'
            '<path d="M 0 0 L 10 5 L 0 10 z" fill="#b2182b"/></marker></defs>']
    for (a, b), n in sorted(shared.items()):
        (x1, y1, _), (x2, y2, _) = pos[a], pos[b]
        tip = escape(f"{by_id[a]['name']} and {by_id[b]['name']}: {n} shared event(s)")
        body.append(f'<line class="shared" x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" stroke="#999999" '
                    f'stroke-opacity="0.5" stroke-width="{_f(min(6.0, 0.8 + 0.8 * n))}"><title>{tip}</title></line>')
    for (a, b), n in sorted(demanded.items()):
        (x1, y1, _), (x2, y2, _) = pos[a], pos[b]
        # Bend the arrow so that a demand and its reverse stay apart; stop short of the node.
        mx, my = (x1 + x2) / 2 + (cx - (x1 + x2) / 2) * 0.25, (y1 + y2) / 2 + (cy - (y1 + y2) / 2) * 0.25
        dx, dy = x2 - mx, y2 - my
        d = math.hypot(dx, dy) or 1.0
        ex, ey = x2 - dx / d * 9, y2 - dy / d * 9
        tip = escape(f"{by_id[a]['name']} demands of {by_id[b]['name']}: {n} demand(s)")
        body.append(f'<path class="demand" d="M {_f(x1)} {_f(y1)} Q {_f(mx)} {_f(my)} {_f(ex)} {_f(ey)}" fill="none" '
                    f'stroke="#b2182b" stroke-width="{_f(min(5.0, 1.0 + 0.7 * n))}" marker-end="url(#arrow)">'
                    f'<title>{tip}</title></path>')
    for a in nodes:
        x, y, angle = pos[a]
        actor = by_id[a]
        r = 4 + min(8.0, math.sqrt(degree[a]) * 1.5)
        colour = TYPE_COLOURS[actor["actor_type"]]
        tip = escape(f"{actor['name']} ({actor['actor_type']}, {actor['country_code'] or 'no country'}): "
                     f"{degree[a]} link(s)")
        lx, ly = cx + (radius + r + 6) * math.cos(angle), cy + (radius + r + 6) * math.sin(angle)
        anchor = "start" if math.cos(angle) >= 0 else "end"
        deg = math.degrees(angle) if math.cos(angle) >= 0 else math.degrees(angle) + 180
        marks = (f'<circle class="actor" cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" fill="{colour}" stroke="white">'
                 f'<title>{tip}</title></circle>\n'
                 f'<text x="{_f(lx)}" y="{_f(ly)}" text-anchor="{anchor}" dominant-baseline="middle" '
                 f'font-size="10" transform="rotate({_f(deg)} {_f(lx)} {_f(ly)})">{escape(actor["name"])}</text>')
        body.append(_linked(marks, link, "actors", a))
    legend_y = 40
    for t in ActorType:
        if any(by_id[a]["actor_type"] == t.value for a in nodes):
            body.append(f'<circle cx="20" cy="{legend_y}" r="5" fill="{TYPE_COLOURS[t.value]}"/>'
                        f'<text x="30" y="{legend_y + 4}" font-size="11">{t.value}</text>')
            legend_y += 16
    body.append(f'<line x1="14" x2="34" y1="{legend_y}" y2="{legend_y}" stroke="#999999" stroke-width="2"/>'
                f'<text x="40" y="{legend_y + 4}" font-size="11">in the same event</text>')
    body.append(f'<line x1="14" x2="34" y1="{legend_y + 16}" y2="{legend_y + 16}" stroke="#b2182b" '
                f'stroke-width="2" marker-end="url(#arrow)"/><text x="40" y="{legend_y + 20}" font-size="11">'
                'demands of</text>')
    shown = f"the {len(nodes)} most connected of {n_linked} actors" if n_linked > len(nodes) else \
        f"{len(nodes)} actors"
    title = (f"Actors linked by events and demands: {shown}, {len(shared)} pairs in shared events, "
             f"{len(demanded)} claimant-addressee pairs")
    body.insert(0, f'<text x="14" y="20" font-size="14" font-weight="bold">{escape(title)}</text>')
    counts = {"actors": len(nodes), "shared_pairs": len(shared), "demand_pairs": len(demanded)}
    return Figure(_svg(size, size + 40, title, body), counts)


def figures(tables: dict[str, pa.Table], link: Link | None = None) -> dict[str, Figure]:
    """Every figure of the card, keyed by its path in the dataset folder, from the built tables; with
    ``link``, each event and actor mark links to the URL it gives (the evidence browser's pages)."""
    return {
        "figures/timeline.svg": timeline(tables["events"], link),
        "figures/network.svg": network(tables["actors"], tables["event_participants"], tables["demands"], link),
    }

