"""Authoring tools: ``diplonews new`` (suggestions, relative dates) and registry edits."""

from __future__ import annotations

import shlex
from pathlib import Path

DEFAULT_SEEDS = Path("seeds")
"""The seeds folder the commands read when given none."""


def with_seeds(command: str, seeds: Path, positional: bool = False) -> str:
    """``command`` as the user would run it on ``seeds``: as it is for ./seeds, the default, else with the folder
    as ``--seeds DIR`` (or as the first argument, when ``positional``), so that a hint can be copied and run."""
    if Path(seeds) == DEFAULT_SEEDS:
        return command
    return f"{command} {'' if positional else '--seeds '}{shlex.quote(str(seeds))}"
