"""Dependencies run one way: schema <- validators <- builders <- api/cli, with the leaf facts (dataset
metadata, the user-error type, file helpers, progress) importing nothing else of the project.

The contract lives in pyproject.toml ([tool.importlinter]) and is checked by import-linter. Our packages
are mapped from top-level folders (schema/, builders/, validators/) into ``diplonews``, which import
analysis cannot follow, so the test assembles them into one package tree first, as an install would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _assemble(root: Path) -> Path:
    """Copy every package of pyproject.toml's package-dir into ``root`` at its dotted place."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    for package, folder in config["tool"]["setuptools"]["package-dir"].items():
        target = root.joinpath(*package.split("."))
        for source in (REPO / folder).rglob("*.py"):
            rel = source.relative_to(REPO / folder)
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / rel)
    return root


def _lint(tree: Path) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).parent / "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(lint), str(REPO / "pyproject.toml"), "--no-cache"], cwd=tree,
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def tree(tmp_path) -> Path:
    return _assemble(tmp_path / "tree")


def test_the_assembled_tree_holds_every_module(tree):
    modules = {p.relative_to(tree).with_suffix("").as_posix() for p in tree.rglob("*.py")}
    assert {"diplonews/api", "diplonews/schema/tables", "diplonews/validators/dataset",
            "diplonews/builders/pipeline"} <= modules


def test_dependencies_run_one_way(tree):
    done = _lint(tree)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"Contracts: 1 kept, 0 broken", done.stdout), done.stdout


@pytest.mark.parametrize("module, wrong_import", [
    ("diplonews/schema/enums.py", "from diplonews.builders import pipeline"),
    ("diplonews/validators/findings.py", "import diplonews.builders.pipeline"),
    ("diplonews/builders/assemble.py", "from diplonews import api"),
    ("diplonews/builders/compile/evidence.py", "from diplonews.cli import main"),
    ("diplonews/errors.py", "from diplonews.schema import TABLES"),
])
def test_an_import_against_the_direction_breaks_the_contract(tree, module, wrong_import):
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _wrong():\n    {wrong_import}\n", encoding="utf-8")
    done = _lint(tree)
    assert done.returncode != 0 and "BROKEN" in done.stdout, done.stdout



def _package_modules() -> set[str]:
    """Every module of the package (not ``__init__``), by its path in the repository."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    folders = set(config["tool"]["setuptools"]["package-dir"].values())
    return {p.relative_to(REPO).as_posix() for folder in folders for p in (REPO / folder).rglob("*.py")
            if p.name != "__init__.py"}


def _mentions(page: str) -> set[str]:
    """The module paths a page mentions, as written (``evidence.py``, ``write/output.py``)."""
    return {m.lstrip("./") for m in re.findall(r"[A-Za-z_./][\w/]*\.py\b", page)}


def _names(mention: str, module: str) -> bool:
    return module == mention or module.endswith("/" + mention)


def _unnamed(page: str, modules: set[str]) -> list[str]:
    """Modules no mention names unambiguously (``tables.py`` names neither write/tables.py nor
    schema/tables.py: each needs its folder)."""
    mentions = _mentions(page)
    unique = {m for m in mentions if sum(_names(m, module) for module in modules) == 1}
    return sorted(module for module in modules if not any(_names(m, module) for m in unique))


def _gone(page: str) -> list[str]:
    # benchmarks/ and tests/ are not the package, but the page may point at their files
    existing = {p.relative_to(REPO).as_posix()
                for folder in ("builders", "validators", "schema", "site", "diplonews", "benchmarks", "tests")
                for p in (REPO / folder).rglob("*.py")}
    return sorted(m for m in _mentions(page) if not any(_names(m, module) for module in existing))


ARCHITECTURE = REPO / "docs" / "architecture.md"


def test_the_architecture_page_names_every_module_and_no_other():
    page = ARCHITECTURE.read_text(encoding="utf-8")
    assert not _unnamed(page, _package_modules()), "docs/architecture.md does not say what these modules hold"
    assert not _gone(page), "docs/architecture.md names modules that do not exist"


def test_the_architecture_page_checks_fire():
    page = ARCHITECTURE.read_text(encoding="utf-8")
    assert _unnamed(page.replace("`gcpause.py`", "the collector"), _package_modules()) == ["builders/gcpause.py"]
    assert _gone(page + "\n`builders/compile.py` is gone.") == ["builders/compile.py"]
    # A name two modules share names neither: each needs its folder.
    assert "builders/write/tables.py" in _unnamed(page.replace("write/tables.py", "tables.py"), _package_modules())
