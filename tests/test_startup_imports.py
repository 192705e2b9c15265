"""Each command loads only what it needs (issue 15): `--version` no domain models, and
`catalog` and `check FILE` neither the workspace (cryptography, SQLite) nor the document
and package libraries. The times are in docs/it-deployment.md (installer/figures.py);
this keeps the imports that make them from creeping back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

HEAVY = ("cryptography", "forms.workspace", "reportlab", "PIL", "pikepdf", "pypdf", "docx")
QT = ("PySide6", "shiboken6")

PROGRAM = """
import contextlib, io, json, sys
from desktop.launch import cli
with contextlib.redirect_stdout(io.StringIO()):
    code = cli(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded(tmp_path: Path, *args: str) -> set[str]:
    env = {**os.environ, "SHENBAO_HOME": str(tmp_path), "SHENBAO_SETTINGS": ""}
    run = subprocess.run(
        [sys.executable, "-c", PROGRAM, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, 1), run.stderr
    return set(result["modules"])


def top(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in names or m.startswith(names))


def test_version_loads_no_domain_model(tmp_path: Path) -> None:
    modules = loaded(tmp_path, "--version")
    assert top(modules, ("pydantic", "yaml", "forms.catalog", "desktop.cli", *HEAVY, *QT)) == []


@pytest.mark.parametrize(
    "args", [("catalog",), ("check", str(EXAMPLES / "drafts" / "content-creation.json"))]
)
def test_catalog_and_check_load_neither_workspace_nor_documents(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    modules = loaded(tmp_path, *args)
    assert "forms.catalog.loader" in modules  # the command ran
    assert top(modules, (*HEAVY, *QT, "forms.documents.render", "forms.package.build")) == []
