"""``diplonews download`` / ``load(version=...)`` against an HTTP server on 127.0.0.1 started here.

Covers a good download, a cached re-load with the server stopped, and every refusal: corrupted,
truncated (short file and dropped connection), unknown version, unsafe archive members, an archive
whose files disagree with its SHA256SUMS, a server that trickles or goes silent, and a cache folder
that is a file. A refusal must leave no file in the cache, and read as one sentence and a hint.
"""

from __future__ import annotations

import functools
import io
import shutil
import sys
import tarfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import diplonews
from diplonews import api, metadata
from diplonews.builders.publish import download as download_module
from diplonews.builders.publish.download import DEADLINE_ENV, DownloadError, download
from diplonews.builders.publish.release import archive_root
from diplonews.cli import main
from diplonews.errors import UserError
from diplonews.files import sha256_file
from diplonews.schema import TABLES

VERSION = metadata.DATASET_VERSION
NAME = metadata.archive_name(VERSION)


class _Server:
    """A static file server on 127.0.0.1 on a free port, in a thread."""

    def __init__(self, folder: Path, handler=SimpleHTTPRequestHandler):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


class _ArchiveHandler(_QuietHandler):
    """Serves the files, but announces an archive in full and leaves sending its bytes to ``body``."""

    def do_GET(self):
        if not self.path.endswith(".tar.gz"):
            return super().do_GET()
        data = (Path(self.directory) / self.path.lstrip("/")).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.flush()
        self.body(data)

    def body(self, data: bytes) -> None:
        raise NotImplementedError


class _DroppingHandler(_ArchiveHandler):
    """Sends half of the archive and closes: a dropped connection."""

    def body(self, data: bytes) -> None:
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True


class _TricklingHandler(_ArchiveHandler):
    """Sends one byte of the archive every 0.2 s: a download that never ends."""

    def body(self, data: bytes) -> None:
        try:
            for i in range(50):  # 10 s at most, so that a failing test cannot hang
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass  # the client gave up, as it should


class _SilentHandler(_ArchiveHandler):
    """Sends nothing of the archive for 1.5 s."""

    def body(self, data: bytes) -> None:
        time.sleep(1.5)


@pytest.fixture
def serve():
    servers = []

    def start(folder: Path, handler=_QuietHandler) -> _Server:
        servers.append(_Server(folder, handler))
        return servers[-1]

    yield start
    for s in servers:
        if s.thread.is_alive():
            s.stop()


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) if folder.exists() else []


def _copy_dist(dist: Path, tmp_path: Path) -> Path:
    out = tmp_path / "served"
    shutil.copytree(dist, out)
    return out


def _set_registry(folder: Path) -> None:
    (folder / "registry.txt").write_text(f"{NAME} sha256:{sha256_file(folder / NAME)}\n")


def test_good_download_equals_the_build(dist, serve, seed_build, tmp_path):
    server = serve(dist)
    folder = download(VERSION, server.url, tmp_path / "cache", variant="full")
    assert folder == tmp_path / "cache" / archive_root(VERSION, "full")
    for p in seed_build.rglob("*"):
        rel = p.relative_to(seed_build).as_posix()
        if p.is_file() and rel != "SHA256SUMS":
            assert (folder / rel).read_bytes() == p.read_bytes(), rel


def test_tables_from_the_release_equal_the_build_in_pandas_and_duckdb(dist, serve, seed_build, tmp_path):
    server = serve(dist)
    cache = tmp_path / "cache"
    folder = download(VERSION, server.url, cache, variant="full")
    built, got = diplonews.load(seed_build), diplonews.load(folder)
    assert sorted(got) == sorted(t.table_name for t in TABLES)
    for name in built:
        assert got[name].equals(built[name]), name
    con_built, con_got = diplonews.connect(seed_build), diplonews.connect(folder)
    for t in TABLES:
        order = ", ".join(t.primary_key)
        a = con_built.sql(f"SELECT * FROM {t.table_name} ORDER BY {order}").fetchall()
        b = con_got.sql(f"SELECT * FROM {t.table_name} ORDER BY {order}").fetchall()
        assert a == b, t.table_name


def test_default_download_is_the_standoff_variant(dist, serve, tmp_path, capsys):
    server = serve(dist)
    assert main(["download", "--url", server.url, "--cache-dir", str(tmp_path / "cache")]) == 0
    folder = Path(capsys.readouterr().out.strip())
    assert folder == tmp_path / "cache" / archive_root(VERSION)
    articles = diplonews.load(folder)["articles"]
    assert articles["text"].isna().all() and articles["text_sha256"].notna().all()


