"""The ``diplonews`` command: a thin layer over :mod:`diplonews.api`."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import signal
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Callable, Iterator, TextIO

from diplonews.errors import UserError


def _cmd_build(args: argparse.Namespace) -> int:
    from diplonews.api import build

    with progress_bar() as progress:
        result = build(args.seeds, args.out, use_cache=not args.no_cache, on_wait=_say, progress=progress,
                       shards=args.shards)
    print(result.report.render(limit=args.limit))
    if not result.written:
        print(f"build failed: {args.out} left unchanged", file=sys.stderr)
        return 1
    for note in result.notes:
        _say(f"note: {note}")
    counts = ", ".join(f"{n} {t}" for t, n in result.counts.items() if n)
    print(f"built {args.out}: {counts}")
    return 0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def progress_bar(stream: TextIO | None = None) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress callback drawing one bar per stage on ``stream`` (stderr) when it is a terminal;
    None otherwise, so logs and pipes get no progress noise."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(file=stream), transient=True) as bars:
        tasks: dict[str, object] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(stage, total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield update


WHAT_VALIDATE_CHECKS = {
    True: "annotation sources: source rules, then the cross-table rules on a trial build",
    False: "built dataset: descriptor, checksums, table files, then the cross-table rules",
}
"""What ``validate`` checks in a folder of sources (True) and in a built dataset (False)."""


def _cmd_validate(args: argparse.Namespace) -> int:
    from diplonews.api import is_sources, validate, validate_article
    from diplonews.validators.findings import Report
    from diplonews.validators.folder import is_url

    report = Report()
    if args.article is not None:  # --article "" is an ID to refuse, not no --article
        if len(args.paths) > 1:  # the others would be ignored without a word
            raise UserError(f"--article checks one article of one seeds folder; {len(args.paths)} folders were given",
                            f"give the seeds folder that holds {args.article} (or none, for ./seeds)")
        seeds = Path(args.paths[0]) if args.paths else Path("seeds")
        report.extend(validate_article(seeds, args.article))
        print(report.to_json() if args.format == "json" else report.render(limit=args.limit))
        return 0 if report.ok else 1
    # A URL (s3a://bucket/x) stays as written: a Path would fold its '//' into '/'.
    targets = [p if is_url(p) else Path(p) for p in args.paths] or [Path("seeds"), Path("dataset")]
    checked = []
    for target in targets:
        with progress_bar() as progress:
            report.extend(validate(target, progress, engine=args.engine, spark_master=args.spark_master))
        checked.append(f"{target} ({WHAT_VALIDATE_CHECKS[not is_url(target) and is_sources(target)]})")
    if args.format == "json":
        print(report.to_json())
    else:
        print(report.render(limit=args.limit))
        print("checked " + "; ".join(checked))
    return 0 if report.ok else 1


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: write YYYY-MM-DD, e.g. 2025-03-16") from None


def _count(value: str) -> int:
    """An argparse type: a whole number, 0 or more (a negative --limit would cut from the end of the list)."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a count: give a whole number, 0 or more")
    return number


def _cmd_new(args: argparse.Namespace) -> int:
    from diplonews.api import new_article

    made = new_article(
        args.seeds, args.text, title=args.title, outlet=args.outlet, author=args.author, url=args.url,
        language=args.language, date=args.date, date_earliest=args.date_earliest, date_latest=args.date_latest,
        date_basis=args.date_basis, notes=args.note, article_id=args.id,
    )
    found = ", ".join(f"{n} {kind}" for kind, n in sorted(made.suggestions.items())) or "none"
    print(f"added article {made.article_id}\n  text:        {made.text_path}\n  annotations: {made.annotation_path}")
    print(f"  suggestions: {found}")
    print(f"next: edit {made.annotation_path}, then: {made.check_command}")
    return 0


def _split(spec: str, names: tuple[str, ...], what: str) -> dict:
    parts = spec.split(":")
    if not 2 <= len(parts) <= len(names):
        raise UserError(f"bad {what} {spec!r}", f"write {':'.join(n.upper() for n in names)} (last parts optional)")
    return {k: (v or None) for k, v in zip(names, parts)}


