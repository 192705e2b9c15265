"""The whole test suite, as CI runs it: the README's second command ends here.

Lint, format, types, the layer contracts, then the domain tests in an environment where
Qt is not installed at all (`.venv-domain`: pyproject's dependencies without PySide6 and
pytest-qt), then the Qt tests offscreen. Stops at the first step that fails, with its exit
code. Extra arguments go to both pytest runs (`-x`, `-k name`, `-m "not slow"` …).

    .venv/bin/python scripts/test.py [pytest options]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import venv
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = "Scripts" if os.name == "nt" else "bin"
TOOLS = Path(sys.executable).parent  # the .venv this runs in, with the dev extra
DOMAIN = ROOT / ".venv-domain"
#: Test tools the domain run needs (pytest-qt is left out with Qt).
DOMAIN_TOOLS = ("pytest>", "hypothesis", "python-stdnum")


def run(*argv: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in argv), flush=True)
    result = subprocess.run([str(a) for a in argv], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def domain_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = [d for d in project["dependencies"] if not d.lower().startswith("pyside6")]
    wanted += [d for d in project["optional-dependencies"]["dev"] if d.startswith(DOMAIN_TOOLS)]
    return wanted


def domain_python() -> Path:
    python = DOMAIN / BIN / ("python.exe" if os.name == "nt" else "python")
    if not python.exists():
        venv.create(DOMAIN, with_pip=True)
    run(python, "-m", "pip", "install", "-q", *domain_requirements())
    run(python, "-m", "pip", "install", "-q", "--no-deps", "-e", ROOT)
    probe = "import importlib.util as u, sys; sys.exit(u.find_spec('PySide6') is not None)"
    if subprocess.run([python, "-c", probe], check=False).returncode != 0:
        sys.exit(f"PySide6 is importable in {DOMAIN}: the domain run would prove nothing")
    return python


def main(pytest_args: Sequence[str]) -> None:
    run(TOOLS / "ruff", "check", ".")
    run(TOOLS / "ruff", "format", "--check", ".")
    run(TOOLS / "mypy")
    run(TOOLS / "lint-imports")
    # pytest-qt's options in pyproject are unknown where pytest-qt is not installed.
    run(
        domain_python(),
        *("-m", "pytest", "-m", "not gui", "-p", "no:cacheprovider"),
        *("-W", "ignore:Unknown config option"),
        *pytest_args,
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run(
        TOOLS / "python",
        "-m",
        "pytest",
        "-m",
        "gui",
        "-p",
        "no:cacheprovider",
        *pytest_args,
        env=env,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
