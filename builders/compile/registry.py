"""Compiling the registries (actors, events, topics) into table rows, one file at a time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from diplonews.builders.compile.common import CompilerBase, item_line, key_line
from diplonews.schema.annotation import ActorRegistry, EventEntry, EventRegistry, TopicRegistry
from diplonews.schema.enums import DatePrecision
from diplonews.validators.findings import Finding
from diplonews.validators.source_rules import (
    PARTICIPANT_LISTED_ONCE,
    REGULAR_FILE,
    SOURCE_SCHEMA,
    YAML_SYNTAX,
)

REGISTRIES: dict[str, type] = {"topics": TopicRegistry, "actors": ActorRegistry, "events": EventRegistry}
"""Registry kinds, in the order they are compiled, and the model of one file of each."""

REGISTRY_OUTPUTS: dict[str, tuple[str, ...]] = {
    "topics": ("topics",),
    "actors": ("actors", "actor_aliases", "actor_roles"),
    "events": ("events", "event_participants"),
}
"""The tables each registry's files alone decide (given the code, which keys the whole cache)."""

LOAD_RULES = frozenset({YAML_SYNTAX.name, SOURCE_SCHEMA.name, REGULAR_FILE.name})
"""Rules whose finding on a registry file means the file was not loaded at all (none of its IDs are known)."""

REGISTRY_TABLES = tuple(t for tables in REGISTRY_OUTPUTS.values() for t in tables)
"""Tables whose rows come from the registries."""


def registry_files(seeds: Path) -> list[tuple[str, Path]]:
    """(kind, path) of every registry file: <kind>.yaml, then <kind>-*.yaml (a large registry
    may be split so that its parts parse in parallel)."""
    reg = seeds / "registry"
    out = []
    for kind in REGISTRIES:
        parts = sorted(reg.glob(f"{kind}-*.yaml"))
        main = reg / f"{kind}.yaml"
        # lexists: a main file that is a FIFO or a broken link is compiled, so that it is reported.
        out += [(kind, path) for path in ([main] if os.path.lexists(main) or not parts else []) + parts]
    return out


def event_duration(e: EventEntry) -> int | None:
    """How many days the event lasted: as written, else, when its dates are its own days (precision day,
    both dates known), the length of that window; else unknown (None)."""
    if e.duration_days is not None:
        return e.duration_days
    if (e.date_precision is DatePrecision.day and e.date_start is not None and e.date_end is not None
            and e.date_end >= e.date_start):  # a reversed window is event_date_order's finding, not a length
        return (e.date_end - e.date_start).days + 1
    return None