def _cmd_actor_add(args: argparse.Namespace) -> int:
    from diplonews.api import add_actor

    roles = [_split(r, ("role", "organization", "start", "end", "source"), "--role") for r in args.role]
    actor = add_actor(args.seeds, id=args.id, name=args.name, type=args.type, country=args.country,
                      parent=args.parent, aliases=args.alias, roles=roles, note=args.note)
    print(f"added actor {actor.id} to {Path(args.seeds) / 'registry' / 'actors.yaml'}")
    return 0


def _cmd_event_add(args: argparse.Namespace) -> int:
    from diplonews.api import add_event

    participants = [_split(p, ("actor", "role", "capacity"), "--participant") for p in args.participant]
    # --open names the side the window lacks, so it takes the other side's date alone (as its help says);
    # every other combination is left to the build's own rules, which add_event runs before writing.
    if args.open == "start" and (args.date or not args.date_end):
        raise UserError("--open start goes with --date-end alone",
                        "a window open at the start ('before ...') has only a last day: give --date-end, not --date")
    if args.open == "end" and (args.date_end or not args.date):
        raise UserError("--open end goes with --date alone",
                        "a window open at the end (under way, or 'after ...') has only a first day: give --date, "
                        "not --date-end")
    precision = args.precision or ("day" if args.date and not args.open else None)
    # A window open at the end has no last day, so --date-end then does not default to --date.
    date_end = args.date_end or (args.date if args.open != "end" else None)
    event = add_event(
        args.seeds, id=args.id, type=args.type, status=args.status, date_start=args.date,
        date_end=date_end, date_precision=precision, duration_days=args.duration_days, date_open=args.open,
        date_basis=args.basis, date_note=args.date_note, location=args.location, country=args.country,
        summary=args.summary, participants=participants,
    )
    print(f"added event {event.id} to {Path(args.seeds) / 'registry' / 'events.yaml'}")
    return 0


def _cmd_topic_add(args: argparse.Namespace) -> int:
    from diplonews.api import add_topic

    topic = add_topic(args.seeds, id=args.id, label=args.label, description=args.description)
    print(f"added topic {topic.id} to {Path(args.seeds) / 'registry' / 'topics.yaml'}")
    return 0


def _dates(event: object) -> str:
    first, last = event.date_start, event.date_end or event.date_start
    if first is None:
        return "undated"
    if event.date_end is None and event.status.value == "ongoing":
        return f"{first}.."
    return str(first) if first == last else f"{first}..{last}"


def _entry_lines(kind: str, entry: object) -> list[str]:
    """Readable lines for one registry entry."""
    if kind == "actors":
        line = f"{entry.id}  ({entry.type.value}{', ' + entry.country if entry.country else ''})  {entry.name}"
        extra = [f"    aliases: {', '.join(entry.aliases)}"] if entry.aliases else []
        extra += [f"    role: {r.role} of {r.organization} {r.start or '?'}..{r.end or ''}" for r in entry.roles]
        return [line, *extra]
    if kind == "events":
        people = ", ".join(f"{p.actor} ({p.role.value})" for p in entry.participants)
        return [f"{entry.id}  ({entry.type}, {entry.status.value}, {_dates(entry)})", f"    {entry.summary}",
                *([f"    participants: {people}"] if people else [])]
    return [f"{entry.id}  {entry.label}", f"    {entry.description}"]


REGISTRY_LIST_EXIT = {0: "found (a list may be empty)",
                      1: "nothing found, no seeds folder, or a registry file does not load",
                      2: "usage error"}
"""Exit statuses of ``actor|event|topic list|search`` (documented in --help and docs/extending.md)."""


