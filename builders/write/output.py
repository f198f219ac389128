"""The output folder of a build: what may be replaced, who may replace it, and how.

A build writes the new dataset into a temporary folder beside the output and swaps it into place
only once it passed every rule. This module holds the rules around that swap:

- :func:`check_output` refuses an output folder that is not ours to replace (the sources, a
  folder holding them, an existing file, a folder that is not a previous diplonews dataset), or
  that cannot be written, before anything is touched;
- :func:`output_lock` lets one build at a time replace a given output;
- :func:`swap_in` replaces the old dataset by the new one so that at every instant the output is
  one or the other, complete: Linux swaps two folders atomically (``renameat2`` with
  ``RENAME_EXCHANGE``); elsewhere two renames are used, and :func:`restore` (run first by build,
  validate and load) puts the previous dataset back if a swap was cut short between them.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import json
import os
import shutil
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from filelock import FileLock, Timeout

from diplonews.errors import UserError
from diplonews.files import make_temp_dir

MARKER = ".diplonews-dataset"
"""A file in every built dataset saying what the folder is; only such a folder is ever replaced."""

MARKER_TEXT = (
    "This folder is a dataset built by diplonews. 'diplonews build' replaces it as a whole:\n"
    "keep nothing of your own here.\n"
)


def side_path(out: Path, suffix: str) -> Path:
    """A hidden file or folder beside ``out`` that belongs to it (``.dataset.lock``, ``.dataset.old``, ...)."""
    return out.parent / f".{out.name}.{suffix}"


def temp_prefix(out: Path) -> str:
    """Name prefix of the folders a build of ``out`` writes into before the swap."""
    return f".{out.name}.build-"


# -- what may be replaced ------------------------------------------------------------------------

def is_dataset(folder: Path) -> bool:
    """Whether ``folder`` is a dataset a diplonews build wrote: it has the marker, or (built before the
    marker existed) a diplonews datapackage and checksums."""
    if (folder / MARKER).is_file():
        return True
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(package, dict) and package.get("name") == "diplonews" and (folder / "SHA256SUMS").is_file()


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output(out: Path, seeds: Path) -> Path:
    """The real path of ``out`` if a build may replace it; a :class:`UserError` before anything is
    touched otherwise."""
    hint = "build into a new folder, or into a previous diplonews dataset (the default: dataset)"
    try:
        real, sources = out.resolve(), seeds.resolve()
    except (RuntimeError, OSError) as exc:  # Python 3.11 reports a symlink loop as RuntimeError
        raise UserError(f"cannot follow --out {out} or --seeds {seeds}: {exc}", hint) from None
    if os.path.ismount(real):
        raise UserError(f"--out {out} is a mount point, which cannot be swapped for a new folder",
                        "build into a folder inside it, or beside it")
    if real.parent == real:
        raise UserError(f"cannot build into the file-system root {out}", hint)
    if _within(real, sources):
        raise UserError(f"--out {out} is (or is inside) the sources {seeds}: building there would replace them",
                        hint)
    if _within(sources, real):
        raise UserError(f"--out {out} holds the sources {seeds}: building there would replace them", hint)
    if real.exists() and not real.is_dir():
        raise UserError(f"--out {out} is an existing file, not a dataset folder", hint)
    if real.is_dir() and any(real.iterdir()) and not is_dataset(real):
        raise UserError(f"--out {out} is a folder that is not a diplonews dataset (no {MARKER} file in it)",
                        hint + "; a build replaces its output folder as a whole")
    _check_writable(real)
    return real


def _check_writable(out: Path) -> None:
    """Every folder the build writes in, or removes from, must be writable, or it would fail half-way."""
    parent = out.parent
    while not parent.exists():  # the build creates missing parents in the first existing one
        parent = parent.parent
    folders = [parent]
    for folder in (out, side_path(out, "cache")):
        if folder.is_dir():
            folders += [folder, *(p for p in folder.rglob("*") if p.is_dir())]
    if not parent.is_dir():
        raise UserError(f"cannot build inside {parent}: it is a file, not a folder",
                        "give --out a path whose parent folders are folders")
    for folder in folders:
        # A folder gone since it was listed (another build's cache save or swap) is no reason to refuse.
        if not os.access(folder, os.W_OK | os.X_OK) and folder.exists():
            raise UserError(f"cannot write in {folder}",
                            "make it writable (chmod u+w) or build somewhere else with --out")


# -- one build at a time -------------------------------------------------------------------------

@contextlib.contextmanager
def output_lock(out: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of ``out`` (a file beside it) for the block; if another build holds it, say so
    through ``on_wait`` and wait for it to finish."""
    lock = FileLock(side_path(out, "lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait(f"another build of {out} is running; waiting for it to finish")
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


# -- the swap ------------------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths in one atomic step (Linux ``renameat2``); OSError where not supported."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None or not sys.platform.startswith("linux"):
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a))


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done and are raised right after it (as
    KeyboardInterrupt), so the renames of a swap are never separated by an interruption. Signal handlers
    belong to the main thread; elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, lambda signum, frame: arrived.append(signum)) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if arrived:
        raise KeyboardInterrupt


