"""Findings (what a rule reports) and the report that collects them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    """error: the build stops and validate exits 1; warning: reported, nothing stops."""

    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem found by a rule, with where it is and how to fix it."""

    rule: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    table: str | None = None
    key: str | None = None
    hint: str | None = None

    def location(self) -> str:
        """Where to look: 'file:line', 'table[key]', both as 'file:line (table[key])', or ''."""
        place = (f"{self.file}:{self.line}" if self.line else self.file) if self.file else ""
        row = (f"{self.table}[{self.key}]" if self.key else self.table) if self.table else ""
        return f"{place} ({row})" if place and row else place or row

    def render(self) -> str:
        """One human-readable line (plus a hint line when there is a hint)."""
        loc = self.location()
        text = f"{self.severity.value.upper()} {loc + ': ' if loc else ''}[{self.rule}] {self.message}"
        return text + (f"\n    hint: {self.hint}" if self.hint else "")


@dataclass
class Report:
    """All findings of a validation run, and the rules that ran."""

    findings: list[Finding] = field(default_factory=list)
    rules_run: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # exact violations per rule, where listed findings are capped

    @property
    def errors(self) -> list[Finding]:
        """Findings of severity error."""
        return [f for f in self.findings if f.severity is Severity.error]

    @property
    def warnings(self) -> list[Finding]:
        """Findings of severity warning."""
        return [f for f in self.findings if f.severity is Severity.warning]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def extend(self, other: Report) -> None:
        """Add another report's findings and rules."""
        self.findings.extend(other.findings)
        self.rules_run.extend(r for r in other.rules_run if r not in self.rules_run)
        self.counts.update(other.counts)

    def by_rule(self) -> dict[str, int]:
        """Number of violations per rule name (exact, even where the listed findings are capped)."""
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.rule] = counts.get(f.rule, 0) + 1
        counts.update({rule: n for rule, n in self.counts.items() if n})
        return counts

    def render(self, limit: int | None = None) -> str:
        """Readable report: findings (errors first), then a summary line."""
        ordered = self.errors + self.warnings
        shown = ordered if limit is None else ordered[:limit]
        lines = [f.render() for f in shown]
        if len(shown) < len(ordered):
            lines.append(f"... and {len(ordered) - len(shown)} more")
        lines.append(
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s) from {len(self.rules_run)} rule(s)"
        )
        return "\n".join(lines)

    def to_json(self) -> str:
        """Machine-readable report."""
        return json.dumps(
            {
                "ok": self.ok,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "rules_run": self.rules_run,
                "violations_by_rule": self.by_rule(),
                "findings": [{**asdict(f), "severity": f.severity.value} for f in self.findings],
            },
            indent=2,
            ensure_ascii=False,
        )


def finding_to_dict(f: Finding) -> dict:
    """A finding as JSON-ready data."""
    return {**asdict(f), "severity": f.severity.value}


def finding_from_dict(d: dict) -> Finding:
    """The inverse of :func:`finding_to_dict`."""
    return Finding(**{**d, "severity": Severity(d["severity"])})
