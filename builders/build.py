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

import pyarrow as pa

from diplonews.validators.dataset import validate_dataset
from diplonews.validators.findings import Report

from .cache import BuildCache
from .compile import Compiled, compile_sources
from .croissant import croissant
from .figures import figures
from .package import card_facts, datapackage, dataset_card, sha256sums
from .tables import finalize, write_json, write_parquet


@dataclass
class BuildResult:
    """What a build did: the validation report, and whether the output was replaced."""

    report: Report
    written: bool
    counts: dict[str, int]


def _write_tables(tables: dict[str, pa.Table], folder: Path) -> None:
    (folder / "parquet").mkdir(parents=True)
    (folder / "json").mkdir()
    for name, table in tables.items():
        write_parquet(table, folder / "parquet" / f"{name}.parquet")
        write_json(folder / "parquet" / f"{name}.parquet", folder / "json" / f"{name}.json")


FIGURE_TABLES = ("actors", "events", "event_participants", "demands")
"""Tables the pictures are drawn from."""


def _write_metadata(tables: dict[str, pa.Table], folder: Path) -> None:
    """Descriptors, pictures and card. Order matters: each file lists the hashes of those before it,
    and SHA256SUMS comes last."""
    (folder / "datapackage.json").write_text(datapackage(folder), encoding="utf-8")
    pictures = figures({name: tables[name].to_pylist() for name in FIGURE_TABLES})
    (folder / "figures").mkdir()
    for rel, figure in pictures.items():
        (folder / rel).write_text(figure.svg, encoding="utf-8")
    facts = card_facts(tables)
    (folder / "README.md").write_text(dataset_card(facts, pictures), encoding="utf-8")
    (folder / "croissant.json").write_text(croissant(folder, facts.languages), encoding="utf-8")
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


def _tables(compiled: Compiled) -> dict[str, pa.Table]:
    return {name: finalize(name, table) for name, table in compiled.tables().items()}


def build(seeds: Path, out: Path, use_cache: bool = True) -> BuildResult:
    """Compile ``seeds`` and, if no rule reports an error, replace ``out`` with the new dataset.

    With ``use_cache``, files unchanged since the last successful build into ``out`` are reused
    from its cache (``.<out>.cache`` beside it); the output is byte-identical either way.
    """
    seeds, out = Path(seeds), Path(out)
    cache = BuildCache.for_output(out) if use_cache else None
    compiled = compile_sources(seeds, cache=cache)
    report = compiled.report
    if not report.ok:
        return BuildResult(report, False, {name: t.num_rows for name, t in compiled.tables().items()})
    tables = _tables(compiled)
    counts = {name: t.num_rows for name, t in tables.items()}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    try:
        _write_tables(tables, tmp)
        report.extend(validate_dataset(tmp))
        if not report.ok:
            return BuildResult(report, False, counts)
        _write_metadata(tables, tmp)
        _swap(tmp, out)
        if cache is not None:
            state = compiled.cache_state
            cache.save(state["registry"], state["articles"], state["ids"], tables)
        return BuildResult(report, True, counts)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