def test_cached_reload_works_with_the_server_stopped(dist, serve, tmp_path, monkeypatch):
    server = serve(dist)
    cache = tmp_path / "cache"
    first = download(VERSION, server.url, cache)
    server.stop()
    assert download(VERSION, server.url, cache) == first
    monkeypatch.setenv("DIPLONEWS_DATA_DIR", str(cache))
    tables = diplonews.load(version=VERSION, url=server.url)
    assert len(tables["articles"]) > 0
    # load() without arguments and without a checkout dataset/ uses the cached release, offline
    monkeypatch.setattr(api, "default_dataset_dir", lambda: tmp_path / "no-checkout")
    assert diplonews.load()["events"].equals(tables["events"])
    assert diplonews.connect().sql("SELECT count(*) FROM events").fetchall()[0][0] == len(tables["events"])


def test_load_with_a_url_alone_downloads_from_it(dist, serve, tmp_path, monkeypatch):
    # url= without version= was ignored: this checkout's dataset/ (full texts) came back instead.
    server = serve(dist)
    monkeypatch.setenv("DIPLONEWS_DATA_DIR", str(tmp_path / "cache"))
    assert diplonews.load(url=server.url)["articles"]["text"].isna().all()  # the standoff release
    assert (tmp_path / "cache" / archive_root(VERSION)).is_dir()


@pytest.mark.parametrize("reader", [diplonews.load, diplonews.connect])
@pytest.mark.parametrize("release", [{"version": VERSION}, {"url": "http://127.0.0.1:9/"}])
def test_a_folder_and_a_release_to_download_are_refused_together(reader, release, seed_build):
    # A path with version= raised a bare ValueError; a path with url= silently read the path.
    with pytest.raises(UserError, match="not both") as caught:
        reader(seed_build, **release)
    assert caught.value.hint


def test_without_cache_and_server_the_error_is_clear(dist, serve, tmp_path):
    server = serve(dist)
    server.stop()
    _refused(server.url, tmp_path / "cache", "^could not connect to 127.0.0.1:[0-9]+$")


def _refused(url: str, cache: Path, match: str) -> DownloadError:
    """The refusal of downloading from ``url``: one sentence of ours (matching ``match``) and a hint,
    none of the text of requests, urllib3 or pooch, and no ``cache`` folder left (it was new)."""
    with pytest.raises(DownloadError, match=match) as caught:
        download(VERSION, url, cache)
    error = caught.value
    assert error.hint
    for raw in ("HTTPConnectionPool", "Max retries", "object at 0x", "urllib3", "Errno", "refused refused"):
        assert raw not in error.message + error.hint, error.message
    assert "\n" not in error.message
    assert not cache.exists()
    return error


def test_damaged_cache_is_fetched_again(dist, serve, tmp_path):
    server = serve(dist)
    folder = download(VERSION, server.url, tmp_path / "cache")
    (folder / "json" / "events.json").write_text("[]\n")
    again = download(VERSION, server.url, tmp_path / "cache")
    assert (again / "json" / "events.json").read_bytes() == _member(dist, "json/events.json")


def test_a_damaged_cache_is_kept_when_fetching_it_again_fails(dist, serve, tmp_path):
    server = serve(dist)
    folder = download(VERSION, server.url, tmp_path / "cache")
    (folder / "json" / "events.json").write_text("[]\n")
    before = _files(tmp_path / "cache")
    server.stop()
    with pytest.raises(DownloadError, match="could not connect"):
        download(VERSION, server.url, tmp_path / "cache")
    assert _files(tmp_path / "cache") == before and (folder / "json" / "events.json").read_text() == "[]\n"


def _member(dist: Path, rel: str) -> bytes:
    with tarfile.open(dist / NAME) as tar:
        return tar.extractfile(f"{archive_root(VERSION)}/{rel}").read()


def _flip_middle_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


