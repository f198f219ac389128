"""Faults: a build killed at any stage or between any two file operations of its swap, builds running at
once, Ctrl-C, a full disk, folders that cannot be written, and outputs that are not ours to replace.
After each, the output is the old or the new dataset byte for byte, and the next build succeeds."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from diplonews.builders import pipeline as stages
from diplonews.builders.pipeline import build
from diplonews.builders.write import output
from diplonews.cli import main
from diplonews.errors import UserError
from diplonews.files import sha256_file, write_atomic

DRIVER = Path(__file__).resolve().parent / "faults" / "driver.py"


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its SHA-256."""
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    """What lies beside ``out`` besides the output itself, its cache and its lock file."""
    keep = {out.name, f".{out.name}.cache", f".{out.name}.lock"}
    return sorted(p.name for p in out.parent.iterdir() if p.name not in keep)


@pytest.fixture(scope="module")
def versions(tmp_path_factory, repo):
    """An old and a new dataset (the seeds, and the seeds with one title changed), built once."""
    root = tmp_path_factory.mktemp("versions")
    new_seeds = root / "new-seeds"
    shutil.copytree(repo / "seeds", new_seeds)
    path = new_seeds / "annotations" / "2025-03-25-rubio-seeks-turkey-backing.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("peace in Ukraine\"", "peace in Ukraine (edited)\"", 1), encoding="utf-8")
    old, new = root / "old" / "dataset", root / "new" / "dataset"
    assert build(repo / "seeds", old, use_cache=False).written
    assert build(new_seeds, new, use_cache=False).written
    assert tree(old) != tree(new)
    return {"seeds": new_seeds, "old": old, "new": new, "old_tree": tree(old), "new_tree": tree(new)}


def _out_with_old(versions, tmp_path: Path) -> Path:
    out = tmp_path / "work" / "dataset"
    shutil.copytree(versions["old"], out)
    return out


def _drive(versions, out: Path, fault: str, exchange: bool = True, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ}
    if not exchange:
        env["DIPLONEWS_TEST_NO_EXCHANGE"] = "1"
    return subprocess.run([sys.executable, str(DRIVER), str(versions["seeds"]), str(out), fault],
                          capture_output=True, text=True, env=env, timeout=120, **kwargs)


def _next_build_is_new(versions, out: Path) -> None:
    assert build(versions["seeds"], out).written
    assert tree(out) == versions["new_tree"]
    assert leftovers(out) == []


# -- killed ----------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("stage", ["compile_sources", "write_tables", "validate_dataset", "describe",
                                   "swap_in"])
def test_build_killed_at_a_stage_leaves_the_old_dataset(versions, tmp_path, stage):
    out = _out_with_old(versions, tmp_path)
    done = _drive(versions, out, f"stage:{stage}")
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert tree(out) == versions["old_tree"]
    _next_build_is_new(versions, out)


def _swap_operations(versions, tmp_path: Path, exchange: bool) -> int:
    out = _out_with_old(versions, tmp_path / "count")
    done = _drive(versions, out, "none", exchange)
    assert done.returncode == 0, done.stderr
    assert tree(out) == versions["new_tree"]
    return int(done.stdout.rsplit("swap operations: ", 1)[1])


