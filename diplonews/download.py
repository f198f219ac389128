"""``diplonews download`` and ``diplonews.load(version=...)``: fetch a release, verify it, cache it.

The base URL is a folder serving what ``diplonews release`` wrote to dist/: ``registry.txt``
(``<archive> sha256:<hex>`` lines) and the archives. pooch downloads the archive against the
registry's hash; the archive is then unpacked member by member after checking that every member
is a plain file or folder inside the target, and every file is checked against the archive's own
SHA256SUMS before the folder is moved into the cache. Anything refused leaves nothing behind.
Once cached, a version loads without the network.
"""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from diplonews import metadata
from diplonews.release import REGISTRY, SEMVER, archive_root

CACHE_ENV = "DIPLONEWS_DATA_DIR"


class DownloadError(Exception):
    """A download was refused or failed; the message says why. The cache holds no partial file."""


def cache_dir(explicit: str | Path | None = None) -> Path:
    """The cache folder: ``explicit``, else ``$DIPLONEWS_DATA_DIR``, else the user cache folder."""
    if explicit is not None:
        return Path(explicit)
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import pooch

    return Path(pooch.os_cache("diplonews"))


def verify_folder(folder: Path) -> list[str]:
    """Problems of an unpacked release: files missing, unlisted or differing from its SHA256SUMS."""
    from diplonews.builders.package import sha256_file

    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        return ["SHA256SUMS is missing"]
    listed = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    problems = [f"{n}: listed in SHA256SUMS but missing" for n in sorted(listed.keys() - present)]
    problems += [f"{n}: not listed in SHA256SUMS" for n in sorted(present - listed.keys())]
    problems += [
        f"{n}: SHA-256 differs from SHA256SUMS"
        for n in sorted(listed.keys() & present)
        if sha256_file(folder / n) != listed[n]
    ]
    return problems


def _unsafe_member(member: tarfile.TarInfo, root: str) -> str | None:
    """Why ``member`` may not be unpacked into the release folder ``root``, or None."""
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts:
        return "its path leaves the target folder"
    if path.parts[:1] != (root,):
        return f"it is outside the release folder {root}/"
    if not (member.isfile() or member.isdir()):
        return "it is a link or special file, not a plain file or folder"
    return None


def _unpack(archive: Path, root: str, dest: Path) -> None:
    """Unpack ``archive`` (whose members all lie under ``root/``) into ``dest``, refusing unsafe members."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            for m in members:
                why = _unsafe_member(m, root)
                if why:
                    raise DownloadError(f"refused {archive.name}: member {m.name!r} is unsafe ({why})")
            # The "data" filter re-checks paths, links and permissions as a second line of defence.
            tar.extractall(dest, members=members, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise DownloadError(f"refused {archive.name}: not a readable .tar.gz archive ({exc})") from exc


def _fetch_registry(base: str) -> dict[str, str]:
    import pooch

    from diplonews.release import read_registry

    with tempfile.TemporaryDirectory(prefix="diplonews-registry-") as tmp:
        target = Path(tmp) / REGISTRY
        try:
            pooch.HTTPDownloader(progressbar=False)(base + REGISTRY, str(target), None)
            return read_registry(target)
        except Exception as exc:  # requests/pooch raise many kinds; the message is what matters
            raise DownloadError(f"could not read {base}{REGISTRY}: {exc}") from exc


def _fetch_archive(base: str, name: str, known_hash: str, cache: Path) -> Path:
    import pooch

    pooch.get_logger().setLevel("WARNING")
    try:
        # pooch writes to a temporary file next to the target and moves it into place only
        # after the hash matched, so a failed or corrupted download leaves no file behind.
        return Path(pooch.retrieve(base + name, known_hash=known_hash, fname=name, path=cache, progressbar=False))
    except ValueError as exc:
        raise DownloadError(f"refused {name}: its SHA-256 does not match {REGISTRY} (corrupted or truncated "
                            f"download, or a changed file on the server)") from exc
    except Exception as exc:
        raise DownloadError(f"could not download {base}{name}: {exc}") from exc


def download(version: str | None = None, url: str | None = None, cache: str | Path | None = None) -> Path:
    """The folder of release ``version`` (default: this package's version), downloading it if needed.

    ``url`` is the base URL of the release folder (default: ``metadata.DOWNLOAD_URL``); ``cache``
    the cache folder (default: see :func:`cache_dir`). A cached, intact copy is used without the network.
    """
    version = version or metadata.DATASET_VERSION
    if not SEMVER.match(version):
        raise DownloadError(f"unknown version {version!r}: versions look like 1.2.3")
    folder = cache_dir(cache)
    root = archive_root(version)
    target = folder / root
    if target.is_dir():
        if not verify_folder(target):
            return target
        shutil.rmtree(target)  # damaged in the cache: fetch it again
    base = url or metadata.DOWNLOAD_URL.format(version=version)
    base = base if base.endswith("/") else base + "/"
    name = metadata.archive_name(version)
    registry = _fetch_registry(base)
    if name not in registry:
        offered = sorted(n.removeprefix("diplonews-data-").removesuffix(".tar.gz") for n in registry)
        raise DownloadError(f"unknown version {version}: {base} offers {', '.join(offered) or 'no release'}")
    folder.mkdir(parents=True, exist_ok=True)
    archive = _fetch_archive(base, name, registry[name], folder)
    staging = Path(tempfile.mkdtemp(prefix=f".{root}.unpack-", dir=folder))
    try:
        _unpack(archive, root, staging)
        problems = verify_folder(staging / root)
        if problems:
            raise DownloadError(f"refused {name}: " + "; ".join(problems[:5]))
        os.replace(staging / root, target)
    except DownloadError:
        archive.unlink(missing_ok=True)  # it matched the registry but is unusable: never half-use it
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
