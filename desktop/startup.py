"""How long the programs take to be usable: the start-up targets and how they are timed.

One home for both the build scripts' figures (installer/figures.py, cold and warm, written
into docs/it-deployment.md) and the self-test's `startup` check (warm, on the machine it
runs on). A command is timed from just before the process is started to its exit; the
GUI from just before it is started to the moment its first window, then its main window,
is on screen (desktop/app/startup_probe.py reports the wall-clock times). "Cold" means
the page cache was emptied before each start, which only the build scripts do (as root,
through `before_each`).

Pure standard library, no Qt: the command line's self-test imports it.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROBE_ENV = "SHENBAO_STARTUP_PROBE"  # read by desktop/app/startup_probe.py
FIRST_WINDOW, MAIN_WINDOW = "first-window", "main-window"
EXAMPLE_DRAFT = Path("drafts", "content-creation.json")


@dataclass(frozen=True)
class Target:
    """A start-up figure and the most it may be, in seconds."""

    key: str
    label: str
    seconds: float
    bundled: bool  # a figure of the frozen program (else of a source checkout)
    cold: bool  # the target is for an empty page cache


TARGETS = (
    Target("gui-first", "shenbao-gui to its first window", 1.0, bundled=True, cold=True),
    Target("gui-main", "shenbao-gui to its main window", 1.5, bundled=True, cold=True),
    Target("cli-version", "shenbao --version", 0.3, bundled=True, cold=True),
    Target("src-catalog", "shenbao catalog (from source)", 0.2, bundled=False, cold=False),
    Target("src-check", "shenbao check (from source)", 0.2, bundled=False, cold=False),
)
TARGET = {t.key: t for t in TARGETS}


@dataclass
class Figure:
    """The runs of one figure (seconds each) and its median."""

    key: str
    runs: list[float] = field(default_factory=list)
    cold: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def target(self) -> Target:
        return TARGET[self.key]

    @property
    def met(self) -> bool:
        return self.median < self.target.seconds


class StartupError(RuntimeError):
    """The program did not start (a failure, not slowness)."""


def time_command(
    argv: Sequence[str], env: Mapping[str, str], cwd: Path | None = None, timeout: float = 60
) -> float:
    """Seconds from starting `argv` to its exit (stdout discarded); StartupError unless it
    exits 0."""
    start = time.perf_counter()
    run = subprocess.run(
        list(argv),
        env=dict(env),
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=timeout,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        tail = run.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise StartupError(f"{' '.join(argv)} exited {run.returncode}: {' / '.join(tail)}")
    return elapsed


def time_gui(
    argv: Sequence[str], env: Mapping[str, str], cwd: Path | None = None, timeout: float = 60
) -> dict[str, float]:
    """Seconds from starting the GUI to its first and its main window (keys FIRST_WINDOW,
    MAIN_WINDOW). The GUI must answer a passphrase dialog itself (SHENBAO_PASSPHRASE in
    `env`) and quit once the main window shows, as the start-up probe does."""
    with tempfile.TemporaryDirectory(prefix="shenbao-startup-") as folder:
        report = Path(folder) / "probe.json"
        started = time.time()
        run = subprocess.run(
            list(argv),
            env={**env, PROBE_ENV: str(report)},
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout,
            check=False,
        )
        events = json.loads(report.read_text("utf-8")) if report.is_file() else []
    seen = {e["event"]: float(e["at"]) - started for e in events}
    if run.returncode != 0 or MAIN_WINDOW not in seen:
        tail = run.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise StartupError(
            f"{' '.join(argv)} exited {run.returncode} without showing its main window"
            + (f": {' / '.join(tail)}" if tail else "")
        )
    return seen


@dataclass(frozen=True)
class Programs:
    """How to start the two programs of one installation."""

    cli: list[str]
    gui: list[str]
    bundled: bool

    @classmethod
    def of_this_installation(cls) -> Programs:
        """The frozen folder's executables, or this interpreter on the sources."""
        if getattr(sys, "frozen", False):
            folder = Path(sys.executable).parent
            suffix = ".exe" if sys.platform == "win32" else ""
            cli, gui = folder / f"shenbao{suffix}", folder / f"shenbao-gui{suffix}"
            return cls([str(cli)], [str(gui)], True)
        python = [sys.executable, "-c"]
        return cls(
            [*python, "import sys; from desktop.launch import cli; sys.exit(cli())"],
            [*python, "import sys; from desktop.launch import gui; sys.exit(gui())"],
            False,
        )


def measure(
    programs: Programs,
    env: Mapping[str, str],
    examples: Path,
    *,
    runs: int = 3,
    cold: bool = False,
    before_each: Callable[[], object] = lambda: None,
    keys: Sequence[str] | None = None,
    cwd: Path | None = None,
) -> list[Figure]:
    """Time each wanted figure `runs` times (`before_each` runs before every start: the
    build scripts empty the page cache there). Figures of the GUI come from one start
    each, the first and the main window together."""
    wanted = [t for t in TARGETS if t.bundled == programs.bundled]
    wanted = [t for t in wanted if keys is None or t.key in keys]
    figures = {t.key: Figure(t.key, cold=cold) for t in wanted}
    draft = str(examples / EXAMPLE_DRAFT)
    commands = {
        "cli-version": [*programs.cli, "--version"],
        "src-catalog": [*programs.cli, "catalog"],
        "src-check": [*programs.cli, "check", draft],
    }
    for _ in range(runs):
        if "gui-first" in figures or "gui-main" in figures:
            before_each()
            seen = time_gui(programs.gui, env, cwd)
            for key, event in (("gui-first", FIRST_WINDOW), ("gui-main", MAIN_WINDOW)):
                if key in figures:
                    figures[key].runs.append(seen[event])
        for key, argv in commands.items():
            if key in figures:
                before_each()
                figures[key].runs.append(time_command(argv, env, cwd))
    return list(figures.values())
