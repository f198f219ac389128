"""``diplonews actor add`` / ``event add`` / ``topic add``: append to the registries without editing YAML by hand.

Entries are validated against the source models and the existing registry, then
appended with ruamel.yaml's round-trip mode, so comments, order and flow style of
the rest of the file are preserved, and written atomically.
"""

from __future__ import annotations

import difflib
import io
from pathlib import Path
from typing import Any

from iso3166 import countries_by_alpha3
from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from diplonews.builders.authoring import with_seeds
from diplonews.builders.compile.codebook import codebook_rows
from diplonews.builders.compile.registry import REGISTRIES
from diplonews.builders.sources.yamlsource import SourceFileError, load_source, not_loaded, round_trip_yaml
from diplonews.errors import UserError
from diplonews.files import write_atomic
from diplonews.schema.annotation import ActorEntry, EventEntry, TopicEntry
from diplonews.schema.enums import RoleState
from diplonews.schema.fields import alias_key


def _load(path: Path, key: str) -> tuple[YAML, Any]:
    """Load a registry file for a round trip; UserError (file, line, hint) unless it loads and validates,
    so an edit never builds on a broken file (and the file is left as it is)."""
    if not path.exists():
        raise UserError(f"{path} not found", "give --seeds the folder that holds registry/ (default: seeds)")
    try:
        load_source(path, REGISTRIES[key])
    except SourceFileError as exc:
        raise not_loaded(exc, path.parent.parent) from None
    y = round_trip_yaml()
    try:
        data = y.load(path.read_text(encoding="utf-8"))
    except YAMLError as exc:  # ruamel reads YAML 1.2, the build's loader 1.1: rarely, one reads what the other does not
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise UserError(f"{where}: YAML 1.2 does not parse: {getattr(exc, 'problem', exc)}; nothing was changed",
                        "quote the value there") from None
    return y, data


def _save(y: YAML, data: Any, path: Path) -> None:
    buf = io.StringIO()
    y.dump(data, buf)
    write_atomic(path, buf.getvalue().encode("utf-8"))


def _validation_error(exc: ValidationError, what: str) -> UserError:
    first = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in first["loc"])
    return UserError(f"invalid {what}: {where}: {first['msg']}",
                     "IDs are lowercase slugs; dates YYYY-MM-DD; see docs/annotation-guide.md")


def _did_you_mean(value: str, known: list[str]) -> str | None:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else None


def _unknown_actor(ref: str, ids: list[str], seeds: Path) -> UserError:
    return UserError(f"unknown actor ID '{ref}'",
                     _did_you_mean(ref, ids) or f"list them with: {with_seeds('diplonews actor list', seeds)}")


def _flow_list(items: list) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _flow_map(d: dict) -> CommentedMap:
    m = CommentedMap((k, v) for k, v in d.items() if v is not None)
    m.fa.set_flow_style()
    return m


def _new_entry(seeds: Path, key: str, model: type, entry: dict) -> tuple[YAML, Any, Any, list[str]]:
    """Load the registry, validate ``entry`` with ``model`` and refuse a taken ID.

    Returns the YAML handler, the registry data, the validated entry and the existing IDs.
    """
    what = key.removesuffix("s")
    y, data = _load(Path(seeds) / "registry" / f"{key}.yaml", key)
    try:
        new = model.model_validate(entry)
    except ValidationError as exc:
        raise _validation_error(exc, what) from None
    ids = [item["id"] for item in data[key]]
    if new.id in ids:
        raise UserError(f"{what} ID '{new.id}' already exists",
                        f"choose another --id (see it with: {with_seeds(f'diplonews {what} search {new.id}', seeds)})")
    return y, data, new, ids


