"""The ``diplonews`` command: a thin layer over :mod:`diplonews.api`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _cmd_build(args: argparse.Namespace) -> int:
    from diplonews.api import build

    result = build(args.seeds, args.out)
    print(result.report.render(limit=args.limit))
    if not result.written:
        print(f"build failed: {args.out} left unchanged", file=sys.stderr)
        return 1
    counts = ", ".join(f"{n} {t}" for t, n in result.counts.items() if n)
    print(f"built {args.out}: {counts}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from diplonews.api import validate
    from diplonews.validators.findings import Report

    targets = [Path(p) for p in args.paths] or [Path("seeds"), Path("dataset")]
    report = Report()
    for target in targets:
        if not target.is_dir():
            print(f"error: {target} is not a folder", file=sys.stderr)
            return 2
        report.extend(validate(target))
    print(report.to_json() if args.format == "json" else report.render(limit=args.limit))
    return 0 if report.ok else 1


def _cmd_schema(args: argparse.Namespace) -> int:
    from diplonews.schema.generate import drifted, write_generated

    root = Path(args.root)
    if args.check:
        stale = drifted(root)
        for rel in stale:
            print(f"out of date: {rel}")
        print("generated files are up to date" if not stale else "run 'diplonews schema' to regenerate")
        return 1 if stale else 0
    for rel in write_generated(root):
        print(f"wrote {rel}")
    return 0


def _cmd_rules(args: argparse.Namespace) -> int:
    from diplonews.validators.dataset_rules import RULES
    from diplonews.validators.source_rules import SOURCE_RULES

    for rule in (*SOURCE_RULES, *RULES):
        print(f"{rule.name:34} {rule.severity.value:8} {rule.why}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for docs and tests)."""
    p = argparse.ArgumentParser(prog="diplonews", description="Build, validate and load the diplonews dataset.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="compile seeds/ into a validated dataset/")
    b.add_argument("--seeds", default="seeds", help="annotation sources (default: seeds)")
    b.add_argument("--out", default="dataset", help="output folder (default: dataset)")
    b.add_argument("--limit", type=int, default=50, help="findings to print (default: 50)")
    b.set_defaults(func=_cmd_build)

    v = sub.add_parser("validate", help="check sources (a seeds folder) or a built dataset folder")
    v.add_argument("paths", nargs="*", help="seeds and/or dataset folders (default: seeds dataset)")
    v.add_argument("--format", choices=["text", "json"], default="text")
    v.add_argument("--limit", type=int, default=200, help="findings to print in text format (default: 200)")
    v.set_defaults(func=_cmd_validate)

    s = sub.add_parser("schema", help="regenerate JSON Schemas, DDL, Arrow schemas and docs from the models")
    s.add_argument("--check", action="store_true", help="only report files that are out of date")
    s.add_argument("--root", default=".", help="repository root (default: .)")
    s.set_defaults(func=_cmd_schema)

    r = sub.add_parser("rules", help="list every validation rule with its severity and purpose")
    r.set_defaults(func=_cmd_rules)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``diplonews`` command."""
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