@pytest.mark.slow
@pytest.mark.parametrize("exchange", [True, False], ids=["atomic-exchange", "two-renames"])
def test_build_killed_between_file_operations_of_the_swap(versions, tmp_path, exchange):
    """At every instant the output is the complete old or new dataset (with an atomic exchange);
    without one, the next command that reads it (here load) restores one of them first."""
    total = _swap_operations(versions, tmp_path, exchange)
    assert total > 5  # the swap and the removal of the old dataset, file by file
    # Every operation up to the removal of the old dataset's files, then samples of that removal.
    points = sorted({1, 2, 3, 4, total // 2, total - 1, total})
    for n in points:
        out = _out_with_old(versions, tmp_path / f"kill-{n}")
        done = _drive(versions, out, f"op:{n}", exchange)
        assert done.returncode == -signal.SIGKILL, (n, done.stderr)
        if exchange:
            assert tree(out) in (versions["old_tree"], versions["new_tree"]), n
        else:
            from diplonews import api

            api.load(out)  # the next command: puts back a complete dataset before reading it
            assert tree(out) in (versions["old_tree"], versions["new_tree"]), n
        _next_build_is_new(versions, out)


# -- at once ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_concurrent_builds_wait_for_each_other(versions, tmp_path):
    out = _out_with_old(versions, tmp_path)
    for _ in range(3):
        procs = [subprocess.Popen([sys.executable, "-m", "diplonews.cli", "build", "--seeds",
                                   str(versions["seeds"]), "--out", str(out)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        assert [code for code, _ in results] == [0, 0, 0], results
        assert all("Traceback" not in err for _, err in results)
        assert tree(out) == versions["new_tree"]
        assert leftovers(out) == []


def test_a_waiting_build_says_so(versions, tmp_path):
    out = _out_with_old(versions, tmp_path)
    heard = []
    with output.output_lock(out):
        import threading

        waiting = threading.Thread(target=lambda: build(versions["seeds"], out, on_wait=heard.append))
        waiting.start()
        deadline = time.monotonic() + 30
        while not heard and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tree(out) == versions["old_tree"]  # nothing happens while the lock is held
    waiting.join(60)
    assert heard == [f"another build of {out} is running; waiting for it to finish"]
    assert tree(out) == versions["new_tree"]


# -- interrupted -----------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "terminate"])
def test_interrupted_build_prints_one_line_and_leaves_nothing(versions, tmp_path, signum):
    out = _out_with_old(versions, tmp_path)
    proc = subprocess.Popen([sys.executable, str(DRIVER), str(versions["seeds"]), str(out),
                             "sleep:validate_dataset"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready = Path(str(out) + ".ready")
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    ready.unlink()
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == "interrupted: nothing was changed\n"
    assert tree(out) == versions["old_tree"]
    assert leftovers(out) == []


# -- the machine fails -----------------------------------------------------------------------------

def test_full_disk_is_one_line_and_leaves_the_old_dataset(versions, tmp_path, monkeypatch, capsys):
    out = _out_with_old(versions, tmp_path)

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out.parent / "x.parquet"))

    monkeypatch.setattr(stages, "describe", no_space)
    assert main(["build", "--seeds", str(versions["seeds"]), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: No space left on device: ") and "Traceback" not in err
    assert "hint: free some space" in err
    assert tree(out) == versions["old_tree"]
    assert leftovers(out) == []


@contextlib.contextmanager
def _old_dataset_on_a_tmpfs(folder: Path, size: str, versions) -> Iterator[Path]:
    """The old dataset on a file system of its own, of ``size``; skipped where mounting is not allowed."""
    folder.mkdir(parents=True)
    mounted = shutil.which("mount") is not None and os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True).returncode == 0
    if not mounted:
        pytest.skip("mounting a tmpfs needs root and mount permission (CI runs as root)")
    try:
        out = folder / "dataset"
        shutil.copytree(versions["old"], out)
        yield out
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_full_disk_on_a_real_small_file_system(versions, tmp_path, capsys):
    # 628 KiB: a second copy of the dataset does not fit in 1 MiB.
    with _old_dataset_on_a_tmpfs(tmp_path / "disk", "1m", versions) as out:
        assert main(["build", "--seeds", str(versions["seeds"]), "--out", str(out), "--no-cache"]) == 1
        err = capsys.readouterr().err
        assert "No space left on device" in err and "Traceback" not in err
        assert tree(out) == versions["old_tree"]
        assert leftovers(out) == []


def test_read_only_file_system_is_refused_before_anything(versions, tmp_path, capsys):
    disk = tmp_path / "disk"
    with _old_dataset_on_a_tmpfs(disk, "4m", versions) as out:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        assert main(["build", "--seeds", str(versions["seeds"]), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"error: cannot write in {disk}") and "Traceback" not in err
        assert tree(out) == versions["old_tree"]


@pytest.mark.parametrize("where", ["parent", "output", "output subfolder", "cache"])
def test_a_folder_that_cannot_be_written_is_refused_before_anything(versions, tmp_path, monkeypatch, where):
    """As root every folder is writable, so the permission is denied through os.access here; the
    read-only file system above is the real case."""
    out = _out_with_old(versions, tmp_path)
    assert build(versions["seeds"], out).written
    before = tree(out)
    denied = {"parent": out.parent, "output": out, "output subfolder": out / "parquet",
              "cache": out.parent / ".dataset.cache"}[where]
    real_access = os.access
    monkeypatch.setattr(output.os, "access", lambda p, mode: Path(p) != denied and real_access(p, mode))
    with pytest.raises(UserError, match=f"cannot write in {denied}$"):
        build(versions["seeds"], out)
    assert tree(out) == before


def test_unsaved_cache_does_not_fail_the_build(versions, tmp_path, monkeypatch):
    out = _out_with_old(versions, tmp_path)

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(stages.BuildCache, "save", no_space)
    result = build(versions["seeds"], out)
    assert result.written and tree(out) == versions["new_tree"]
    assert result.notes == ["build cache not saved (No space left on device): the next build compiles "
                            "every file again"]


# -- what may be replaced --------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["seeds", "seeds/annotations", "inside-seeds", ".", "README.md",
                                    "other-folder"])
def test_output_that_is_not_ours_is_refused_and_untouched(repo, tmp_path, capsys, target):
    root = tmp_path / "checkout"
    shutil.copytree(repo / "seeds", root / "seeds")
    (root / "README.md").write_text("my notes\n", encoding="utf-8")
    (root / "other-folder").mkdir()
    (root / "other-folder" / "thesis.tex").write_text("\\chapter{}\n", encoding="utf-8")
    before = tree(root)
    out = {"inside-seeds": "seeds/dataset"}.get(target, target)
    code = main(["build", "--seeds", str(root / "seeds"), "--out", str(root / out)])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("error: --out ") and "hint: " in err and "Traceback" not in err
    assert tree(root) == before
    assert sorted(p.name for p in root.iterdir()) == ["README.md", "other-folder", "seeds"]


def test_output_may_be_new_empty_or_a_previous_dataset(repo, versions, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(repo / "seeds", empty).written
    assert (empty / output.MARKER).read_text(encoding="utf-8") == output.MARKER_TEXT
    assert build(repo / "seeds", tmp_path / "a" / "b" / "new").written
    legacy = _out_with_old(versions, tmp_path)  # built before the marker existed
    (legacy / output.MARKER).unlink()
    assert build(versions["seeds"], legacy).written
    assert tree(legacy) == versions["new_tree"]


def test_is_dataset_needs_marker_or_diplonews_package(tmp_path, versions):
    assert output.is_dataset(versions["old"])
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "datapackage.json").write_text('{"name": "other"}', encoding="utf-8")
    (fake / "SHA256SUMS").write_text("", encoding="utf-8")
    assert not output.is_dataset(fake)
    (fake / "datapackage.json").write_text("not json", encoding="utf-8")
    assert not output.is_dataset(fake)


# -- permissions -----------------------------------------------------------------------------------

@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_built_dataset_and_written_files_follow_the_umask(repo, tmp_path, umask):
    previous = os.umask(umask)
    try:
        out = tmp_path / "dataset"
        assert build(repo / "seeds", out, use_cache=False).written
        new_file = tmp_path / "new.yaml"
        write_atomic(new_file, b"a: 1\n")
    finally:
        os.umask(previous)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask
    assert new_file.stat().st_mode & 0o777 == 0o666 & ~umask


def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    write_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n" and path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["actors.yaml"]


# -- what a cut-short swap leaves, found by the next command ---------------------------------------

def _cut_between_renames(versions, tmp_path: Path) -> Path:
    """The output of a two-rename swap killed between its renames: no output, the dataset beside it."""
    out = _out_with_old(versions, tmp_path)
    os.rename(out, output.side_path(out, "old"))
    return out


def test_a_folder_made_in_place_of_the_output_gives_the_dataset_back(versions, tmp_path):
    out = _cut_between_renames(versions, tmp_path)
    out.mkdir()  # a checkout or a mkdir made it again, empty
    from diplonews import api

    api.load(out)
    assert tree(out) == versions["old_tree"] and not output.side_path(out, "old").exists()


def test_other_files_in_place_of_the_output_are_never_removed(versions, tmp_path, capsys):
    out = _cut_between_renames(versions, tmp_path)
    out.mkdir()
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert main(["validate", str(out)]) == 1
    assert "the previous version is in" in capsys.readouterr().err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert tree(output.side_path(out, "old")) == versions["old_tree"]


def test_validate_on_the_command_line_restores_first(versions, tmp_path, capsys):
    out = _cut_between_renames(versions, tmp_path)
    assert main(["validate", str(out)]) == 0, capsys.readouterr()
    assert tree(out) == versions["old_tree"]


def test_restore_follows_a_link_to_the_output(versions, tmp_path):
    out = _cut_between_renames(versions, tmp_path)
    link = tmp_path / "link"
    link.symlink_to(out)
    from diplonews import api

    api.load(link)
    assert tree(out) == versions["old_tree"]


def test_a_complete_output_is_read_without_the_lock(versions, tmp_path, monkeypatch):
    """A stale leftover beside a complete dataset (e.g. on a read-only copy) is no reason to write."""
    out = _out_with_old(versions, tmp_path)
    shutil.copytree(versions["old"], output.side_path(out, "old"))

    def no_lock(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(output, "output_lock", no_lock)
    from diplonews import api

    assert api.validate(out).ok


def test_an_interruption_between_the_renames_puts_the_old_dataset_back(versions, tmp_path, monkeypatch):
    out = _out_with_old(versions, tmp_path)
    monkeypatch.setattr(output, "_exchange", lambda a, b: (_ for _ in ()).throw(OSError(errno.ENOSYS, "no")))
    real_rename, calls = os.rename, []

    def rename(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the new dataset into place
            raise KeyboardInterrupt
        real_rename(src, dst)

    monkeypatch.setattr(output.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        build(versions["seeds"], out)
    monkeypatch.undo()
    assert tree(out) == versions["old_tree"]


def test_ctrl_c_during_the_swap_waits_for_it_and_is_reported(versions, tmp_path, monkeypatch):
    out = _out_with_old(versions, tmp_path)
    real = output._exchange

    def exchange_interrupted(a, b):
        os.kill(os.getpid(), signal.SIGINT)  # held until the swap is done
        real(a, b)

    monkeypatch.setattr(output, "_exchange", exchange_interrupted)
    result = build(versions["seeds"], out)
    assert result.written and tree(out) == versions["new_tree"]
    assert result.notes == ["interrupted once the new dataset was in place: the build cache was not saved"]


def test_strays_of_another_output_with_a_like_name_are_kept(versions, tmp_path):
    out = _out_with_old(versions, tmp_path)
    other = out.parent / "data1"
    stray = out.parent / ".data1.build-abc"
    stray.mkdir()
    named = out.parent / "data[1]"
    assert build(versions["seeds"], named).written  # its restore globs '.data[1].build-*'
    assert stray.is_dir() and not other.exists()


def test_a_symlink_loop_as_output_is_one_message(versions, tmp_path, capsys):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    assert main(["build", "--seeds", str(versions["seeds"]), "--out", str(loop)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot follow --out") and "Traceback" not in err


def test_a_refused_build_creates_no_folder(tmp_path, capsys):
    out = tmp_path / "a" / "b"
    assert main(["build", "--seeds", str(tmp_path / "nowhere"), "--out", str(out)]) == 1
    assert not (tmp_path / "a").exists()


def test_a_file_as_a_parent_of_the_output_is_named_as_such(versions, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert main(["build", "--seeds", str(versions["seeds"]), "--out", str(tmp_path / "notes.txt" / "x")]) == 1
    assert "it is a file, not a folder" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"
