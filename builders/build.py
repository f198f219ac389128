"""``diplonews build``: sources -> validated Parquet/JSON tables, descriptors, pictures, checksums and card.

Everything is written to a temporary folder next to the output and swapped in
only when validation passes, so a failed build leaves the previous dataset intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from diplonews.validators.dataset import validate_dataset
from diplonews.validators.findings import Report

from .compile import compile_sources
from .croissant import croissant
from .figures import figures
from .package import datapackage, dataset_card, sha256sums
from .tables import json_text, sorted_rows, to_arrow, write_parquet


@dataclass
class BuildResult:
    """What a build did: the validation report, and whether the output was replaced."""

    report: Report
    written: bool
    counts: dict[str, int]


def _write_all(rows: dict[str, list[dict]], folder: Path) -> None:
    (folder / "parquet").mkdir(parents=True)
    (folder / "json").mkdir()
    for name, table_rows in rows.items():
        write_parquet(to_arrow(name, table_rows), folder / "parquet" / f"{name}.parquet")
        (folder / "json" / f"{name}.json").write_text(json_text(table_rows), encoding="utf-8")


def _write_metadata(rows: dict[str, list[dict]], folder: Path) -> None:
    """Descriptors, pictures and card. Order matters: each file lists the hashes of those before it,
    and SHA256SUMS comes last."""
    (folder / "datapackage.json").write_text(datapackage(folder), encoding="utf-8")
    pictures = figures(rows)
    (folder / "figures").mkdir()
    for rel, figure in pictures.items():
        (folder / rel).write_text(figure.svg, encoding="utf-8")
    (folder / "README.md").write_text(dataset_card(rows, pictures), encoding="utf-8")
    languages = sorted({a["language"] for a in rows["articles"]})
    (folder / "croissant.json").write_text(croissant(folder, languages), encoding="utf-8")
    (folder / "SHA256SUMS").write_text(sha256sums(folder), encoding="utf-8")


def _swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new``; the old folder is moved aside first and removed last."""
    old = out.with_name(out.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    if old.exists():
        shutil.rmtree(old)


def build(seeds: Path, out: Path) -> BuildResult:
    """Compile ``seeds`` and, if no rule reports an error, replace ``out`` with the new dataset."""
    seeds, out = Path(seeds), Path(out)
    compiled = compile_sources(seeds)
    report = compiled.report
    rows = sorted_rows(compiled.rows)
    counts = {name: len(r) for name, r in rows.items()}
    if not report.ok:
        return BuildResult(report, False, counts)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    try:
        _write_all(rows, tmp)
        report.extend(validate_dataset(tmp))
        if not report.ok:
            return BuildResult(report, False, counts)
        _write_metadata(rows, tmp)
        _swap(tmp, out)
        return BuildResult(report, True, counts)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