def _cmd_registry(args: argparse.Namespace) -> int:
    import json

    from diplonews.api import registry_entries, registry_nearest

    kind = {"actor": "actors", "event": "events", "topic": "topics"}[args.command]
    query = getattr(args, "query", None)
    found = registry_entries(args.seeds, kind, query)
    if args.format == "json":
        print(json.dumps([e.model_dump(mode="json", exclude_none=True) for e in found], indent=2, ensure_ascii=False))
    else:
        for entry in found:
            print("\n".join(_entry_lines(kind, entry)))
    if query is not None and not found:
        near = registry_nearest(args.seeds, kind, query)
        hint = f"did you mean '{near}'?" if near else f"list them all with: diplonews {args.command} list"
        print(f"no {args.command} matches '{query}'\n  hint: {hint}", file=sys.stderr)
        return 1
    if query is None and not found and args.format != "json":
        print(f"no {kind} in {Path(args.seeds) / 'registry'}", file=sys.stderr)
    return 0


def _registry_commands(sub: argparse._SubParsersAction, name: str, what: str, by: str) -> argparse._SubParsersAction:
    """The ``list`` and ``search`` subcommands of ``actor``, ``event`` or ``topic``."""
    exits = "; ".join(f"{k}: {v}" for k, v in REGISTRY_LIST_EXIT.items())
    group = sub.add_parser(name, help=f"list, search or edit the {what} registry").add_subparsers(
        dest="action", required=True)
    for action, help_text in (("list", f"print every {name} of the registry"),
                              ("search", f"print the {what} entries matching QUERY ({by})")):
        c = group.add_parser(action, help=help_text, description=f"{help_text}. Exit status: {exits}.")
        if action == "search":
            c.add_argument("query", help=by)
        c.add_argument("--seeds", default="seeds", help="annotation sources (default: seeds)")
        c.add_argument("--format", choices=["text", "json"], default="text", help="text (default) or json")
        c.set_defaults(func=_cmd_registry)
    return group


def _cmd_status(args: argparse.Namespace) -> int:
    from diplonews.api import status

    rows = status(args.seeds)
    keys = ("actor_mentions", "event_mentions", "positions", "demands", "event_relations", "errata", "suggestions")
    width = max([len("article"), *(len(r["article_id"]) for r in rows)])
    print(f"{'article':{width}}  " + "  ".join(k.replace("_mentions", "") for k in keys))
    for r in rows:
        if "error" in r:
            print(f"{r['article_id']:{width}}  {r['error']}")
            continue
        print(f"{r['article_id']:{width}}  " + "  ".join(f"{r[k]:>{len(k.replace('_mentions', ''))}}" for k in keys))
    return 1 if any("error" in r for r in rows) else 0


def _cmd_export(args: argparse.Namespace) -> int:
    from diplonews.api import export_annotations

    written = export_annotations(args.format, args.out, args.seeds, args.article or None)
    print(f"wrote {len(written)} files to {args.out} ({args.format})")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from diplonews.api import import_annotations, import_summary

    info = {"date": args.date, "date_earliest": args.date_earliest, "date_latest": args.date_latest,
            "date_basis": args.date_basis, "title": args.title, "outlet": args.outlet, "notes": args.note}
    given = {k: v for k, v in info.items() if v}
    plans = import_annotations(args.format, args.path, args.seeds, **given)
    for line in import_summary(plans):
        print(line)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from diplonews.schema.generate import drifted, generated_files, write_generated
    from diplonews.validators.catalog import GUIDE, rules_table_drifted, write_rules_table

    root = Path(args.root)
    if not (root / "schema").is_dir() or not (root / GUIDE).is_file():
        raise UserError(f"--root {root} is not a diplonews checkout (no schema/ or {GUIDE})",
                        "run this in the repository root, or give it with --root")
    if args.check:
        stale = drifted(root) + ([f"{GUIDE} (rule table)"] if rules_table_drifted(root) else [])
        for rel in stale:
            print(f"out of date: {rel}")
        checked = f"checked {len(generated_files())} files generated from the models (JSON Schemas, DDL, " \
                  f"Arrow schemas, docs/schema.md) and the rule table of {GUIDE}"
        print(f"{checked}: " + ("all up to date" if not stale else "run 'diplonews schema' to regenerate"))
        return 1 if stale else 0
    for rel in write_generated(root):
        print(f"wrote {rel}")
    if write_rules_table(root):
        print(f"wrote the rule table of {GUIDE}")
    return 0


