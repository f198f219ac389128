"""Incremental builds: unchanged files come from the build cache, and the output is the same bytes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from diplonews.builders.incremental import BuildCache, write_checked
from diplonews.builders.pipeline import build

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "fidan-kallas-call.txt"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _cached_build(seeds: Path, out: Path, monkeypatch) -> tuple[bool, set[str]]:
    """Build with the cache, recording which annotation files were compiled (not reused)."""
    from diplonews.builders.compile import corpus as compile_module

    compiled: set[str] = set()
    original = compile_module.compile_article_file

    def spy(path, *args):
        compiled.add(path.name)
        return original(path, *args)

    monkeypatch.setattr(compile_module, "compile_article_file", spy)
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
    path = cache.folder / "manifest.msgpack"
    write_checked(path, {**cache.manifest, "key": "old-code"})
    assert BuildCache.for_output(out).manifest == {}
    path.write_bytes(b"not MessagePack")
    assert BuildCache.for_output(out).manifest == {}


def test_entries_left_by_other_code_are_never_reused(seeds_copy, tmp_path):
    out = tmp_path / "dataset"
    assert build(seeds_copy, out).written
    cache = BuildCache.for_output(out)
    # what a cache written by an older version looks like: another key, entries in another format
    for path in (cache.folder / "registry").glob("*.msgpack"):
        write_checked(path, {"rows": "old format"})
    write_checked(cache.folder / "manifest.msgpack", {**cache.manifest, "key": "older code"})
    assert build(seeds_copy, out).written  # ignores the old cache, writes a new one
    assert build(seeds_copy, out).written  # and the new one is usable
    for path in (cache.folder / "registry").glob("*.msgpack"):
        path.write_bytes(b"not MessagePack")
    assert build(seeds_copy, out).written  # an unreadable entry is a miss, not an error


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_unchanged_tables_are_linked_and_changed_ones_written(seeds_copy, tmp_path, monkeypatch):
    """Adding an article leaves the registry and codebook tables' files as they were (the same inodes);
    the article tables are written anew; the result equals a build without cache."""
    from diplonews import api

    out = tmp_path / "dataset"
    build(seeds_copy, out)
    before = _inodes(out)
    made = api.new_article(seeds_copy, EXAMPLE, date=date(2025, 6, 14))
    text = made.annotation_path.read_text(encoding="utf-8")
    made.annotation_path.write_text(text[: text.index("suggestions:")] + "suggestions: []\n", encoding="utf-8")
    assert _cached_build(seeds_copy, out, monkeypatch)[0]
    after = _inodes(out)
    same = {rel for rel in before if after.get(rel) == before[rel]}
    assert same == {f"{d}/{t}.{e}" for t in ("actors", "actor_aliases", "actor_roles", "topics", "events",
                                            "event_participants", "cameo_codes", "plover_types", "event_types")
                    for d, e in (("parquet", "parquet"), ("json", "json"))}
    fresh = tmp_path / "fresh"
    assert build(seeds_copy, fresh, use_cache=False).written
    assert _files(out) == _files(fresh)


def test_incremental_report_equals_a_full_one(seeds_copy, tmp_path, monkeypatch):
    """Validated incrementally (errors only where something changed), a build still reports exactly
    what a full build reports: here the new article's warnings and an orphan topic's."""
    from diplonews import api
    from diplonews.builders import pipeline as build_module

    out = tmp_path / "dataset"
    build(seeds_copy, out)
    made = api.new_article(seeds_copy, EXAMPLE, date=date(2025, 6, 14))  # keeps its open suggestions
    topics = seeds_copy / "registry" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "  - id: zz-unused-topic\n    label: Unused\n"
                      "    description: A topic nothing is about.\n", encoding="utf-8")
    seen = []
    original = build_module.validate_dataset
    monkeypatch.setattr(build_module, "validate_dataset", lambda folder, changes, **kw: seen.append(changes)
                        or original(folder, changes=changes, **kw))
    incremental = build(seeds_copy, out)
    assert seen[0].changed_articles == {made.article_id} and "events" in seen[0].unchanged_tables
    monkeypatch.undo()
    full = build(seeds_copy, tmp_path / "fresh", use_cache=False)
    assert incremental.written and full.written
    assert {"no_orphan_topic", "open_suggestions"} <= set(full.report.by_rule())
    assert incremental.report.findings == full.report.findings
    assert incremental.report.counts == full.report.counts
    assert made.article_id in {f.file.split("/")[-1].removesuffix(".yaml") for f in full.report.findings if f.file}


def test_a_tampered_output_file_is_never_reused(seeds_copy, tmp_path, monkeypatch):
    """An output file edited since the build (events' JSON, the article rows' Parquet) is rebuilt from
    the sources, and every article is compiled again: the cache never trusts a changed file."""
    import os

    out = tmp_path / "dataset"
    build(seeds_copy, out)
    first = _files(out)
    for rel in ("json/events.json", "parquet/actor_mentions.parquet"):
        # the same size, and the modification time set back: only the change time tells
        st = (out / rel).stat()
        (out / rel).write_bytes((out / rel).read_bytes()[:-10] + b"0123456789")
        os.utime(out / rel, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert (out / rel).stat().st_size == st.st_size
    written, compiled = _cached_build(seeds_copy, out, monkeypatch)
    assert written and len(compiled) == 5
    assert _files(out) == first


def test_a_source_changed_behind_an_unchanged_size_and_mtime_is_seen(seeds_copy, tmp_path, monkeypatch):
    """The stat shortcut also compares the change time, which a tool cannot set back: an edit that
    keeps the size and restores the mtime is still compiled."""
    import os

    from diplonews.builders import incremental as cache_module

    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # the sources were copied just now: trust their stats
    out = tmp_path / "dataset"
    build(seeds_copy, out)
    path = sorted((seeds_copy / "annotations").glob("*.yaml"))[0]
    assert BuildCache.for_output(out).manifest["shas"][str(path)][0]
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- ", "-  ", 1)[:-1], encoding="utf-8")  # one space more, one newline less
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    written, compiled = _cached_build(seeds_copy, out, monkeypatch)
    assert compiled == {path.name}


def test_a_source_changed_just_before_the_build_is_read_again_next_time(seeds_copy, tmp_path):
    """A file changed within RACY_NS of a build could change again within the same timestamp tick, so
    its stat is not recorded and the next build hashes its bytes again (git's racily clean files)."""
    out = tmp_path / "dataset"
    path = sorted((seeds_copy / "annotations").glob("*.yaml"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build(seeds_copy, out)
    shas = BuildCache.for_output(out).manifest["shas"]
    assert shas[str(path)][0] is None


def test_other_library_versions_make_another_cache_key(monkeypatch):
    import importlib.metadata

    from diplonews.builders.incremental import code_fingerprint

    before = code_fingerprint()
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.0.0" if name == "pyarrow" else real(name))
    assert code_fingerprint() != before


def test_an_unchanged_sharded_rebuild_is_byte_identical_to_a_fresh_one(seeds_copy, tmp_path):
    """With every table reused, the articles come back from the cache part by part, not by article_id:
    what is published from them (the card's table of rights) must not depend on that order."""
    out = tmp_path / "dataset"
    assert build(seeds_copy, out, shards=4).written
    assert build(seeds_copy, out, shards=4).written
    fresh = tmp_path / "fresh"
    assert build(seeds_copy, fresh, use_cache=False, shards=4).written
    assert _files(out) == _files(fresh)


def test_a_file_of_the_last_output_changed_during_the_build_stops_it(seeds_copy, tmp_path, monkeypatch):
    """plan() finds the last output's files intact once, before compiling; a file changed after that
    (a checkout of dataset/ while the build runs) would be linked with the hash recorded for its old
    bytes, so the build stops before replacing anything."""
    import os

    import pytest

    from diplonews import validate
    from diplonews.builders import pipeline
    from diplonews.errors import UserError

    out = tmp_path / "dataset"
    assert build(seeds_copy, out).written
    (seeds_copy / "annotations" / "2025-03-16-erdogan-trump-call-readout.yaml").write_text(
        (seeds_copy / "annotations" / "2025-03-16-erdogan-trump-call-readout.yaml").read_text(encoding="utf-8")
        + "\n", encoding="utf-8")  # one article changed: the registries' tables are kept, linked
    events = out / "parquet" / "events.parquet"
    real_assemble = pipeline.assemble

    def checkout_meanwhile(*args, **kwargs):
        os.utime(events, ns=(events.stat().st_atime_ns, events.stat().st_mtime_ns + 10**9))
        return real_assemble(*args, **kwargs)

    monkeypatch.setattr(pipeline, "assemble", checkout_meanwhile)
    before = _files(out)
    with pytest.raises(UserError, match="events.parquet changed while the build ran"):
        build(seeds_copy, out)
    assert _files(out) == before  # nothing replaced
    monkeypatch.setattr(pipeline, "assemble", real_assemble)
    assert build(seeds_copy, out).written
    assert not [f for f in validate(out).findings if f.rule == "checksums_match"]
