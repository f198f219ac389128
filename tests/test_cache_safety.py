"""The build cache is never trusted: a damaged, foreign or crafted cache file is a cache miss, the build
gives the same bytes as one without cache, and no cache file can run code."""

from __future__ import annotations

import os
import pickle
import random
from pathlib import Path

import pytest

from diplonews import cli
from diplonews.builders.incremental import BuildCache, registry_entry_name, write_checked
from diplonews.builders.pipeline import build

from .conftest import REPO

DAMAGED_REGISTRY = "seeds/registry/actors.yaml"
TOUCHED_REGISTRY = "topics.yaml"


@pytest.fixture
def seeds_copy(seeds_here) -> Path:
    """Given as ``seeds`` from beside it (conftest's seeds_here), so its files are named as the constants here."""
    return seeds_here


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    """The files of a build of the seeds without cache."""
    out = tmp_path_factory.mktemp("reference") / "dataset"
    assert build(REPO / "seeds", out, use_cache=False).written
    return _files(out)


def _cache_file(out: Path, kind: str) -> Path:
    cache = BuildCache.for_output(out)
    if kind == "registry entry":
        sha = cache.manifest["registry"][DAMAGED_REGISTRY]
        return cache.folder / "registry" / registry_entry_name(DAMAGED_REGISTRY, sha)
    return cache.folder / f"{kind}.msgpack"


def _hit(out: Path, kind: str) -> bool:
    """Whether the cache of ``out`` serves what a file of this kind holds."""
    cache = BuildCache.for_output(out)
    if kind == "manifest":
        return bool(cache.manifest)
    if kind == "ids":
        return cache.registry_ids() is not None
    sha = cache.manifest["registry"][DAMAGED_REGISTRY]
    return cache.registry_result(DAMAGED_REGISTRY, sha) is not None


def _touch_registry(seeds: Path) -> None:
    """Change a registry file's bytes but not its rows, so the next build reads the cached IDs too."""
    with open(seeds / "registry" / TOUCHED_REGISTRY, "a", encoding="utf-8") as fh:
        fh.write("# touched\n")


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