@dataclass
class RegistryResult:
    """One registry file compiled on its own: its rows as Arrow tables, (ID, line) pairs and references
    to check later."""

    kind: str
    file: str
    tables: dict[str, pa.Table] = field(default_factory=dict)
    ids: list[tuple[str, int | None]] = field(default_factory=list)
    refs: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class RegistryCompiler(CompilerBase):
    """Compiles registry files; references between them are checked once all are merged."""

    refs: list[tuple[str, str, str, int | None]]

    def registry_files(self) -> list[tuple[str, Path]]:
        """(kind, path) of every registry file of these seeds; see :func:`registry_files`."""
        return registry_files(self.seeds)

    def merge_registries(self, results: list[RegistryResult]) -> None:
        """Add the registry files' rows in file order; check IDs and references across files."""
        ids: dict[str, list[tuple[str, str, int | None]]] = {kind: [] for kind in REGISTRIES}
        refs: list[tuple[str, str, str, int | None]] = []
        for res in results:
            self.report.findings.extend(res.findings)
            for name, table in res.tables.items():
                self.parts.setdefault(name, []).append(table)
            ids[res.kind] += [(value, res.file, line) for value, line in res.ids]
            refs += res.refs
        # A registry file that did not load is reported once; checking references to its kind of ID
        # would report every one of them as unknown (hundreds of findings hiding the one that matters).
        self.unread_kinds = frozenset(res.kind.removesuffix("s") for res in results
                                      if any(f.rule in LOAD_RULES for f in res.findings))
        for kind, table in (("topics", "topic"), ("actors", "actor"), ("events", "event")):
            self.unique(table, ids[kind])
        self.topic_ids = {v for v, _, _ in ids["topics"]}
        self.actor_ids = {v for v, _, _ in ids["actors"]}
        self.event_ids = {v for v, _, _ in ids["events"]}
        # References between registry entries (a parent, a role's organisation, a participant) may
        # point into another file, so they are checked once every file is in.
        for kind, value, file, line in refs:
            self.check_ref(kind, value, self.actor_ids, file, line)

    def compile_registry_file(self, kind: str, path: Path) -> RegistryResult:
        """Compile one registry file on its own: rows, IDs and references to check after the merge."""
        marks = {t: len(self.rows[t]) for t in REGISTRY_TABLES}
        mark = len(self.report.findings)
        result = RegistryResult(kind, self.rel(path))
        self.refs = result.refs
        loaded = self.load(path, REGISTRIES[kind])
        if loaded is not None:
            model, data = loaded
            entries = getattr(model, kind)
            result.ids = [(e.id, item_line(data, kind, i)) for i, e in enumerate(entries)]
            if kind == "topics":
                self.rows["topics"] += [
                    {"topic_id": t.id, "label": t.label, "description": t.description} for t in entries
                ]
            elif kind == "actors":
                self.compile_actors(model, data, result.file)
            else:
                self.compile_events(model, data, result.file)
        from diplonews.builders.assemble import to_arrow

        for t in REGISTRY_TABLES:
            result.tables[t] = to_arrow(t, self.rows[t][marks[t]:])
            del self.rows[t][marks[t]:]
        result.findings = self.report.findings[mark:]
        del self.report.findings[mark:]
        return result

    def compile_actors(self, model: ActorRegistry, data: Any, file: str) -> None:
        lines = [item_line(data, "actors", i) for i in range(len(model.actors))]
        for i, a in enumerate(model.actors):
            raw = data["actors"][i]
            if a.parent is not None:
                self.refs.append(("actor", a.parent, file, key_line(raw, "parent", lines[i])))
            self.rows["actors"].append(
                {
                    "actor_id": a.id, "name": a.name, "actor_type": a.type.value, "country_code": a.country,
                    "wikidata_id": a.wikidata, "parent_actor_id": a.parent, "note": a.note,
                }
            )
            for alias in dict.fromkeys(a.aliases):
                self.rows["actor_aliases"].append({"actor_id": a.id, "alias": alias})
            seq: dict[tuple[str, str], int] = {}
            for role in sorted(a.roles, key=lambda r: (r.role, r.organization, r.start or date.min)):
                self.refs.append(("actor", role.organization, file, key_line(raw, "roles", lines[i])))
                n = seq[(role.role, role.organization)] = seq.get((role.role, role.organization), 0) + 1
                self.rows["actor_roles"].append(
                    {
                        "actor_id": a.id, "role": role.role, "organization_actor_id": role.organization,
                        "role_seq": n, "start_date": role.start, "end_date": role.end, "source": role.source,
                        "role_state": role.state.value,
                    }
                )

    def compile_events(self, model: EventRegistry, data: Any, file: str) -> None:
        lines = [item_line(data, "events", i) for i in range(len(model.events))]
        types = {t["event_type"]: t for t in self.rows["event_types"]}
        for i, e in enumerate(model.events):
            raw = data["events"][i]
            known_type = self.check_ref("event type", e.type, set(types), file, key_line(raw, "type", lines[i]))
            default = types.get(e.type, {}) if known_type else {}
            self.rows["events"].append(
                {
                    "event_id": e.id, "event_type": e.type, "status": e.status.value,
                    "date_start": e.date_start, "date_end": e.date_end,
                    "date_precision": e.date_precision.value if e.date_precision else None,
                    "duration_days": event_duration(e),
                    "date_open": e.date_open.value if e.date_open else None,
                    "date_basis": e.date_basis.value, "date_note": e.date_note, "location": e.location,
                    "country_code": e.country, "summary": e.summary,
                    "cameo_code": e.cameo or default.get("cameo_code"),
                    "plover_type": e.plover or default.get("plover_type"),
                }
            )
            seen: set[str] = set()
            for j, p in enumerate(e.participants):
                pline = raw["participants"].item_lines[j] if "participants" in raw else lines[i]
                self.refs.append(("actor", p.actor, file, pline))
                if p.actor in seen:
                    self.find(PARTICIPANT_LISTED_ONCE, f"actor '{p.actor}' listed twice in event '{e.id}'", file, pline,
                              "list each participant once")
                    continue
                seen.add(p.actor)
                self.rows["event_participants"].append(
                    {"event_id": e.id, "actor_id": p.actor, "participant_role": p.role.value, "capacity": p.capacity}
                )