@dataclass
class Swapped:
    """What a swap did: where the previous output now is (None if there was none), and whether an
    interruption arrived while it ran (it was held until the new output was in place)."""

    previous: Path | None = None
    done: bool = False
    interrupted: bool = False


def swap_in(new: Path, out: Path) -> Swapped:
    """Make the complete folder ``new`` the output ``out``; the previous output is left for :func:`discard`.

    Caller holds :func:`output_lock`. ``new`` must be a sibling of ``out`` (same file system)."""
    result = Swapped()
    try:
        with _signals_held():
            result.previous = _swap(new, out)
            result.done = True
    except KeyboardInterrupt:
        if not result.done:
            raise
        result.interrupted = True  # the new output is in place: say so, rather than "nothing changed"
    return result


def _swap(new: Path, out: Path) -> Path | None:
    if not out.exists():
        os.rename(new, out)
        return None
    try:
        _exchange(new, out)
        return new  # the exchange left the previous dataset under the new one's name
    except OSError as exc:
        if exc.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise
    # Where folders cannot be swapped atomically: the output is moved aside, then the new one in; if the
    # second rename fails, the first is undone. Killed between them, no output exists until restore()
    # moves the old one back.
    old = side_path(out, "old")
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    return old


def discard(previous: Path | None) -> str | None:
    """Remove the previous dataset a swap set aside; what went wrong, if it could not be (the new dataset
    is in place either way, and the next build removes what is left)."""
    if previous is None:
        return None
    try:
        shutil.rmtree(previous)
    except (OSError, KeyboardInterrupt) as exc:
        reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else exc.strerror
        return f"the previous dataset was not removed ({reason}): the next build removes {previous.name}"
    return None


def restore(out: Path, is_ours: Callable[[Path], bool] = is_dataset) -> None:
    """Finish or undo a swap of ``out`` that was cut short, and remove what a killed build left beside it.

    The previous output comes back if the new one was not yet in place (over an empty folder at most,
    never over other files); once the new one is in place, what is left of the old one is removed. Run
    under the lock before a build; validate and load call :func:`restore_if_needed`. ``is_ours`` says
    whether a folder is an output of this kind (a dataset by default; the site passes its own test)."""
    old = side_path(out, "old")
    if old.is_dir() and is_ours(out):
        shutil.rmtree(old)  # the swap had only the old output (or what is left of it) to remove
    elif old.is_dir() and is_ours(old):
        if out.is_dir() and not any(out.iterdir()):
            out.rmdir()  # made empty by someone since (mkdir, a checkout): the previous dataset comes back
            os.rename(old, out)
        elif out.exists():
            raise UserError(f"{out} is not complete, and the previous version is in {old}",
                            f"move whichever you want to keep to {out.name}, then run the command again")
        else:
            os.rename(old, out)
    if out.parent.is_dir():
        # What a killed build or cache save left (under the lock, so no other build is using them).
        for pattern in (temp_prefix(out), f".{out.name}.cache."):
            for stray in out.parent.glob(glob.escape(pattern) + "*"):
                if stray.is_dir():
                    shutil.rmtree(stray)


def restore_if_needed(out: Path) -> None:
    """Before reading ``out``: if a two-step swap of it was cut short and the output is missing, put the
    previous dataset back (under the lock). A complete output is read as it is, whatever lies beside it."""
    out = Path(out).resolve()
    old = side_path(out, "old")
    if is_dataset(out) or not (old.is_dir() and is_dataset(old)):
        return
    try:
        with output_lock(out):
            restore(out)
    except OSError as exc:
        raise UserError(f"{out} is missing: a build was cut short and the dataset is in {old}, which could not "
                        f"be moved back ({exc.strerror})", f"move {old} to {out}") from None


@contextlib.contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A new folder beside ``out`` to write the next dataset into; removed on the way out unless it was
    swapped in (then it no longer exists under its name)."""
    folder = make_temp_dir(out.parent, temp_prefix(out))
    try:
        yield folder
    finally:
        # A failure here must not hide the one that ended the block; the next build removes what is left.
        shutil.rmtree(folder, ignore_errors=True)