DAMAGES = {
    "first byte flipped": lambda b: _flip(b, 0),
    "middle byte flipped": lambda b: _flip(b, len(b) // 2),
    "last byte flipped": lambda b: _flip(b, len(b) - 1),
    "truncated": lambda b: b[: len(b) // 2],
    "empty": lambda b: b"",
    "garbage": lambda b: random.Random(len(b)).randbytes(len(b)),
}


@pytest.mark.parametrize("kind", ["manifest", "registry entry", "ids"])
def test_a_damaged_cache_file_is_a_miss_and_the_build_the_same(kind, seeds_copy, tmp_path, reference):
    """One flipped byte anywhere, a truncated, empty or garbage file: each is a miss (a flipped byte may
    still decode, into other rows, so every file carries its hash), and the next build, which reads every
    kind of cache file, writes what a build without cache writes."""
    out = tmp_path / "dataset"
    assert build(seeds_copy, out).written
    for name, damage in DAMAGES.items():
        assert _hit(out, kind), name
        path = _cache_file(out, kind)
        path.write_bytes(damage(path.read_bytes()))
        assert not _hit(out, kind), name
        _touch_registry(seeds_copy)
        assert build(seeds_copy, out).written, name
        assert _files(out) == reference, name


class _Plant:
    """Unpickled, creates the folder ``marker``: what a crafted pickle can do (and worse)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (str(self.marker),)


def test_a_crafted_pickle_in_the_cache_never_runs(seeds_copy, tmp_path, reference):
    proof = tmp_path / "proof"
    pickle.loads(pickle.dumps(_Plant(proof)))  # noqa: S301 - shows the file would run code if unpickled
    assert proof.is_dir()
    marker = tmp_path / "marker"
    crafted = pickle.dumps(_Plant(marker))
    out = tmp_path / "dataset"
    assert build(seeds_copy, out).written
    cache = BuildCache.for_output(out)
    registry = cache.manifest["registry"]
    # Where the pickle cache kept its files, and the new names: raw, and behind a valid hash.
    (cache.folder / "manifest.pickle").write_bytes(crafted)
    (cache.folder / "ids.pickle").write_bytes(crafted)
    for sha in registry.values():
        (cache.folder / "registry" / f"{sha}.pickle").write_bytes(crafted)
    for path in [cache.folder / "ids.msgpack", *(cache.folder / "registry").glob("*.msgpack")]:
        path.write_bytes(crafted)
    write_checked(cache.folder / "manifest.msgpack", crafted)
    _touch_registry(seeds_copy)
    assert build(seeds_copy, out).written
    assert _files(out) == reference
    cache = BuildCache.for_output(out)
    for rel, sha in registry.items():
        write_checked(cache.folder / "registry" / registry_entry_name(rel, sha), crafted)
    write_checked(cache.folder / "ids.msgpack", crafted)
    _touch_registry(seeds_copy)
    assert build(seeds_copy, out).written
    assert _files(out) == reference
    assert not marker.exists()


def _foreign_manifests(key: str, good: dict) -> list[dict]:
    """Well-formed MessagePack of the manifest's key, other types inside."""
    article = next(iter(good["articles"]))
    return [
        {"key": key},
        {**good, "articles": {article: 5}},
        {**good, "articles": {article: {**good["articles"][article], "findings": [{"rule": "r"}]}}},
        {**good, "articles": {article: {**good["articles"][article], "digest": None}}},
        {**good, "shas": {rel: 7 for rel in good["shas"]}},
        {**good, "shas": {rel: [["a", "b"], sha] for rel, (_, sha) in good["shas"].items()}},
        {**good, "outputs": {name: {"signature": 1, "files": []} for name in good["outputs"]}},
        {**good, "registry": [1, 2]},
        [good],
    ]


def test_a_well_formed_manifest_with_other_types_is_a_miss(seeds_copy, tmp_path, reference):
    out = tmp_path / "dataset"
    assert build(seeds_copy, out).written
    cache = BuildCache.for_output(out)
    for manifest in _foreign_manifests(cache.key, cache.manifest):
        write_checked(cache.folder / "manifest.msgpack", manifest)
        assert BuildCache.for_output(out).manifest == {}, manifest
        assert build(seeds_copy, out).written
        assert _files(out) == reference


def test_registry_entries_and_ids_of_other_shapes_are_a_miss(seeds_copy, tmp_path):
    """An entry under the right name that is not this registry file's result with the tables' schemas,
    or IDs that are not three sets of strings, are not used."""
    import pyarrow as pa

    out = tmp_path / "dataset"
    assert build(seeds_copy, out).written
    cache = BuildCache.for_output(out)
    sha = cache.manifest["registry"][DAMAGED_REGISTRY]
    path = cache.folder / "registry" / registry_entry_name(DAMAGED_REGISTRY, sha)
    good = cache.registry_result(DAMAGED_REGISTRY, sha)
    other_schema = pa.table({"actor_id": pa.array([1])})
    for entry in [
        {**vars(good), "file": "seeds/registry/topics.yaml"},
        {**vars(good), "kind": "planets"},
        {**vars(good), "tables": {**good.tables, "actors": other_schema}},
        {**vars(good), "tables": {name: t for name, t in good.tables.items() if name != "actors"}},
        {**vars(good), "tables": {**good.tables, "actors": "/etc/passwd"}},
        {**vars(good), "tables": {**good.tables, "actors": b"not Arrow"}},
        {**vars(good), "ids": [["an-id", "line"]]},
        {**vars(good), "findings": [{"rule": "r", "severity": "fatal", "message": "m"}]},
    ]:
        write_checked(path, entry)
        assert cache.registry_result(DAMAGED_REGISTRY, sha) is None, entry
    good_ids = cache.registry_ids()
    for ids in [{"actor": good_ids["actor"]}, {**good_ids, "event": [1, 2]}, sorted(good_ids["topic"])]:
        write_checked(cache.folder / "ids.msgpack", ids)
        assert cache.registry_ids() is None, ids


def test_actor_add_then_build_after_the_cache_is_damaged(seeds_copy, tmp_path, capsys):
    """`diplonews actor add` never reads the cache; the build after it, whose registry changed, reads every
    cache file (the IDs too) and treats the damaged ones as misses."""
    out = tmp_path / "dataset"
    assert build(seeds_copy, out).written
    cache = BuildCache.for_output(out)
    for path in cache.folder.rglob("*.msgpack"):
        path.write_bytes(b"\x80" + path.read_bytes()[1:])  # one byte, and not UTF-8
    assert cli.main(["actor", "add", "--seeds", str(seeds_copy), "--id", "kaja-kallas", "--name", "Kaja Kallas",
                     "--type", "person", "--country", "EST", "--alias", "Kallas"]) == 0
    assert "added actor kaja-kallas" in capsys.readouterr().out
    assert build(seeds_copy, out).written
    fresh = tmp_path / "fresh"
    assert build(seeds_copy, fresh, use_cache=False).written
    assert _files(out) == _files(fresh)


def test_a_cache_folder_that_is_a_file_is_a_miss_and_replaced(seeds_copy, tmp_path, reference):
    out = tmp_path / "dataset"
    folder = BuildCache.for_output(out).folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_bytes(b"not a folder")
    assert build(seeds_copy, out).written
    assert _files(out) == reference
    assert BuildCache.for_output(out).manifest


def test_registry_entries_read_intact_are_kept_and_others_written(seeds_copy, tmp_path):
    """A build keeps the entries it read intact (the same files, not encoded again) and writes the rest."""
    rel = f"seeds/registry/{TOUCHED_REGISTRY}"

    def entries() -> tuple[dict[str, int], str]:
        cache = BuildCache.for_output(out)
        inodes = {p.name: p.stat().st_ino for p in (cache.folder / "registry").iterdir()}
        return inodes, registry_entry_name(rel, cache.manifest["registry"][rel])

    out = tmp_path / "dataset"
    assert build(seeds_copy, out).written
    before, old = entries()
    _touch_registry(seeds_copy)
    assert build(seeds_copy, out).written
    after, new = entries()
    assert set(after) == set(before) - {old} | {new}
    assert all(after[name] == before[name] for name in after if name != new)