def _cmd_rules(args: argparse.Namespace) -> int:
    import json

    from diplonews.validators.catalog import RULE_GROUPS

    rules = [(kind, rule) for kind, group in RULE_GROUPS.items() for rule in group]
    if args.format == "json":
        print(json.dumps([{"name": r.name, "severity": r.severity.value, "checks": kind, "why": r.why,
                           **({"reads": sorted(r.reads)} if hasattr(r, "reads") else {})}
                          for kind, r in rules], indent=2, ensure_ascii=False))
        return 0
    for _, rule in rules:
        print(f"{rule.name:34} {rule.severity.value:8} {rule.why}")
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    from diplonews.builders.publish.release import release

    with progress_bar() as progress:  # a refusal is a UserError, printed as 'release refused: ...' and its hint
        result = release(Path(args.seeds), Path(args.dist), Path(args.repo), progress, args.variant,
                         shards=args.shards)
    print(f"wrote {result.archive} (sha256:{result.sha256}) and {result.registry}")
    return 0


def _cmd_hydrate(args: argparse.Namespace) -> int:
    from diplonews.api import hydrate

    out = Path(args.out) if args.out else Path(args.standoff).with_name(Path(args.standoff).name + "-full")
    still = hydrate(args.standoff, args.texts, out)
    print(f"wrote {out}" + (f"; text still withheld for {', '.join(still)}" if still else ": every text restored"))
    return 0


def _cmd_download(args: argparse.Namespace) -> int:
    from diplonews.builders.publish.download import download

    # A DownloadError is a UserError: main() prints it as one line and a hint.
    print(download(args.version, args.url, args.cache_dir, args.variant))
    return 0


def _one_of(enum: type) -> str:
    """Help text listing an enum's values, from the schema (never a copy that could drift)."""
    return "one of: " + ", ".join(member.value for member in enum)


