"""The domain stays free of Qt, keyring and desktop/ (house style: dependencies point one way)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FORBIDDEN = {
    "validators": ("PySide6", "shiboken6", "keyring", "desktop"),
    "forms": ("PySide6", "shiboken6", "desktop"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upwards(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        for name in _imports(path):
            for bad in FORBIDDEN[package]:
                assert not (name == bad or name.startswith(bad + ".")), f"{path} imports {name}"


def test_command_line_check_loads_no_qt() -> None:
    code = (
        "import sys; from desktop.cli.main import main; main(['catalog']); "
        "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=False
    )
    assert result.returncode == 0, "the command line must start without loading Qt"