def add_actor(seeds: Path, entry: dict) -> ActorEntry:
    """Validate and append an actor to seeds/registry/actors.yaml; returns the validated entry."""
    path = Path(seeds) / "registry" / "actors.yaml"
    y, data, actor, ids = _new_entry(seeds, "actors", ActorEntry, entry)
    if actor.country and actor.country not in countries_by_alpha3:
        close = _did_you_mean(actor.country, sorted(countries_by_alpha3))
        raise UserError(f"unknown country code '{actor.country}'",
                        f"{close} (ISO 3166-1 alpha-3)" if close else "give an ISO 3166-1 alpha-3 code, such as TUR")
    for ref in [actor.parent, *(r.organization for r in actor.roles)]:
        if ref and ref not in ids:
            raise _unknown_actor(ref, ids, seeds)
    # Compared as alias_maps_to_one_actor compares them (the key the build stores), so what passes here builds.
    taken = {alias_key(alias): a["id"] for a in data["actors"] for alias in a.get("aliases", [])}
    for alias in actor.aliases:
        if alias_key(alias) in taken:
            raise UserError(f"alias '{alias}' already belongs to '{taken[alias_key(alias)]}'",
                            "one alias maps to one actor: add the mention to that actor instead")
    new = CommentedMap()
    for key, value in (("id", actor.id), ("name", actor.name), ("type", actor.type.value),
                       ("country", actor.country), ("parent", actor.parent)):
        if value is not None:
            new[key] = value
    new["aliases"] = _flow_list(list(actor.aliases))
    if actor.roles:
        new["roles"] = CommentedSeq(
            _flow_map({"role": r.role, "organization": r.organization, "start": r.start, "end": r.end,
                       "source": r.source, "state": None if r.state is RoleState.held else r.state.value})
            for r in actor.roles
        )
    if actor.note:
        new["note"] = actor.note
    data["actors"].append(new)
    _save(y, data, path)
    return actor


def add_event(seeds: Path, entry: dict) -> EventEntry:
    """Validate and append an event to seeds/registry/events.yaml; returns the validated entry."""
    path = Path(seeds) / "registry" / "events.yaml"
    y, data, event, _ = _new_entry(seeds, "events", EventEntry, entry)
    types = sorted(t["event_type"] for t in codebook_rows()["event_types"])
    if event.type not in types:
        raise UserError(f"unknown event type '{event.type}'", f"one of: {', '.join(types)}")
    if event.date_start and event.date_end and event.date_end < event.date_start:
        raise UserError(f"date_end {event.date_end} is before date_start {event.date_start}",
                        "--date is the first day, --date-end the last")
    if not event.participants:
        raise UserError("an event needs at least one participant", "--participant ACTOR:ROLE[:CAPACITY]")
    _, actors = _load(Path(seeds) / "registry" / "actors.yaml", "actors")
    actor_ids = [a["id"] for a in actors["actors"]]
    for p in event.participants:
        if p.actor not in actor_ids:
            raise _unknown_actor(p.actor, actor_ids, seeds)
    new = CommentedMap()
    for key in ("id", "type", "status", "date_start", "date_end", "date_precision", "duration_days", "date_open",
                "date_basis", "date_note", "location", "country", "summary", "cameo", "plover"):
        value = getattr(event, key)
        if value is not None:
            new[key] = value.value if hasattr(value, "value") else value
    new["participants"] = CommentedSeq(
        _flow_map({"actor": p.actor, "role": p.role.value, "capacity": p.capacity}) for p in event.participants
    )
    data["events"].append(new)
    _save(y, data, path)
    return event


def add_topic(seeds: Path, entry: dict) -> TopicEntry:
    """Validate and append a topic to seeds/registry/topics.yaml; refuses a taken ID or a label another topic has
    (case ignored), with the topic that has it."""
    path = Path(seeds) / "registry" / "topics.yaml"
    y, data, topic, _ = _new_entry(seeds, "topics", TopicEntry, entry)
    same = next((t for t in data["topics"] if str(t.get("label", "")).casefold() == topic.label.casefold()), None)
    if same is not None:
        raise UserError(f"topic '{same['id']}' already has the label '{same['label']}'",
                        f"use topic '{same['id']}', or give a label that says how this topic differs")
    new = CommentedMap()
    for key in ("id", "label", "description"):
        new[key] = getattr(topic, key)
    data["topics"].append(new)
    _save(y, data, path)
    return topic


def event_types() -> list[str]:
    """The allowed event types (for CLI help)."""
    return sorted(t["event_type"] for t in codebook_rows()["event_types"])


__all__ = ["add_actor", "add_event", "add_topic", "event_types"]
