"""What is running: the version, the keyring backend, and logging for windowed builds.

Shared by `--version`, the About dialog and the self-test so the three never disagree.
The version has one source, `pyproject.toml`: an installed (or frozen) program reads it
from its package metadata, a source checkout that was never installed reads the file.
A windowed build (the frozen `shenbao-gui`, `pythonw`) has no console: `sys.stdout` and
`sys.stderr` are None, so anything printed or any traceback would be lost or crash the
program; `log_to_file()` sends both to a log file under the user data folder.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import TextIO

from forms.system.paths import data_home
from forms.system.resources import bundle_root, is_frozen

LOG_FOLDER = "logs"


@cache
def version() -> str:
    try:
        return installed_version("shenbao")
    except PackageNotFoundError:
        pass
    pyproject = bundle_root() / "pyproject.toml"
    try:
        import tomllib  # start-up: only a checkout that was never installed reads the file

        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        return str(data["project"]["version"])
    except (OSError, ValueError, KeyError):
        return "0+unknown"


def version_line() -> str:
    """What `shenbao --version` prints."""
    return f"shenbao {version()}"


def keyring_backend() -> tuple[str, bool]:
    """The keyring backend in use and whether it can keep secrets (the fail and null
    backends cannot: then the workspace asks for a passphrase)."""
    try:
        import keyring  # start-up: finding the backends reads every package's entry points
        from keyring.backends import fail, null
    except ImportError as exc:  # pragma: no cover - keyring is a dependency
        return f"keyring not importable: {exc}", False
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__qualname__}"
    usable = not isinstance(backend, fail.Keyring | null.Keyring)
    if type(backend).__name__ == "ChainerBackend":
        inner = [type(b).__qualname__ for b in getattr(backend, "backends", [])]
        name += f" ({', '.join(inner)})" if inner else ""
        usable = bool(inner)
    return name, usable


_log_stream: list[TextIO] = []


def log_to_file(name: str = "shenbao-gui") -> Path | None:
    """Point `sys.stdout`/`sys.stderr` (when missing) and Python logging at
    `<data home>/logs/<name>.log`, and dump native crashes there. Returns the file, or
    None when the streams exist (a console run keeps its console)."""
    if sys.stdout is not None and sys.stderr is not None:
        return None
    folder = data_home() / LOG_FOLDER
    path = folder / f"{name}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if path.is_file() and path.stat().st_size > 1_000_000:
            path.replace(path.with_suffix(".log.1"))
        stream = path.open("a", encoding="utf-8", errors="replace", buffering=1)
    except OSError:
        return None
    _log_stream.append(stream)
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream
    faulthandler.enable(stream)
    logging.basicConfig(
        stream=stream, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("shenbao").info("shenbao %s starting (frozen=%s)", version(), is_frozen())
    return path