def _cmd_site(args: argparse.Namespace) -> int:
    import time

    from diplonews.site import build_site, make_server

    # With --serve the port is taken first: a port out of range or in use is refused (a SiteError, a
    # UserError) before the site is written. The server reads the folder per request, once it is there.
    with (make_server(Path(args.out).resolve(), args.port) if args.serve else contextlib.nullcontext()) as server:
        started = time.perf_counter()
        result = build_site(args.dataset, args.out, args.page_size)  # a SiteError is a UserError: main() prints it
        name, size = result.largest
        print(f"wrote {result.pages} pages ({result.files} files, {result.total_bytes / 1e6:.1f} MB; largest {name}, "
              f"{size / 1e3:.0f} kB) to {result.out} in {time.perf_counter() - started:.1f} s")
        if server is None:
            print(f"open {result.out / 'index.html'}, or serve it: diplonews site --serve")
            return 0
        print(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped")
    return 0


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("diplonews")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for docs and tests)."""
    from diplonews.api import interchange_formats
    from diplonews.metadata import DATASET_VERSION
    from diplonews.schema import enums
    from diplonews.validators.engines import ENGINES

    p = argparse.ArgumentParser(prog="diplonews", description="Build, validate and load the diplonews dataset.")
    p.add_argument("--version", action="version", version=f"diplonews {_package_version()} (dataset {DATASET_VERSION})")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="compile seeds/ into a validated dataset/")
    b.add_argument("--seeds", default="seeds", help="annotation sources (default: seeds)")
    b.add_argument("--out", default="dataset", help="output folder (default: dataset)")
    b.add_argument("--limit", type=_count, default=50, help="findings to print (default: 50; 0: only the counts)")
    b.add_argument("--no-cache", action="store_true",
                   help="compile every source file again instead of reusing unchanged ones")
    b.add_argument("--shards", type=int, default=1, metavar="N",
                   help="write the tables keyed by article_id as N Parquet/JSON Lines files each, split by a hash "
                        "of article_id (default: 1, one file per table; see docs/scale.md)")
    b.set_defaults(func=_cmd_build)

    v = sub.add_parser("validate", help="check sources (a seeds folder) or a built dataset folder")
    v.add_argument("paths", nargs="*", help="seeds and/or dataset folders (default: seeds dataset)")
    v.add_argument("--format", choices=["text", "json"], default="text", help="report format (default: text)")
    v.add_argument("--limit", type=_count, default=200,
                   help="findings to print in text format (default: 200; 0: only the counts)")
    v.add_argument("--article", help="check only this article (path: the seeds folder, default seeds)")
    v.add_argument("--engine", choices=list(ENGINES), default=ENGINES[0],
                   help="what runs the rules on a dataset folder (default: duckdb; spark needs diplonews[spark] and Java 17+)")
    v.add_argument("--spark-master", help="with --engine spark: the Spark master URL (default: local[*])")
    v.set_defaults(func=_cmd_validate)

    n = sub.add_parser("new", help="add a news text with a pre-filled annotation file of suggestions")
    n.add_argument("text", help="the article as a UTF-8 text file (copied byte-identical)")
    n.add_argument("--seeds", default="seeds", help="annotation sources (default: seeds)")
    n.add_argument("--id", help="article ID (default: date and first words of the title)")
    n.add_argument("--title", help="the article's headline")
    n.add_argument("--outlet", help="the outlet that published it, e.g. Daily Sabah")
    n.add_argument("--author", help="the author, as the article names them")
    n.add_argument("--url", help="where the article was published")
    n.add_argument("--language", default="en", help="ISO 639-1 code of the text's language (default: en)")
    n.add_argument("--date", type=_date, help="publication date stated in the article (YYYY-MM-DD)")
    n.add_argument("--date-earliest", type=_date, help="with --date-basis inferred")
    n.add_argument("--date-latest", type=_date, help="with --date-basis inferred")
    n.add_argument("--date-basis", choices=[b.value for b in enums.PublishedDateBasis],
                   help="stated: the article gives its date; inferred: --date-earliest/--date-latest from context")
    n.add_argument("--note", action="append", default=[], help="a note on the article (repeatable)")
    n.set_defaults(func=_cmd_new)

    actor = _registry_commands(sub, "actor", "actor", "an ID, name or alias, case and diacritics ignored")
    aa = actor.add_parser("add", help="add an actor to seeds/registry/actors.yaml")
    aa.add_argument("--seeds", default="seeds", help="annotation sources (default: seeds)")
    aa.add_argument("--id", required=True, help="lowercase slug, e.g. kaja-kallas")
    aa.add_argument("--name", required=True, help="the actor's usual name, e.g. 'Kaja Kallas'")
    aa.add_argument("--type", required=True, help=_one_of(enums.ActorType))
    aa.add_argument("--country", help="ISO 3166-1 alpha-3, e.g. TUR")
    aa.add_argument("--parent", help="actor ID this actor belongs to")
    aa.add_argument("--alias", action="append", default=[], help="a spelling or metonym (repeatable)")
    aa.add_argument("--role", action="append", default=[],
                    help="ROLE:ORGANIZATION[:START[:END[:SOURCE]]], e.g. president:turkiye:2014-08-28")
    aa.add_argument("--note", help="a note for other annotators (sources of facts, doubts)")
    aa.set_defaults(func=_cmd_actor_add)

    event = _registry_commands(sub, "event", "event", "an ID, type, summary words, a participant's ID, name or "
                               "alias, or a date YYYY[-MM[-DD]] the event overlaps")
    ea = event.add_parser("add", help="add a canonical event to seeds/registry/events.yaml")
    ea.add_argument("--seeds", default="seeds", help="annotation sources (default: seeds)")
    ea.add_argument("--id", required=True, help="lowercase slug, e.g. 2025-03-16-erdogan-trump-call")
    ea.add_argument("--type", required=True, help="an event type: see schema/codebook/event_types.csv")
    ea.add_argument("--status", required=True, help=_one_of(enums.EventStatus))
    ea.add_argument("--date", help="first day (YYYY-MM-DD)")
    ea.add_argument("--date-end", help="last day (default: --date)")
    ea.add_argument("--precision", help=_one_of(enums.DatePrecision) + " (default: day when dated and not open)")
    ea.add_argument("--duration-days", type=int, help="how many days the event lasted, when the window is wider "
                    "than the event (a call on some day of a week: 1)")
    ea.add_argument("--open", choices=[s.value for s in enums.DateOpenSide],
                    help="a one-sided window: start ('before ...': give --date-end only) or end (under way, or "
                    "'after ...': give --date only)")
    ea.add_argument("--basis", required=True, help=_one_of(enums.DateBasis))
    ea.add_argument("--date-note", help="the words and the anchor the date comes from")
    ea.add_argument("--location", help="where it took place, e.g. Washington")
    ea.add_argument("--country", help="ISO 3166-1 alpha-3 code of that place, e.g. USA")
    ea.add_argument("--summary", required=True, help="one sentence saying what happened (or is planned)")
    ea.add_argument("--participant", action="append", default=[],
                    help="ACTOR:ROLE[:CAPACITY], e.g. recep-tayyip-erdogan:participant:president")
    ea.set_defaults(func=_cmd_event_add)

    topic = _registry_commands(sub, "topic", "topic", "words of the ID, label or description")
    ta = topic.add_parser("add", help="add a topic to seeds/registry/topics.yaml (comments and order kept)")
    ta.add_argument("--seeds", default="seeds", help="annotation sources (default: seeds)")
    ta.add_argument("--id", required=True, help="lowercase slug, e.g. black-sea-grain-deal")
    ta.add_argument("--label", required=True, help="a short name, e.g. 'Black Sea grain deal'")
    ta.add_argument("--description", required=True, help="one sentence saying what the topic covers")
    ta.set_defaults(func=_cmd_topic_add)

    st = sub.add_parser("status", help="each article's confirmed annotations and open suggestions")
    st.add_argument("--seeds", default="seeds", help="annotation sources (default: seeds)")
    st.set_defaults(func=_cmd_status)

    formats = interchange_formats()
    ex = sub.add_parser("export", help="write articles with every span layer for an annotation tool (brat, ...)")
    ex.add_argument("--format", required=True, choices=formats, help="the tool's format")
    ex.add_argument("--article", action="append", default=[], help="an article ID (repeatable; default: all)")
    ex.add_argument("--seeds", default="seeds", help="annotation sources (default: seeds)")
    ex.add_argument("--out", required=True, help="folder to write the texts, annotations and tool configuration to")
    ex.set_defaults(func=_cmd_export)

    im = sub.add_parser("import", help="turn an annotation tool's export back into seeds/annotations/*.yaml")
    im.add_argument("--format", required=True, choices=formats, help="the tool's format")
    reads = "; ".join(f"{name}: {what}" for name, what in formats.items())
    im.add_argument("path", help=f"what the tool exported ({reads})")
    im.add_argument("--seeds", default="seeds", help="annotation sources (default: seeds)")
    im.add_argument("--date", type=_date, help="for a text not yet in the corpus: its stated publication date "
                    "(it is then added as `diplonews new` adds one)")
    im.add_argument("--date-earliest", type=_date, help="for a new text, with --date-basis inferred")
    im.add_argument("--date-latest", type=_date, help="for a new text, with --date-basis inferred")
    im.add_argument("--date-basis", choices=[b.value for b in enums.PublishedDateBasis], help="for a new text")
    im.add_argument("--title", help="for a new text: its headline")
    im.add_argument("--outlet", help="for a new text: the outlet that published it")
    im.add_argument("--note", action="append", default=[], help="for a new text: a note (repeatable)")
    im.set_defaults(func=_cmd_import)

    s = sub.add_parser("schema", help="regenerate JSON Schemas, DDL, Arrow schemas and docs from the models")
    s.add_argument("--check", action="store_true", help="only report files that are out of date")
    s.add_argument("--root", default=".", help="repository root (default: .)")
    s.set_defaults(func=_cmd_schema)

    r = sub.add_parser("rules", help="list every validation rule with its severity and purpose")
    r.add_argument("--format", choices=["text", "json"], default="text",
                   help="text, or json with what each rule checks: source files, dataset files or tables")
    r.set_defaults(func=_cmd_rules)

    rel = sub.add_parser("release", help="build, validate and pack dist/diplonews-data-<version>.tar.gz")
    rel.add_argument("--seeds", default="seeds", help="annotation sources (default: seeds)")
    rel.add_argument("--dist", default="dist", help="output folder (default: dist)")
    rel.add_argument("--repo", default=".", help="folder with CHANGELOG.md and CITATION.cff (default: .)")
    rel.add_argument("--variant", choices=["standoff", "full"], default="standoff",
                     help="standoff (default, published): texts diplonews may not redistribute withheld; "
                          "full: every text, for private use (diplonews-data-<version>-full.tar.gz)")
    rel.add_argument("--shards", type=int, default=1, metavar="N",
                     help="the tables keyed by article_id as N files each, as 'build --shards' (default: 1)")
    rel.set_defaults(func=_cmd_release)

    hy = sub.add_parser("hydrate", help="put the texts you have back into a standoff dataset, matched by SHA-256")
    hy.add_argument("standoff", help="folder of an unpacked standoff release")
    hy.add_argument("--texts", required=True, help="folder with the texts (any names; matched by SHA-256)")
    hy.add_argument("--out", help="new folder for the hydrated dataset (default: STANDOFF-full)")
    hy.set_defaults(func=_cmd_hydrate)

    dl = sub.add_parser("download", help="fetch a release, verify its SHA-256 and cache it; prints its folder")
    dl.add_argument("--version", help="dataset version (default: this package's)")
    dl.add_argument("--url", help="base URL of the release folder (default: the project's releases)")
    dl.add_argument("--cache-dir", help="cache folder (default: $DIPLONEWS_DATA_DIR or the user cache)")
    dl.add_argument("--variant", choices=["standoff", "full"], default="standoff",
                    help="standoff (default: texts not redistributable withheld) or full")
    dl.set_defaults(func=_cmd_download)

    si = sub.add_parser("site", help="generate the static evidence browser from a built dataset (and serve it)")
    si.add_argument("dataset", nargs="?", default="dataset", help="built dataset folder (default: dataset)")
    si.add_argument("--out", default="site-build", help="output folder, replaced as a whole (default: site-build)")
    si.add_argument("--page-size", type=int, default=500, help="rows per index page (default: 500)")
    si.add_argument("--serve", action="store_true", help="then serve it on http://127.0.0.1:PORT/ until Ctrl-C")
    si.add_argument("--port", type=int, default=8000, help="port for --serve (default: 8000; 0 picks a free one)")
    si.set_defaults(func=_cmd_site)
    return p


def _os_error(exc: OSError) -> str:
    """One line for a failure of the machine (full disk, no permission), with what to do."""
    where = f": {exc.filename}" if exc.filename else ""
    hint = {errno.ENOSPC: "free some space, then run the command again",
            errno.EACCES: "check the permissions of that path",
            errno.EPERM: "check the permissions of that path",
            errno.EROFS: "the file system is read-only: use another folder"}.get(exc.errno or 0)
    return f"error: {exc.strerror or exc}{where}; nothing was changed" + (f"\n  hint: {hint}" if hint else "")


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so a terminated command cleans up as after Ctrl-C


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``diplonews`` command: a user's mistake, an interruption or a failure of
    the machine is one message and an exit status, never a traceback."""
    args = parser().parse_args(argv)
    in_main = threading.current_thread() is threading.main_thread()  # only there can signals be handled
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        status = args.func(args)
        sys.stdout.flush()  # a reader that has gone is noticed here, not at interpreter exit
        return status
    except UserError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing was changed", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) has gone: stop quietly, and keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:
        print(_os_error(exc), file=sys.stderr)
        return 1
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
