"""Compiling the registries (actors, events, topics) into table rows, one file at a time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from diplonews.builders.compile.codebook import codebook_rows, plover_of
from diplonews.builders.compile.common import FileOutput, RegistryIndex, id_kind, item_line, key_line
from diplonews.builders.sources.yamlsource import SourceFileError, load_source
from diplonews.schema.annotation import ActorRegistry, EventEntry, EventRegistry, TopicRegistry
from diplonews.schema.enums import DatePrecision
from diplonews.schema.fields import alias_key
from diplonews.validators.findings import Finding
from diplonews.validators.source_rules import (
    DUPLICATE_ID,
    PARTICIPANT_LISTED_ONCE,
    REGULAR_FILE,
    SOURCE_SCHEMA,
    UNKNOWN_REFERENCE,
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


@dataclass
class MergedRegistries:
    """The registry files merged: the index of their IDs, their rows as Arrow tables, and the findings of
    the files and of the checks across them, in file order."""

    index: RegistryIndex
    parts: dict[str, list[pa.Table]]
    findings: list[Finding]


def merge_registries(results: list[RegistryResult]) -> MergedRegistries:
    """The registry files' results merged in file order, with IDs and references checked across files."""
    ids: dict[str, list[tuple[str, str, int | None]]] = {kind: [] for kind in REGISTRIES}
    refs: list[tuple[str, str, str, int | None]] = []
    parts: dict[str, list[pa.Table]] = {}
    findings: list[Finding] = []
    for res in results:
        findings += res.findings
        for name, table in res.tables.items():
            parts.setdefault(name, []).append(table)
        ids[res.kind] += [(value, res.file, line) for value, line in res.ids]
        refs += res.refs
    # A registry file that did not load is reported once; checking references to its kind of ID
    # would report every one of them as unknown (hundreds of findings hiding the one that matters).
    unread = frozenset(id_kind(res.kind) for res in results if any(f.rule in LOAD_RULES for f in res.findings))
    index = RegistryIndex({id_kind(kind): frozenset(v for v, _, _ in ids[kind]) for kind in REGISTRIES},
                          unread)
    # The rules run only where they can find something (an ID given twice, a reference to no known ID):
    # a million calls that find nothing cost a second at S=1, in every build.
    for kind in REGISTRIES:
        if len(index.ids[id_kind(kind)]) == len(ids[kind]):
            continue
        earlier: dict[str, tuple[str, int | None]] = {}
        for value, file, line in ids[kind]:
            findings += DUPLICATE_ID.run(id_kind(kind), value, file, earlier, file=file, line=line)
            earlier.setdefault(value, (file, line))
    # References between registry entries (a parent, a role's organisation, a participant) may
    # point into another file, so they are checked once every file is in.
    for kind, value, file, line in refs:
        if kind not in unread and value not in index.ids[kind]:
            findings += UNKNOWN_REFERENCE.run(kind, value, index.ids[kind], file=file, line=line)
    return MergedRegistries(index, parts, findings)


def compile_registry_file(kind: str, path: Path, file: str) -> RegistryResult:
    """Compile one registry file of ``kind`` on its own (``file``: its name in reports): its rows as Arrow,
    its IDs, its findings, and the references to check once every registry file is merged."""
    from diplonews.builders.assemble import to_arrow

    result = RegistryResult(kind, file)
    out = FileOutput(file, None, {t: [] for t in REGISTRY_TABLES})
    try:
        model, data = load_source(path, REGISTRIES[kind], file)
    except SourceFileError as exc:
        out.findings += exc.findings
    else:
        entries = getattr(model, kind)
        result.ids = [(e.id, item_line(data, kind, i)) for i, e in enumerate(entries)]
        if kind == "topics":
            out.rows["topics"] += [{"topic_id": t.id, "label": t.label, "description": t.description} for t in entries]
        elif kind == "actors":
            result.refs = _actors(model, data, out)
        else:
            result.refs = _events(model, data, out)
    result.tables = {t: to_arrow(t, out.rows[t]) for t in REGISTRY_TABLES}
    result.findings = out.findings
    return result


def _actors(model: ActorRegistry, data: Any, out: FileOutput) -> list[tuple[str, str, str, int | None]]:
    """The rows of an actors file; the references to other actors it makes, to check after the merge."""
    refs = []
    lines = [item_line(data, "actors", i) for i in range(len(model.actors))]
    for i, a in enumerate(model.actors):
        raw = data["actors"][i]
        if a.parent is not None:
            refs.append(("actor", a.parent, out.file, key_line(raw, "parent", lines[i])))
        out.rows["actors"].append(
            {
                "actor_id": a.id, "name": a.name, "actor_type": a.type.value, "country_code": a.country,
                "wikidata_id": a.wikidata, "parent_actor_id": a.parent, "note": a.note,
            }
        )
        for alias in dict.fromkeys(a.aliases):
            out.rows["actor_aliases"].append({"actor_id": a.id, "alias": alias, "alias_key": alias_key(alias)})
        seq: dict[tuple[str, str], int] = {}
        for role in sorted(a.roles, key=lambda r: (r.role, r.organization, r.start or date.min)):
            refs.append(("actor", role.organization, out.file, key_line(raw, "roles", lines[i])))
            n = seq[(role.role, role.organization)] = seq.get((role.role, role.organization), 0) + 1
            out.rows["actor_roles"].append(
                {
                    "actor_id": a.id, "role": role.role, "organization_actor_id": role.organization,
                    "role_seq": n, "start_date": role.start, "end_date": role.end, "source": role.source,
                    "role_state": role.state.value,
                }
            )
    return refs


def _events(model: EventRegistry, data: Any, out: FileOutput) -> list[tuple[str, str, str, int | None]]:
    """The rows of an events file; the references to actors it makes, to check after the merge."""
    refs = []
    lines = [item_line(data, "events", i) for i in range(len(model.events))]
    types = {t["event_type"]: t for t in codebook_rows()["event_types"]}
    for i, e in enumerate(model.events):
        raw = data["events"][i]
        known_type = out.check(UNKNOWN_REFERENCE, "event type", e.type, types, line=key_line(raw, "type", lines[i]))
        default = types.get(e.type, {}) if known_type else {}
        out.rows["events"].append(
            {
                "event_id": e.id, "event_type": e.type, "status": e.status.value,
                "date_start": e.date_start, "date_end": e.date_end,
                "date_precision": e.date_precision.value if e.date_precision else None,
                "duration_days": event_duration(e),
                "date_open": e.date_open.value if e.date_open else None,
                "date_basis": e.date_basis.value, "date_note": e.date_note, "location": e.location,
                "country_code": e.country, "summary": e.summary,
                "cameo_code": e.cameo or default.get("cameo_code"),
                # A code of its own brings its own PLOVER type, as on positions and demands.
                "plover_type": e.plover or (plover_of(e.cameo) if e.cameo else default.get("plover_type")),
            }
        )
        seen: set[str] = set()
        for j, p in enumerate(e.participants):
            pline = raw["participants"].item_lines[j] if "participants" in raw else lines[i]
            refs.append(("actor", p.actor, out.file, pline))
            if not out.check(PARTICIPANT_LISTED_ONCE, p.actor, e.id, seen, line=pline):
                continue
            seen.add(p.actor)
            out.rows["event_participants"].append(
                {"event_id": e.id, "actor_id": p.actor, "participant_role": p.role.value, "capacity": p.capacity}
            )
    return refs