@pytest.mark.parametrize("damage", [_flip_middle_byte, lambda data: data[: len(data) // 2]],
                         ids=["corrupted", "truncated"])
def test_damaged_archive_is_refused(dist, serve, tmp_path, damage):
    served = _copy_dist(dist, tmp_path)
    (served / NAME).write_bytes(damage((served / NAME).read_bytes()))
    server = serve(served)
    _refused(server.url, tmp_path / "cache", f"^{NAME} does not match its SHA-256 in registry.txt$")


def test_dropped_connection_is_refused(dist, serve, tmp_path):
    server = serve(dist, _DroppingHandler)
    _refused(server.url, tmp_path / "cache", "connection to 127.0.0.1:[0-9]+ broke off")


def test_trickling_server_hits_the_deadline(dist, serve, tmp_path, monkeypatch):
    monkeypatch.setenv(DEADLINE_ENV, "1")
    server = serve(dist, _TricklingHandler)
    started = time.monotonic()
    error = _refused(server.url, tmp_path / "cache", f"downloading .*{NAME} did not finish within 1 s")
    assert time.monotonic() - started < 5
    assert DEADLINE_ENV in error.hint


def test_silent_server_times_out(dist, serve, tmp_path, monkeypatch):
    monkeypatch.setattr(download_module, "READ_TIMEOUT", 0.3)
    server = serve(dist, _SilentHandler)
    _refused(server.url, tmp_path / "cache", "^127.0.0.1:[0-9]+ sent nothing for 0.3 s$")


def test_deadline_that_is_not_a_number_is_refused(dist, serve, tmp_path, monkeypatch):
    monkeypatch.setenv(DEADLINE_ENV, "soon")
    server = serve(dist)
    _refused(server.url, tmp_path / "cache", f"{DEADLINE_ENV}='soon' is not a number of seconds")


def test_missing_registry_is_a_clear_http_error(tmp_path, serve):
    (tmp_path / "empty").mkdir()
    server = serve(tmp_path / "empty")
    _refused(server.url, tmp_path / "cache", "registry.txt answered 404 File not found$")


def test_cache_dir_that_is_a_file_is_refused_before_the_network(tmp_path, capsys):
    cache = tmp_path / "cache"
    cache.write_text("a file\n")
    # Nothing listens on this URL: the refusal must come first.
    assert main(["download", "--url", "http://127.0.0.1:9/", "--cache-dir", str(cache)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [f"error: the cache folder {cache} is a file",
                                "  hint: give --cache-dir (or $DIPLONEWS_DATA_DIR) a folder you can write, "
                                "or a path that does not exist yet"]
    assert cache.read_text() == "a file\n"


def test_progress_only_on_a_terminal(dist, serve, tmp_path, capsys, monkeypatch):
    server = serve(dist)
    assert main(["download", "--url", server.url, "--cache-dir", str(tmp_path / "quiet")]) == 0
    assert capsys.readouterr().err == ""  # not a terminal: no progress bar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    download(VERSION, server.url, tmp_path / "shown")
    shown = terminal.getvalue()
    assert f"\rdownloading {NAME}: 100% of" in shown and shown.endswith("\n")


def test_unknown_version_is_refused(dist, serve, tmp_path):
    server = serve(dist)
    with pytest.raises(DownloadError, match=f"unknown version 9.9.9: .* offers {VERSION}"):
        download("9.9.9", server.url, tmp_path / "cache")
    with pytest.raises(DownloadError, match="unknown version '../x'") as caught:
        download("../x", server.url, tmp_path / "cache")
    assert caught.value.hint == "versions look like 1.2.3"
    with pytest.raises(DownloadError, match=f"unknown version '{VERSION}-full'") as caught:
        download(f"{VERSION}-full", server.url, tmp_path / "cache")  # as the archive of the variant is named
    assert caught.value.hint == f"the variant is an option of its own: --version {VERSION} --variant full"
    assert _files(tmp_path / "cache") == []


def _evil_archive(folder: Path, member: tarfile.TarInfo, payload: bytes = b"") -> None:
    """A release archive with one extra member, registered with its true hash (so only the unpacking
    checks can catch it)."""
    raw = io.BytesIO()
    with tarfile.open(dist_path := folder / NAME) as good, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for m in good.getmembers():
            tar.addfile(m, good.extractfile(m) if m.isfile() else None)
        tar.addfile(member, io.BytesIO(payload) if member.isfile() else None)
    dist_path.write_bytes(raw.getvalue())
    _set_registry(folder)


def _tarinfo(name: str, kind: bytes = tarfile.REGTYPE, link: str = "", size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, size
    return info


ROOT = archive_root(VERSION)


@pytest.mark.parametrize(
    ("member", "why"),
    [
        (_tarinfo(f"{ROOT}/../../escaped.txt", size=4), "leaves the target folder"),
        (_tarinfo("/tmp/diplonews-escaped.txt", size=4), "leaves the target folder"),
        (_tarinfo("elsewhere/x.txt", size=4), "outside the release folder"),
        (_tarinfo(f"{ROOT}/parquet/link", tarfile.SYMTYPE, "/etc/passwd"), "link or special file"),
        (_tarinfo(f"{ROOT}/hard", tarfile.LNKTYPE, f"{ROOT}/README.md"), "link or special file"),
    ],
    ids=["dotdot", "absolute", "outside-root", "symlink", "hardlink"],
)
def test_unsafe_archive_member_is_refused(dist, serve, tmp_path, member, why):
    served = _copy_dist(dist, tmp_path)
    _evil_archive(served, member, b"evil" if member.isfile() else b"")
    server = serve(served)
    cache = tmp_path / "area" / "cache"
    with pytest.raises(DownloadError, match=why):
        download(VERSION, server.url, cache)
    assert _files(tmp_path / "area") == []  # nothing unpacked, archive and new cache folder removed, nothing escaped
    assert not Path("/tmp/diplonews-escaped.txt").exists()


def test_archive_disagreeing_with_its_sha256sums_is_refused(dist, serve, tmp_path):
    served = _copy_dist(dist, tmp_path)
    raw = io.BytesIO()
    with tarfile.open(served / NAME) as good, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for m in good.getmembers():
            data = good.extractfile(m).read() if m.isfile() else None
            if m.name.endswith("json/events.json"):
                data, m.size = b"[]\n", 3
            tar.addfile(m, io.BytesIO(data) if data is not None else None)
    (served / NAME).write_bytes(raw.getvalue())
    _set_registry(served)
    server = serve(served)
    with pytest.raises(DownloadError, match="json/events.json: SHA-256 differs"):
        download(VERSION, server.url, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_cli_download(dist, serve, tmp_path, capsys):
    server = serve(dist)
    cache = tmp_path / "cache"
    assert main(["download", "--url", server.url, "--cache-dir", str(cache)]) == 0
    assert capsys.readouterr().out.strip() == str(cache / ROOT)
    assert main(["download", "--version", "7.0.0", "--url", server.url, "--cache-dir", str(cache)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"error: unknown version 7.0.0: {server.url} offers {VERSION} (variants: standoff, full)",
                   "  hint: choose one of the versions offered with --version, and its variant with --variant"]


def test_what_a_refusal_offers_is_named_as_version_and_variant_take_it(dist, serve, tmp_path, capsys):
    # '2.0.0-full' was offered, and then refused by --version: each version is named once, with its variants
    served = _copy_dist(dist, tmp_path)
    fake = "sha256:" + "a" * 64
    with open(served / "registry.txt", "a", encoding="utf-8") as registry:
        registry.write(f"diplonews-data-1.10.0-full.tar.gz {fake}\ndiplonews-data-1.9.0.tar.gz {fake}\n"
                       f"notes.txt {fake}\n")
    server = serve(served)
    cache = tmp_path / "cache"
    assert main(["download", "--version", "9.9.9", "--url", server.url, "--cache-dir", str(cache)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"error: unknown version 9.9.9: {server.url} offers {VERSION} (variants: standoff, full); "
        "1.10.0 (variant: full); 1.9.0 (variant: standoff)")
    assert _files(cache) == []
    for variant in ("standoff", "full"):  # what it offers, it takes
        assert main(["download", "--version", VERSION, "--variant", variant, "--url", server.url,
                     "--cache-dir", str(cache)]) == 0
        assert capsys.readouterr().out.strip() == str(cache / archive_root(VERSION, variant))


def test_a_variant_not_offered_is_refused_as_such(dist, serve, tmp_path):
    served = _copy_dist(dist, tmp_path)
    _set_registry(served)  # the standoff archive only
    server = serve(served)
    with pytest.raises(DownloadError) as caught:
        download(VERSION, server.url, tmp_path / "cache", variant="full")
    assert caught.value.message == f"version {VERSION} is not offered as full: {server.url} offers {VERSION} " \
                                   "(variant: standoff)"
    assert caught.value.hint == "choose one of the variants offered with --variant"
    assert _files(tmp_path / "cache") == []


def test_cli_checksum_refusal_is_one_sentence_and_a_hint(dist, serve, tmp_path, capsys):
    served = _copy_dist(dist, tmp_path)
    (served / NAME).write_bytes(_flip_middle_byte((served / NAME).read_bytes()))
    server = serve(served)
    assert main(["download", "--url", server.url, "--cache-dir", str(tmp_path / "cache")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"error: {NAME} does not match its SHA-256 in registry.txt"
    assert len(err) == 2 and err[1].startswith("  hint: the download was corrupted")


def test_downloaded_release_validates_clean(dist, serve, tmp_path):
    server = serve(dist)
    report = api.validate(download(VERSION, server.url, tmp_path / "cache"))
    assert report.errors == [], report.render()


def test_a_refused_download_keeps_a_cache_folder_that_was_there(dist, serve, tmp_path):
    served = _copy_dist(dist, tmp_path)
    (served / NAME).write_bytes(_flip_middle_byte((served / NAME).read_bytes()))
    server = serve(served)
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(DownloadError, match="does not match its SHA-256"):
        download(VERSION, server.url, cache / "new" / "deeper")
    assert _files(tmp_path / "cache") == []  # the folders it made went, the one that was there stays
