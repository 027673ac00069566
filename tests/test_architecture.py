"""The layers in docs/architecture.md are enforced by import-linter (`lint-imports`, run by `make test`).

Two things are shown here: each contract in pyproject.toml really fails when someone writes the wrong
arrow (a copy of the package with one offending module added per contract), and the project as it
stands keeps every contract.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "sscard"
CONFIG = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# contract id -> (probe module, its source, the import chain lint-imports must report)
PROBES = {
    "layers": (
        "sscard/registry/_probe_layers.py",
        "from sscard.accounts import models\n",
        "sscard.registry._probe_layers -> sscard.accounts.models",
    ),
    "core-no-apps": (
        "sscard/photos/_probe_apps.py",
        "from sscard.registry import models\n",
        "sscard.photos._probe_apps -> sscard.registry.models",
    ),
    "core-no-django": (
        "sscard/identity/_probe_django.py",
        "from django.conf import settings\n",
        "sscard.identity._probe_django -> django",  # external packages are reported whole
    ),
    "notifications-no-callers": (
        "sscard/notifications/_probe_callers.py",
        "from sscard.applications import models\n",
        "sscard.notifications._probe_callers -> sscard.applications.models",
    ),
    "registry-no-applications": (
        "sscard/registry/_probe_applications.py",
        "from sscard.applications import constants\n",
        "sscard.registry._probe_applications -> sscard.applications.constants",
    ),
    "views-only-from-urls": (
        "sscard/cards/_probe_views.py",
        "from sscard.applications import views\n",
        "sscard.cards._probe_views -> sscard.applications.views",
    ),
    "no-test-support-in-src": (
        "sscard/photos/_probe_tests.py",
        "from tests.support import photo_evalset\n",
        "sscard.photos._probe_tests -> tests",
    ),
}


def lint_imports(*args: str, cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if pythonpath is not None:
        # Ahead of the editable install's src/, so the copy is the `sscard` that gets analysed.
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )


def contract_ids() -> set[str]:
    return set(re.findall(r'^id = "([^"]+)"', CONFIG.read_text(), re.M))


def test_every_contract_has_a_probe():
    assert contract_ids() == set(PROBES), "add a probe below for each contract in pyproject.toml"


@pytest.fixture(scope="module")
def package_with_violations(tmp_path_factory) -> Path:
    """A copy of src/sscard (Python files only) with one offending module per contract."""
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(
        ROOT / "src" / "sscard", root / "sscard",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "*.html", "*.js", "*.css"),
    )
    for path, source, _ in PROBES.values():
        (root / path).write_text(source)
    return root


@pytest.mark.parametrize("contract", sorted(PROBES))
def test_a_wrong_import_breaks_its_contract(contract, package_with_violations):
    _, _, chain = PROBES[contract]
    result = lint_imports(str(CONFIG), "--contract", contract, cwd=package_with_violations,
                          pythonpath=package_with_violations)
    out = result.stdout + result.stderr
    assert "Analyzed" in out, out  # the linter ran on the copy, not stopped on its configuration
    assert result.returncode != 0, out
    assert re.search(r"\bBROKEN\b", out), out
    assert chain in out, f"{contract}: expected the chain {chain!r} in:\n{out}"


def test_the_project_keeps_every_contract():
    result = lint_imports(cwd=ROOT)
    out = result.stdout + result.stderr
    if result.returncode != 0:
        broken = out.split("Broken contracts", 1)[-1].strip() if "Broken contracts" in out else out
        pytest.fail(f"import contracts broken (see docs/architecture.md):\n{broken}", pytrace=False)
    assert "0 broken" in out, out


IMPORT_LINE = re.compile(r"^\s+(from \S+ import |import \S)")


def test_every_import_inside_a_function_says_why():
    """An import inside a function hides a dependency (or a cycle): allowed only with a comment saying why,
    on the line itself or just above the block of imports it belongs to."""
    unexplained = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        in_docstring = False
        for number, line in enumerate(lines):
            if line.count('"""') % 2:
                in_docstring = not in_docstring
            if in_docstring or not IMPORT_LINE.match(line):
                continue
            first = number
            while first > 0 and IMPORT_LINE.match(lines[first - 1]):
                first -= 1
            if "#" in line or (first > 0 and lines[first - 1].strip().startswith("#")):
                continue
            unexplained.append(f"{path.relative_to(ROOT)}:{number + 1}: {line.strip()}")
    assert not unexplained, "imports inside functions without a reason:\n" + "\n".join(unexplained)
