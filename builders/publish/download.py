"""``diplonews download`` and ``diplonews.load(version=...)``: fetch a release, verify it, cache it.

The base URL is a folder serving what ``diplonews release`` wrote to dist/: ``registry.txt``
(``<archive> sha256:<hex>`` lines) and the archives. pooch downloads the archive against the
registry's hash; the archive is then unpacked member by member after checking that every member
is a plain file or folder inside the target, and every file is checked against the archive's own
SHA256SUMS before the folder is moved into the cache. Anything refused leaves nothing behind.
Once cached, a version loads without the network.

Connections and reads time out, and the whole download has a deadline, so a server that trickles
bytes cannot keep it running. Every failure is a :class:`DownloadError`: one sentence and a hint.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from diplonews import metadata
from diplonews.builders.publish.release import REGISTRY, SEMVER, VARIANTS, archive_root
from diplonews.errors import UserError

CACHE_ENV = "DIPLONEWS_DATA_DIR"
DEADLINE_ENV = "DIPLONEWS_DOWNLOAD_DEADLINE"
DEADLINE = 1800.0
"""Seconds a whole download (registry and archive) may take; ``$DIPLONEWS_DOWNLOAD_DEADLINE`` overrides it."""
CONNECT_TIMEOUT = 15.0
"""Seconds to wait for a server to accept the connection."""
READ_TIMEOUT = 60.0
"""Seconds a server may stay silent before the download is given up."""
_CHUNK = 1 << 16
_NETWORK_HINT = "check the URL and your connection, then try again; a release downloaded before loads offline"
_CACHE_HINT = f"give --cache-dir (or ${CACHE_ENV}) a folder you can write, or a path that does not exist yet"
_DAMAGED_HINT = "nothing was kept; try again, and if it happens again the release on the server is damaged"


class DownloadError(UserError):
    """A download was refused or failed: one sentence of why, and a hint. The cache holds no partial file."""


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
    from diplonews.files import FileHashes
    from diplonews.validators.integrity import checksum_problems

    return [f"{rel}: {problem}" for rel, problem in checksum_problems(folder, FileHashes(folder))]


@dataclass(frozen=True)
class _Deadline:
    """When the whole download must be done (a monotonic time), and how many seconds that allowed."""

    seconds: float
    end: float

    @classmethod
    def from_env(cls) -> _Deadline:
        """``$DIPLONEWS_DOWNLOAD_DEADLINE`` seconds from now, or :data:`DEADLINE`."""
        raw = os.environ.get(DEADLINE_ENV, "")
        try:
            seconds = float(raw) if raw else DEADLINE
        except ValueError:
            seconds = math.nan
        if not 0 < seconds < math.inf:
            raise DownloadError(f"{DEADLINE_ENV}={raw!r} is not a number of seconds",
                                f"unset it, or give a positive number such as {DEADLINE:g}")
        return cls(seconds, time.monotonic() + seconds)

    def left(self) -> float:
        """Seconds left (negative once passed)."""
        return self.end - time.monotonic()

    def exceeded(self, url: str) -> DownloadError:
        """The error for a download of ``url`` that did not end in time."""
        return DownloadError(f"downloading {url} did not finish within {self.seconds:g} s",
                             f"the server is too slow; to allow more time, set {DEADLINE_ENV} to the seconds to wait")


class _Progress:
    """'downloading <file>: 45% of 3.2 MB' on stderr, rewritten in place as bytes arrive."""

    def __init__(self, name: str, total: int, visible: bool):
        self.name, self.total, self.visible, self.done, self.shown = name, total, visible, 0, ""

    def update(self, n: int) -> None:
        """Count ``n`` more bytes; redraw, if visible, when the figure shown changes."""
        self.done += n
        if not self.visible:
            return
        done = f"{self.done / 1e6:.1f} MB"
        text = f"{self.done / self.total:.0%} of {self.total / 1e6:.1f} MB" if self.total else done
        if text != self.shown:
            sys.stderr.write(f"\rdownloading {self.name}: {text}")
            sys.stderr.flush()
            self.shown = text

    def close(self) -> None:
        """End the line."""
        if self.shown:
            sys.stderr.write("\n")


class _Get:
    """A pooch downloader: an HTTP GET with connection and read timeouts that must end by ``deadline``,
    showing its progress on stderr when ``progress``. Failures are :class:`DownloadError`."""

    def __init__(self, deadline: _Deadline, progress: bool = False):
        self.deadline, self.progress = deadline, progress

    def __call__(self, url: str, output_file: str, pooch: object = None) -> None:
        """Write the body of ``url`` to ``output_file`` (``pooch``, the caller, is not used)."""
        import requests
        import urllib3

        left = self.deadline.left()
        if left <= 0:
            raise self.deadline.exceeded(url)
        try:
            timeout = (min(CONNECT_TIMEOUT, left), min(READ_TIMEOUT, left))
            with requests.get(url, stream=True, timeout=timeout) as response, open(output_file, "wb") as out:
                response.raise_for_status()
                self._copy(url, response, out)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise self._failure(url, exc) from exc

    def _copy(self, url: str, response, out) -> None:
        length = response.headers.get("content-length", "")
        progress = _Progress(PurePosixPath(urlsplit(url).path).name, int(length) if length.isdigit() else 0,
                             self.progress)
        try:
            # read1 returns what has arrived, so a server trickling bytes cannot hold off the deadline.
            while chunk := response.raw.read1(_CHUNK, decode_content=True):
                if self.deadline.left() <= 0:
                    raise self.deadline.exceeded(url)
                out.write(chunk)
                progress.update(len(chunk))
        finally:
            progress.close()

    def _failure(self, url: str, exc: Exception) -> DownloadError:
        """One sentence for what requests or urllib3 raised (their own text names pools and objects)."""
        import requests
        import urllib3

        host = urlsplit(url).netloc or url
        if self.deadline.left() <= 0:
            return self.deadline.exceeded(url)
        if isinstance(exc, requests.HTTPError) and exc.response is not None:
            answer = f"{exc.response.status_code} {exc.response.reason or ''}".strip()
            return DownloadError(f"{url} answered {answer}",
                                 "check the URL: it is the folder holding registry.txt and the release archives")
        if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                            requests.exceptions.InvalidSchema)):
            return DownloadError(f"{url} is not an http(s) address", "give the http(s) address of the release folder")
        if isinstance(exc, requests.ConnectTimeout):
            return DownloadError(f"{host} did not accept a connection within {CONNECT_TIMEOUT:g} s", _NETWORK_HINT)
        if isinstance(exc, (requests.Timeout, urllib3.exceptions.TimeoutError)):
            return DownloadError(f"{host} sent nothing for {READ_TIMEOUT:g} s", _NETWORK_HINT)
        if isinstance(exc, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)):
            return DownloadError(f"the connection to {host} broke off before {url} was complete", _NETWORK_HINT)
        return DownloadError(f"could not connect to {host}", _NETWORK_HINT)


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
                    raise DownloadError(f"{archive.name} holds an unsafe member {m.name!r}: {why}",
                                        "nothing was unpacked; the archive was not made by 'diplonews release'")
            # The "data" filter re-checks paths, links and permissions as a second line of defence.
            tar.extractall(dest, members=members, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise DownloadError(f"{archive.name} is not a readable .tar.gz archive", _DAMAGED_HINT) from exc


def _fetch_registry(base: str, deadline: _Deadline) -> dict[str, str]:
    from diplonews.builders.publish.release import read_registry

    with tempfile.TemporaryDirectory(prefix="diplonews-registry-") as tmp:
        target = Path(tmp) / REGISTRY
        _Get(deadline)(base + REGISTRY, str(target))
        try:
            return read_registry(target)
        except ValueError as exc:  # a line that is not '<name> <hash>', or not UTF-8
            raise DownloadError(f"{base}{REGISTRY} is not a list of '<archive> sha256:<hash>' lines",
                                "check the URL: it is the folder 'diplonews release' wrote") from exc


def _fetch_archive(base: str, name: str, known_hash: str, cache: Path, deadline: _Deadline) -> Path:
    import pooch

    pooch.get_logger().setLevel("WARNING")
    # Progress only for a person watching a terminal; logs and notebooks stay quiet.
    get = _Get(deadline, progress=sys.stderr is not None and sys.stderr.isatty())
    try:
        # pooch writes to a temporary file next to the target and moves it into place only
        # after the hash matched, so a failed or corrupted download leaves no file behind.
        return Path(pooch.retrieve(base + name, known_hash=known_hash, fname=name, path=cache, downloader=get))
    except ValueError as exc:
        raise DownloadError(f"{name} does not match its SHA-256 in {REGISTRY}",
                            "the download was corrupted or cut short, or the file on the server changed; "
                            + _DAMAGED_HINT) from exc
    except OSError as exc:  # network failures are DownloadErrors already: this is the cache folder
        raise DownloadError(f"cannot write to the cache folder {cache}: {exc.strerror}", _CACHE_HINT) from exc


def _offered(registry: dict[str, str]) -> dict[str, list[str]]:
    """``{version: [variant, ...]}`` of the archives a registry lists, newest version first, each as
    ``download`` takes it (``--version``, ``--variant``); a name that is no release archive is left out."""
    found: dict[str, list[str]] = {}
    for name in registry:
        version = name.removeprefix("diplonews-data-").split("-")[0].removesuffix(".tar.gz")
        if SEMVER.match(version):
            found.setdefault(version, []).extend(v for v in VARIANTS if metadata.archive_name(version, v) == name)
    newest_first = sorted((v for v in found if found[v]), key=lambda v: tuple(map(int, v.split("."))), reverse=True)
    return {v: sorted(found[v], key=VARIANTS.index) for v in newest_first}


def _cache_folder(cache: str | Path | None) -> Path:
    """The cache folder, refused when it cannot be one (it is a file)."""
    folder = cache_dir(cache)
    if folder.exists() and not folder.is_dir():
        raise DownloadError(f"the cache folder {folder} is a file", _CACHE_HINT)
    return folder


def download(version: str | None = None, url: str | None = None, cache: str | Path | None = None,
             variant: str = "standoff") -> Path:
    """The folder of release ``version`` (default: this package's version) in ``variant`` (standoff, the
    published one, or full), downloading it if needed.

    ``url`` is the base URL of the release folder (default: ``metadata.DOWNLOAD_URL``); ``cache``
    the cache folder (default: see :func:`cache_dir`). A cached, intact copy is used without the network.
    Connections time out (:data:`CONNECT_TIMEOUT`, :data:`READ_TIMEOUT`) and the whole download must end
    within :data:`DEADLINE` seconds (``$DIPLONEWS_DOWNLOAD_DEADLINE``); progress is shown when stderr is a
    terminal. Every failure is a :class:`DownloadError`.
    """
    version = version or metadata.DATASET_VERSION
    if not SEMVER.match(version):
        # '2.0.0-full' is how the archive of a variant is named, not a version
        stem, _, named = version.rpartition("-")
        hint = (f"the variant is an option of its own: --version {stem} --variant {named}"
                if SEMVER.match(stem) and named in VARIANTS else "versions look like 1.2.3")
        raise DownloadError(f"unknown version {version!r}", hint)
    if variant not in VARIANTS:
        raise DownloadError(f"unknown variant {variant!r}", f"one of: {', '.join(VARIANTS)}")
    folder = _cache_folder(cache)
    root = archive_root(version, variant)
    target = folder / root
    damaged = target.is_dir()
    if damaged and not verify_folder(target):
        return target
    # A damaged copy is fetched again, and replaced only once a good one is unpacked: a download that
    # fails (offline, say) leaves the cache as it was.
    deadline = _Deadline.from_env()
    base = url or metadata.DOWNLOAD_URL.format(version=version)
    base = base if base.endswith("/") else base + "/"
    name = metadata.archive_name(version, variant)
    registry = _fetch_registry(base, deadline)
    if name not in registry:
        offered = _offered(registry)
        listing = "; ".join(f"{v} (variant{'s' if len(vs) > 1 else ''}: {', '.join(vs)})"
                            for v, vs in offered.items()) or "no release"
        if version in offered:
            raise DownloadError(f"version {version} is not offered as {variant}: {base} offers {listing}",
                                "choose one of the variants offered with --variant")
        raise DownloadError(f"unknown version {version}: {base} offers {listing}",
                            "choose one of the versions offered with --version, and its variant with --variant")
    made = [p for p in (folder, *folder.parents) if not p.exists()]  # deepest first
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DownloadError(f"cannot create the cache folder {folder}: {exc.strerror}", _CACHE_HINT) from exc
        return _install(base, name, registry[name], folder, root, damaged, deadline)
    except BaseException:
        for new in made:  # a refused download leaves no cache folder it created (rmdir removes only empty ones)
            with contextlib.suppress(OSError):
                new.rmdir()
        raise


def _install(base: str, name: str, known_hash: str, folder: Path, root: str, damaged: bool,
             deadline: _Deadline) -> Path:
    """Fetch archive ``name`` into the cache ``folder``, unpack and check it, and move it into place as
    ``folder/root`` (over a ``damaged`` copy); the folder of the release."""
    target = folder / root
    archive = _fetch_archive(base, name, known_hash, folder, deadline)
    staging = Path(tempfile.mkdtemp(prefix=f".{root}.unpack-", dir=folder))
    try:
        _unpack(archive, root, staging)
        problems = verify_folder(staging / root)
        if problems:
            raise DownloadError(f"{name} unpacks to files that differ from its SHA256SUMS: " + "; ".join(problems[:5]),
                                _DAMAGED_HINT)
        if damaged:
            os.rename(target, staging / "damaged")  # removed with the staging folder
        os.replace(staging / root, target)
    except DownloadError:
        archive.unlink(missing_ok=True)  # it matched the registry but is unusable: never half-use it
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
