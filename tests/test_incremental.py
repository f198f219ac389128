"""Incremental builds: unchanged files come from the build cache, and the output is the same bytes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from diplonews.builders.build import build
from diplonews.builders.cache import BuildCache

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "fidan-kallas-call.txt"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _cached_build(seeds: Path, out: Path, monkeypatch) -> tuple[bool, set[str]]:
    """Build with the cache, recording which annotation files were compiled (not reused)."""
    from diplonews.builders import compile as compile_module

    compiled: set[str] = set()
    original = compile_module._Compiler.compile_file

    def spy(self, path):
        compiled.add(path.name)
        return original(self, path)

    monkeypatch.setattr(compile_module._Compiler, "compile_file", spy)
    monkeypatch.setattr(compile_module, "PARALLEL_MIN_FILES", 10**9)  # in-process, so the spy sees every file
    result = build(seeds, out)
    return result.written, compiled


def test_cached_build_reuses_everything_and_is_byte_identical(seeds_copy, tmp_path, monkeypatch):
    out = tmp_path / "dataset"
    assert _cached_build(seeds_copy, out, monkeypatch)[0]
    first = _files(out)
    written, compiled = _cached_build(seeds_copy, out, monkeypatch)
    assert written and compiled == set()
    assert _files(out) == first
    fresh = tmp_path / "fresh"
    assert build(seeds_copy, fresh, use_cache=False).written
    assert _files(fresh) == first


def test_only_changed_and_new_files_are_compiled(seeds_copy, tmp_path, monkeypatch):
    from diplonews import api

    out = tmp_path / "dataset"
    build(seeds_copy, out)
    made = api.new_article(seeds_copy, EXAMPLE, date=date(2025, 6, 14))
    # delete the suggestions so the new article is clean
    text = made.annotation_path.read_text(encoding="utf-8")
    made.annotation_path.write_text(text[: text.index("suggestions:")] + "suggestions: []\n", encoding="utf-8")
    written, compiled = _cached_build(seeds_copy, out, monkeypatch)
    assert written and compiled == {made.annotation_path.name}
    fresh = tmp_path / "fresh"
    assert build(seeds_copy, fresh, use_cache=False).written
    assert _files(out) == _files(fresh)


def test_changed_text_or_removed_registry_id_recompiles(seeds_copy, tmp_path, monkeypatch):
    out = tmp_path / "dataset"
    build(seeds_copy, out)
    # an unused topic removed from the registry: every article could have referenced it
    topics = seeds_copy / "registry" / "topics.yaml"
    text = topics.read_text(encoding="utf-8")
    start = text.index("  - id: balkans-stability")
    end = text.index("  - id:", start + 5)
    topics.write_text(text[:start] + text[end:], encoding="utf-8")
    written, compiled = _cached_build(seeds_copy, out, monkeypatch)
    assert len(compiled) == 5  # all five articles compiled again
    assert not written  # and the one that used the topic is reported


def test_cache_from_other_code_is_ignored(seeds_copy, tmp_path):
    out = tmp_path / "dataset"
    build(seeds_copy, out)
    cache = BuildCache.for_output(out)
    assert cache.manifest
    cache.key = "different code"
    manifest = (cache.folder / "manifest.json").read_text()
    (cache.folder / "manifest.json").write_text(manifest.replace(BuildCache.for_output(out).key, "old-code"))
    assert BuildCache.for_output(out).manifest == {}


def test_entries_left_by_other_code_are_never_reused(seeds_copy, tmp_path):
    import json
    import pickle

    out = tmp_path / "dataset"
    assert build(seeds_copy, out).written
    cache = BuildCache.for_output(out)
    # what a cache written by an older version looks like: another key, entries in another format
    for path in (cache.folder / "registry").glob("*.pickle"):
        path.write_bytes(pickle.dumps({"rows": "old format"}))
    manifest = json.loads((cache.folder / "manifest.json").read_text())
    manifest["key"] = "older code"
    (cache.folder / "manifest.json").write_text(json.dumps(manifest))
    assert build(seeds_copy, out).written  # ignores the old cache, writes a new one
    assert build(seeds_copy, out).written  # and the new one is usable
    for path in (cache.folder / "registry").glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    assert build(seeds_copy, out).written  # an unreadable entry is a miss, not an error
