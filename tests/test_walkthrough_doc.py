"""docs/extending.md is run as written: every command of its console blocks, in order, in a copy of the
repository, prints what the page shows (a line `...` stands for any lines, a line ending in `...` for any
end of line), with the page's own annotation snippet and the fixes it describes applied in between."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

PAGE = REPO / "docs" / "extending.md"
ARTICLE = "2025-06-14-fidan-and-kallas-discuss-ukraine-by-phone"
FIXES = [('quote: "Turkey is ready', 'quote: "Türkiye is ready'), ("holder: kaja-kalas", "holder: kaja-kallas"),
         ("stance: supportive", "stance: support")]
"""'After fixing the three lines': the deliberate mistakes of the page's step 5, and their fixes."""


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"^```{kind}\n(.*?)^```$", PAGE.read_text(encoding="utf-8"), re.S | re.M)


def _commands() -> list[tuple[str, list[str]]]:
    """(command, the lines the page shows it printing) for every `$ ` line of the console blocks, in order."""
    steps: list[tuple[str, list[str]]] = []
    for block in _blocks("console"):
        lines = block.rstrip("\n").split("\n")
        k = 0
        while k < len(lines):
            command = lines[k].removeprefix("$ ")
            while command.endswith("\\"):  # a command continued on the next line
                k += 1
                command = command[:-1] + lines[k].strip()
            k += 1
            shown = []
            while k < len(lines) and not lines[k].startswith("$ "):
                shown.append(lines[k])
                k += 1
            steps.append((command, shown))
    return steps


def _pattern(shown: list[str]) -> re.Pattern:
    parts = []
    for line in shown:
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        elif line.endswith("..."):
            parts.append(re.escape(line[:-3]) + r"[^\n]*\n")
        else:
            parts.append(re.escape(line) + r"\n")
    return re.compile("".join(parts))


def _edit_before(command: str, seen: dict[str, int], annotation: Path) -> None:
    """What the page says the reader does to the annotation file between its commands."""
    if not command.startswith("diplonews validate --article"):
        return
    seen["validate"] = seen.get("validate", 0) + 1
    text = annotation.read_text(encoding="utf-8")
    if seen["validate"] == 1:  # step 5: the confirmed entries of the page, mistakes included
        [snippet] = [b for b in _blocks("yaml") if b.startswith("actor_mentions:")]
        text = text.replace("actor_mentions: []\nevent_mentions: []\npositions: []\n", snippet, 1)
    else:  # 'after fixing the three lines and deleting the remaining suggestions'
        for old, new in FIXES:
            assert old in text, old
            text = text.replace(old, new, 1)
        text = text[:text.index("suggestions:\n")]
    annotation.write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_the_walkthrough_prints_what_the_page_shows(tmp_path):
    copy = tmp_path / "repo"
    for folder in ("seeds", "dataset"):
        shutil.copytree(REPO / folder, copy / folder)
    (copy / "docs" / "examples").mkdir(parents=True)
    shutil.copy(REPO / "docs" / "examples" / "fidan-kallas-call.txt", copy / "docs" / "examples")
    program = Path(sys.executable).parent / "diplonews"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}  # output and errors in the order printed
    steps, seen = _commands(), {}
    assert len(steps) >= 10 and all(command.startswith("diplonews ") for command, _ in steps)
    for command, shown in steps:
        _edit_before(command, seen, copy / "seeds" / "annotations" / f"{ARTICLE}.yaml")
        run = subprocess.run([str(program), *shlex.split(command)[1:]], cwd=copy, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        assert _pattern(shown).fullmatch(run.stdout), f"$ {command}\n--- the page shows:\n" + "\n".join(shown) + \
            f"\n--- printed:\n{run.stdout}"
    assert seen.get("validate") == 2  # both edits the page describes were made
