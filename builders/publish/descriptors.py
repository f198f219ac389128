"""Publish: the files that describe a dataset folder, written once its tables passed every rule."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from diplonews.builders.publish.croissant import croissant
from diplonews.builders.publish.figures import figures
from diplonews.builders.publish.package import card_facts, datapackage, dataset_card, sha256sums
from diplonews.builders.write.output import MARKER, MARKER_TEXT
from diplonews.builders.write.shards import shards_in
from diplonews.files import FileHashes


def describe(tables: dict[str, pa.Table], folder: Path, hashes: FileHashes) -> None:
    """Write the descriptors, pictures, card, marker and checksums of a dataset folder whose tables are
    written. Order matters: each file lists the hashes of those before it,
    and SHA256SUMS comes last. Whether the tables are sharded is read from the folder."""
    shards = shards_in(folder)
    (folder / "datapackage.json").write_text(datapackage(folder, hashes, shards), encoding="utf-8")
    pictures = figures(tables)
    (folder / "figures").mkdir()
    for rel, figure in pictures.items():
        (folder / rel).write_text(figure.svg, encoding="utf-8")
    facts = card_facts(tables)
    (folder / "README.md").write_text(dataset_card(facts, pictures, shards), encoding="utf-8")
    (folder / "croissant.json").write_text(croissant(folder, facts.languages, hashes, shards), encoding="utf-8")
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    (folder / "SHA256SUMS").write_text(sha256sums(folder, hashes), encoding="utf-8")
