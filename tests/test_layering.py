"""The layers at run time: the command line starts without Qt.

The static rules (desktop above validators above forms; no Qt, keyring or desktop in the
domain; the command line and the app independent) are import-linter contracts in
pyproject.toml, checked by `lint-imports` in the test command. What they cannot see is
what a running command actually loads, checked here.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("argv", [["--version"], ["catalog"], ["check", "--help"]])
def test_the_command_line_loads_no_qt(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from desktop.launch import cli\n"
        "try:\n"
        f"    cli({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.exit(1 if any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules) else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=False
    )
    assert result.returncode == 0, "the command line must start without loading Qt"
