"""``diplonews actor add`` / ``event add`` / ``topic add``: append to the registries without editing YAML by hand.

Entries are validated against the source models and the existing registry, then
appended with ruamel.yaml's round-trip mode, so comments, order and flow style of
the rest of the file are preserved. The file as it would be written is checked with the
build's own rules (:mod:`.registry_trial`) and written atomically only if they find nothing new.
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
from diplonews.builders.authoring.registry_index import Registry, load_registry
from diplonews.builders.authoring.registry_trial import errors_added
from diplonews.builders.compile.codebook import codebook_rows
from diplonews.builders.compile.registry import REGISTRIES
from diplonews.builders.sources.yamlsource import SourceFileError, load_source, not_loaded, round_trip_yaml
from diplonews.errors import UserError
from diplonews.files import write_atomic
from diplonews.schema.annotation import ActorEntry, EventEntry, TopicEntry
from diplonews.schema.enums import RoleState
from diplonews.schema.fields import alias_key
from diplonews.validators.source_rules import schema_hint

RULE_HINTS = {
    "event_date_order": "--date is the first day, --date-end the last",
    "event_open_side_stated": "a window with one date says which side is open: --date-end alone takes --open start "
                              "('before ...'), --date alone is one day, or with --open end it is under way or "
                              "'after ...'; with both dates, or none, leave --open out",
    "event_precision_matches_window": "--precision says how closely --date..--date-end place the event: the one the "
                                      "message ends with; day only when they are its own days, and none (or day) "
                                      "with --open (docs/annotation-guide.md, Dates)",
    "event_duration_fits_window": "--duration-days counts the event's own days, at most those from --date to "
                                  "--date-end",
    "role_held_on_event_date": "CAPACITY in --participant ACTOR:ROLE:CAPACITY is an office the actor holds on the "
                               "event's dates (see its roles with: diplonews actor search ACTOR), or leave it out",
    "anonymous_source_id_dated": "an anonymous source's --id reads anon-<description>-YYYY-MM, the month of its story",
    "role_period_valid": "--role ROLE:ORGANIZATION:START:END gives the first day in office, then the last",
}
"""How to fix, in the commands' options, what a rule of the build finds in an entry about to be added (a rule not
listed here brings its own hint, or names itself)."""


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


def _save(y: YAML, data: Any, path: Path, seeds: Path, what: str) -> None:
    """Write ``data`` to ``path`` unless the build would then report an error it does not report now
    (UserError with the first, and ``path`` left as it is)."""
    buf = io.StringIO()
    y.dump(data, buf)
    added = errors_added(seeds, path, buf.getvalue())
    if added:
        first = added[0]
        raise UserError(f"the {what} would not pass validation: [{first.rule}] {first.message}; nothing was changed",
                        RULE_HINTS.get(first.rule) or first.hint or f"see the rule {first.rule}: diplonews rules")
    write_atomic(path, buf.getvalue().encode("utf-8"))


def _validation_error(exc: ValidationError, model: type, what: str) -> UserError:
    first = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in first["loc"])
    return UserError(f"invalid {what}: {where}: {first['msg']}",
                     schema_hint(model, first) or "see docs/annotation-guide.md")


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


def _new_entry(seeds: Path, key: str, model: type, entry: dict) -> tuple[YAML, Any, Any, Registry]:
    """Load the registry, validate ``entry`` with ``model`` and refuse an ID any file of the registry has.

    Returns the YAML handler, the data of ``<key>.yaml``, the validated entry and every registry file's entries.
    """
    what = key.removesuffix("s")
    y, data = _load(Path(seeds) / "registry" / f"{key}.yaml", key)
    try:
        new = model.model_validate(entry)
    except ValidationError as exc:
        raise _validation_error(exc, model, what) from None
    registry = load_registry(seeds)  # <key>-*.yaml parts too: an ID or alias taken there is taken
    if new.id in {e.id for e in getattr(registry, key)}:
        raise UserError(f"{what} ID '{new.id}' already exists",
                        f"choose another --id (see it with: {with_seeds(f'diplonews {what} search {new.id}', seeds)})")
    return y, data, new, registry


def _check_country(code: str | None) -> None:
    """Refuse a country code that is well-formed but names no country (the schema checks only its form)."""
    if code and code not in countries_by_alpha3:
        close = _did_you_mean(code, sorted(countries_by_alpha3))
        raise UserError(f"unknown country code '{code}'",
                        f"{close} (ISO 3166-1 alpha-3)" if close else "give an ISO 3166-1 alpha-3 code, such as TUR")


def add_actor(seeds: Path, entry: dict) -> ActorEntry:
    """Validate and append an actor to seeds/registry/actors.yaml; returns the validated entry."""
    path = Path(seeds) / "registry" / "actors.yaml"
    y, data, actor, registry = _new_entry(seeds, "actors", ActorEntry, entry)
    _check_country(actor.country)
    ids = [a.id for a in registry.actors]
    for ref in [actor.parent, *(r.organization for r in actor.roles)]:
        if ref and ref not in ids:
            raise _unknown_actor(ref, ids, seeds)
    # Compared as alias_maps_to_one_actor compares them (the key the build stores), so what passes here builds.
    taken = {alias_key(alias): a.id for a in registry.actors for alias in a.aliases}
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
    _save(y, data, path, Path(seeds), "actor")
    return actor


def add_event(seeds: Path, entry: dict) -> EventEntry:
    """Validate and append an event to seeds/registry/events.yaml; returns the validated entry."""
    path = Path(seeds) / "registry" / "events.yaml"
    y, data, event, registry = _new_entry(seeds, "events", EventEntry, entry)
    types = sorted(t["event_type"] for t in codebook_rows()["event_types"])
    if event.type not in types:
        raise UserError(f"unknown event type '{event.type}'", f"one of: {', '.join(types)}")
    if not event.participants:
        raise UserError("an event needs at least one participant", "--participant ACTOR:ROLE[:CAPACITY]")
    _check_country(event.country)
    actor_ids = [a.id for a in registry.actors]
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
    _save(y, data, path, Path(seeds), "event")
    return event


def add_topic(seeds: Path, entry: dict) -> TopicEntry:
    """Validate and append a topic to seeds/registry/topics.yaml; refuses a taken ID or a label another topic has
    (case ignored), with the topic that has it."""
    path = Path(seeds) / "registry" / "topics.yaml"
    y, data, topic, registry = _new_entry(seeds, "topics", TopicEntry, entry)
    same = next((t for t in registry.topics if t.label.casefold() == topic.label.casefold()), None)
    if same is not None:
        raise UserError(f"topic '{same.id}' already has the label '{same.label}'",
                        f"use topic '{same.id}', or give a label that says how this topic differs")
    new = CommentedMap()
    for key in ("id", "label", "description"):
        new[key] = getattr(topic, key)
    data["topics"].append(new)
    _save(y, data, path, Path(seeds), "topic")
    return topic


def event_types() -> list[str]:
    """The allowed event types (for CLI help)."""
    return sorted(t["event_type"] for t in codebook_rows()["event_types"])


__all__ = ["add_actor", "add_event", "add_topic", "event_types"]
