"""``diplonews release``: build, validate and pack the dataset into a reproducible archive.

Writes one of two variants (issue 15): ``standoff``, the published one,
``dist/diplonews-data-<version>.tar.gz``, where the texts diplonews may not redistribute are withheld
(:mod:`~diplonews.builders.publish.standoff`), or ``full``, ``dist/diplonews-data-<version>-full.tar.gz``,
with every text (for private use, or a corpus whose texts are all redistributable). Each holds the
dataset plus CHANGELOG.md and CITATION.cff, all listed in its SHA256SUMS, and the archive's ``sha256:``
hash is added to ``dist/registry.txt``, the file the downloader checks against. Two releases of the same
commit are byte-identical: members sorted, owner, mode and mtime fixed, gzip without a timestamp.
"""

from __future__ import annotations

import gzip
import io
import re
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from diplonews import metadata
from diplonews.errors import UserError

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
REGISTRY = "registry.txt"
VARIANTS = ("standoff", "full")


class ReleaseError(UserError):
    """A release was refused: the message says why, the hint what to do. Nothing in dist/ was changed."""

    def render(self) -> str:
        """'release refused: ...' plus a hint line."""
        return "release refused: " + super().render().removeprefix("error: ")


@dataclass
class ReleaseResult:
    """What a release wrote."""

    archive: Path
    sha256: str
    registry: Path


def changelog_entry(changelog: str, version: str) -> str | None:
    """The text of the ``## <version>`` section of CHANGELOG.md, or None if there is none."""
    match = re.search(rf"^## {re.escape(version)}(?=[ \t]|$).*?$(.*?)(?=^## |\Z)", changelog, re.M | re.S)
    return match.group(1).strip() if match else None


def _tarinfo(name: str, size: int | None) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
    if size is None:
        info.type, info.mode = tarfile.DIRTYPE, 0o755
    else:
        info.size, info.mode = size, 0o644
    return info


def write_archive(folder: Path, root: str, out: Path) -> None:
    """Pack ``folder`` as ``root/...`` into a deterministic .tar.gz at ``out``."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(_tarinfo(root, None))
        for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix()):
            name = f"{root}/{path.relative_to(folder).as_posix()}"
            if path.is_dir():
                tar.addfile(_tarinfo(name, None))
            else:
                data = path.read_bytes()
                tar.addfile(_tarinfo(name, len(data)), io.BytesIO(data))
    with open(out, "wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())


def read_registry(path: Path) -> dict[str, str]:
    """``{file name: "sha256:<hex>"}`` from a registry.txt (pooch's registry format)."""
    if not path.exists():
        return {}
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, digest = line.split()
            entries[name] = digest
    return entries


def release(seeds: Path, dist: Path, repo: Path,
            progress: Callable[[str, int, int], None] | None = None, variant: str = "standoff",
            shards: int = 1) -> ReleaseResult:
    """Build ``seeds``, validate, and write the archive of ``metadata.DATASET_VERSION`` in ``variant``
    (standoff or full) into ``dist``.

    ``repo`` holds CHANGELOG.md (which must have a section for the version) and CITATION.cff;
    ``progress`` hears how far the build has got; ``shards`` as in the build (both variants alike).
    ``dist`` is created only once the archive is made: a refused or failed release leaves no new folder.
    """
    from diplonews.builders.pipeline import build
    from diplonews.builders.publish.standoff import EXTRA_FILES, add_extras, read_tables, withhold, write_dataset
    from diplonews.files import sha256_file, why_not_a_folder, write_atomic
    from diplonews.validators.dataset import validate_dataset

    if variant not in VARIANTS:
        raise ReleaseError(f"unknown variant {variant!r}", f"one of: {', '.join(VARIANTS)}")

    version = metadata.DATASET_VERSION
    if not SEMVER.match(version):
        raise ReleaseError(f"DATASET_VERSION {version!r} is not MAJOR.MINOR.PATCH",
                           "set DATASET_VERSION in diplonews/metadata.py to a version such as 2.0.0")
    for name in EXTRA_FILES:
        if not (repo / name).is_file():
            raise ReleaseError(f"{repo / name} is missing",
                               "a release is made in a diplonews checkout: run it there, or give the checkout "
                               "with --repo")
    if changelog_entry((repo / "CHANGELOG.md").read_text(encoding="utf-8"), version) is None:
        raise ReleaseError(f"CHANGELOG.md has no '## {version}' section",
                           f"add '## {version}' to CHANGELOG.md saying what changed for users, then release again")
    why = why_not_a_folder(dist)  # before the build, not once it is done
    if why:
        raise ReleaseError(f"--dist {dist} {why}; nothing was written",
                           "give --dist a folder for the release (it is created if missing)")
    root = archive_root(version, variant)
    with tempfile.TemporaryDirectory(prefix="diplonews-release-") as tmp:
        staged = Path(tmp) / root
        built = staged if variant == "full" else Path(tmp) / "full"
        result = build(seeds, built, progress=progress, shards=shards)
        if not result.written:
            raise ReleaseError("the build failed validation:\n" + result.report.render(limit=20),
                               "fix what diplonews validate reports in the seeds, then release again")
        if variant == "full":
            add_extras(staged, repo)
        else:
            write_dataset(withhold(read_tables(built)), staged, repo, shards)
            report = validate_dataset(staged)  # the standoff tables answer to the same rules
            if not report.ok:
                raise ReleaseError("the standoff tables failed validation:\n" + report.render(limit=20),
                                   "the full build passed, so this is a fault of the standoff release: report it "
                                   "with the findings above; --variant full still releases")
        packed = Path(tmp) / metadata.archive_name(version, variant)
        write_archive(staged, root, packed)
        digest = sha256_file(packed)
        dist.mkdir(parents=True, exist_ok=True)  # only now: a refused release leaves no new folder
        archive = dist / metadata.archive_name(version, variant)
        write_atomic(archive, packed.read_bytes())
    registry = dist / REGISTRY
    entries = read_registry(registry) | {archive.name: f"sha256:{digest}"}
    write_atomic(registry, "".join(f"{n} {d}\n" for n, d in sorted(entries.items())).encode())
    return ReleaseResult(archive, digest, registry)


def archive_root(version: str, variant: str = "standoff") -> str:
    """The single top-level folder inside the archive of ``version`` in ``variant``."""
    return metadata.archive_name(version, variant).removesuffix(".tar.gz")
