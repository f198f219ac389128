"""One build with a fault injected, run in its own process by tests/test_faults.py.

    python driver.py SEEDS OUT stage:NAME   killed (SIGKILL) on entering build stage NAME
    python driver.py SEEDS OUT op:N         killed before the N-th file operation of the swap
    python driver.py SEEDS OUT sleep:NAME   pauses in stage NAME (after touching OUT.ready) until signalled
    python driver.py SEEDS OUT none         no fault; prints how many file operations the swap made

With DIPLONEWS_TEST_NO_EXCHANGE=1, folders are swapped as on a platform without an atomic exchange.
The build runs through the command line, so its messages and exit status are the user's.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import time
from pathlib import Path

from diplonews.builders import pipeline as stages
from diplonews.builders.write import output
from diplonews.cli import main


def _die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def _no_exchange(a, b):
    raise OSError(errno.ENOSYS, "disabled by the test")


def _count_swap_operations(kill_at: int | None) -> list[int]:
    """Wrap every file operation the swap can make; count them while the swap runs."""
    count, active = [0], [False]

    def counted(fn):
        def op(*args, **kwargs):
            if active[0]:
                count[0] += 1
                if count[0] == kill_at:
                    _die()
            return fn(*args, **kwargs)
        return op

    for module, name in ((os, "rename"), (os, "replace"), (os, "unlink"), (os, "rmdir"), (output, "_exchange")):
        setattr(module, name, counted(getattr(module, name)))

    def counting(stage):
        def run(*args):
            active[0] = True
            try:
                return stage(*args)
            finally:
                active[0] = False
        return run

    # The swap, and the removal of the dataset it set aside.
    stages.swap_in, stages.discard = counting(stages.swap_in), counting(stages.discard)
    return count


def run(seeds: str, out: str, fault: str) -> int:
    if os.environ.get("DIPLONEWS_TEST_NO_EXCHANGE"):
        output._exchange = _no_exchange
    kind, _, arg = fault.partition(":")
    count = None
    if kind == "stage":
        setattr(stages, arg, _die)
    elif kind == "sleep":
        original = getattr(stages, arg)

        def sleepy(*args, **kwargs):
            Path(out + ".ready").touch()
            time.sleep(60)
            return original(*args, **kwargs)

        setattr(stages, arg, sleepy)
    elif kind in ("op", "none"):
        count = _count_swap_operations(int(arg) if kind == "op" else None)
    status = main(["build", "--seeds", seeds, "--out", out])
    if count is not None:
        print(f"swap operations: {count[0]}")
    return status


if __name__ == "__main__":
    sys.exit(run(*sys.argv[1:4]))
