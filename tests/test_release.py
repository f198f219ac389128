"""``diplonews release``: a reproducible archive, its registry entry, and the refusals."""

from __future__ import annotations

import gzip
import shutil
import tarfile
from pathlib import Path

import pytest

from diplonews import metadata
from diplonews.builders.publish.download import verify_folder
from diplonews.builders.publish.release import (
    ReleaseError,
    archive_root,
    changelog_entry,
    read_registry,
    release,
)
from diplonews.cli import main
from diplonews.files import sha256_file


VARIANTS = ("standoff", "full")


@pytest.fixture(scope="module")
def dist(repo, tmp_path_factory) -> Path:
    """A release of the committed seeds, in both variants."""
    out = tmp_path_factory.mktemp("dist")
    for variant in VARIANTS:
        release(repo / "seeds", out, repo, variant=variant)
    return out


def _archive(dist: Path, variant: str = "standoff") -> Path:
    return dist / metadata.archive_name(metadata.DATASET_VERSION, variant)


def test_two_releases_are_byte_identical(repo, dist, tmp_path):
    again = tmp_path / "dist"
    for variant in VARIANTS:
        release(repo / "seeds", again, repo, variant=variant)
        assert _archive(again, variant).read_bytes() == _archive(dist, variant).read_bytes()
    assert (again / "registry.txt").read_bytes() == (dist / "registry.txt").read_bytes()


@pytest.mark.parametrize("variant", VARIANTS)
def test_archive_is_normalised(dist, variant):
    data = _archive(dist, variant).read_bytes()
    assert data[4:8] == b"\0\0\0\0"  # gzip header MTIME
    with tarfile.open(_archive(dist, variant)) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names)
    root = archive_root(metadata.DATASET_VERSION, variant)
    assert all(n == root or n.startswith(root + "/") for n in names)
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, 0, "", "")}
    assert {m.mode for m in members if m.isfile()} == {0o644}
    assert {m.mode for m in members if m.isdir()} == {0o755}


def test_full_archive_holds_the_dataset_and_checks_itself(dist, seed_build, tmp_path):
    with tarfile.open(_archive(dist, "full")) as tar:
        tar.extractall(tmp_path, filter="data")
    folder = tmp_path / archive_root(metadata.DATASET_VERSION, "full")
    assert verify_folder(folder) == []
    for rel in ("CHANGELOG.md", "CITATION.cff", "croissant.json", "datapackage.json", "README.md",
                "figures/timeline.svg", "figures/network.svg", "parquet/events.parquet", "json/events.json"):
        assert (folder / rel).is_file(), rel
    for p in seed_build.rglob("*"):
        rel = p.relative_to(seed_build).as_posix()
        if p.is_file() and rel != "SHA256SUMS":
            assert (folder / rel).read_bytes() == p.read_bytes(), rel


def test_registry_lists_the_archive_hashes(dist):
    entries = read_registry(dist / "registry.txt")
    assert entries == {_archive(dist, v).name: f"sha256:{sha256_file(_archive(dist, v))}" for v in VARIANTS}


def test_registry_keeps_other_versions(repo, tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    older = "diplonews-data-0.0.9.tar.gz sha256:" + "a" * 64
    (out / "registry.txt").write_text(older + "\n")
    release(repo / "seeds", out, repo)
    lines = (out / "registry.txt").read_text().splitlines()
    assert lines[0] == older and lines[1].startswith(metadata.archive_name(metadata.DATASET_VERSION))


def _repo_files(repo: Path, tmp: Path) -> Path:
    dest = tmp / "repo"
    dest.mkdir()
    for name in ("CHANGELOG.md", "CITATION.cff"):
        shutil.copyfile(repo / name, dest / name)
    return dest


def test_refuses_without_a_changelog_entry(repo, tmp_path):
    fake = _repo_files(repo, tmp_path)
    text = (fake / "CHANGELOG.md").read_text().replace(f"## {metadata.DATASET_VERSION}", "## 99.0.0")
    (fake / "CHANGELOG.md").write_text(text)
    with pytest.raises(ReleaseError, match="no '## .*' section"):
        release(repo / "seeds", tmp_path / "dist", fake)
    assert not (tmp_path / "dist").exists()


def test_refuses_a_failed_build(seeds_copy, repo, tmp_path):
    ann = next((seeds_copy / "annotations").glob("*.yaml"))
    ann.write_text(ann.read_text(encoding="utf-8").replace("quote: ", "quote: NOT IN THE TEXT ", 1), encoding="utf-8")
    with pytest.raises(ReleaseError, match="failed validation"):
        release(seeds_copy, tmp_path / "dist", repo)
    assert not (tmp_path / "dist").exists()  # a failed release leaves no new folder


def test_a_missing_seeds_folder_leaves_no_new_folder(repo, tmp_path, capsys):
    assert main(["release", "--seeds", str(tmp_path / "nope"), "--dist", str(tmp_path / "dist"),
                 "--repo", str(repo)]) == 1
    assert capsys.readouterr().err.startswith(f"error: seeds folder {tmp_path / 'nope'} not found\n  hint: ")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("dist,where", [("afile", "is"), ("afile/sub", "lies under {file}, which is")])
def test_a_dist_that_is_a_file_is_refused_with_a_hint(repo, tmp_path, capsys, dist, where):
    file = tmp_path / "afile"
    file.write_text("mine\n")
    assert main(["release", "--seeds", str(repo / "seeds"), "--dist", str(tmp_path / dist), "--repo", str(repo)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"release refused: --dist {tmp_path / dist} {where.format(file=file)} a file; nothing was written",
        "  hint: give --dist a folder for the release (it is created if missing)"]
    assert list(tmp_path.iterdir()) == [file] and file.read_text() == "mine\n"


def test_changelog_entry_is_found_only_for_its_version():
    text = "# Changelog\n\n## 1.1.0\n\nnew table\n\n## 1.0.0\n\nfirst\n"
    assert changelog_entry(text, "1.1.0") == "new table"
    assert changelog_entry(text, "1.0.0") == "first"
    assert changelog_entry(text, "1.0") is None


def test_cli_release(repo, tmp_path, capsys):
    assert main(["release", "--seeds", str(repo / "seeds"), "--dist", str(tmp_path), "--repo", str(repo)]) == 0
    assert "sha256:" in capsys.readouterr().out
    assert main(["release", "--seeds", str(repo / "seeds"), "--dist", str(tmp_path / "x"),
                 "--repo", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert "release refused" in err and "hint: a release is made in a diplonews checkout" in err


def test_gzip_stream_is_the_tar(dist):
    # the archive decompresses with the standard tools' expectations: one gzip member, a tar inside
    raw = gzip.decompress(_archive(dist).read_bytes())
    assert raw[257:262] == b"ustar"
