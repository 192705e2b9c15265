"""What each command imports, and how long that takes (`python -X importtime`).

Issue 15 asks that a command import only what it needs and that the profile be shown
before and after; this prints, for `shenbao --version`, `catalog`, `check` and `package`
run from the sources, the total import time and the top-level imports that cost most
(cumulative), so the two profiles can be compared line by line.

Run: python bench/import_profile.py [--source DIR] [--top N] [--runs N] [--warm]
Each command runs `--runs` times (default 5) and the run with the median total is shown:
its total, and the packages (first part of the module name) that took most, by the sum
of their modules' own import times.
`--source DIR`: profile another checkout (e.g. an older commit unpacked with `git
archive`) with this interpreter. Without `--warm` every run compiles every module again
(the machines set PYTHONDONTWRITEBYTECODE=1, so that is how a checkout starts here);
the checkout's bytecode caches are deleted before each run, while the installed
libraries keep theirs; `--warm` writes and uses the bytecode cache (one untimed run
first).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("desktop", "forms", "validators")
LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


@dataclass(frozen=True)
class Entry:
    module: str
    self_us: int
    cumulative_us: int
    depth: int


def profile(argv: list[str], source: Path, warm: bool, workdir: Path) -> list[Entry]:
    env = {**os.environ, "PYTHONPATH": str(source), "SHENBAO_HOME": str(workdir / "home")}
    if warm:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        for package in PACKAGES:  # the installed libraries keep theirs, as pip wrote them
            for cache in (source / package).rglob("__pycache__"):
                shutil.rmtree(cache)
    code = "import sys; from desktop.launch import cli; sys.exit(cli())"
    command = [sys.executable, "-X", "importtime", "-c", code, *argv]
    if warm:
        subprocess.run(command, env=env, cwd=workdir, capture_output=True, check=False)
    run = subprocess.run(command, env=env, cwd=workdir, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {run.returncode}:\n{run.stderr[-2000:]}")
    entries = []
    for line in run.stderr.splitlines():
        match = LINE.match(line)
        if match:
            self_us, cumulative, indent, module = match.groups()
            depth = (len(indent) - 1) // 2
            entries.append(Entry(module, int(self_us), int(cumulative), depth))
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm", action="store_true")
    args = parser.parse_args()
    source = args.source.resolve()
    draft = str(source / "examples" / "drafts" / "content-creation.json")
    with tempfile.TemporaryDirectory(prefix="shenbao-imports-") as folder:
        work = Path(folder)
        commands = {
            "--version": ["--version"],
            "catalog": ["catalog"],
            "check": ["check", draft],
            "package": ["package", draft, "--out", str(work / "package")],
        }
        mode = "warm (bytecode cached)" if args.warm else "cold (no bytecode cache)"
        print(f"import profile of {source}, {mode}")
        for name, argv in commands.items():
            runs = sorted(
                (profile(argv, source, args.warm, work) for _ in range(args.runs)),
                key=lambda entries: sum(e.self_us for e in entries),
            )
            entries = runs[len(runs) // 2]
            total = sum(e.self_us for e in entries)
            print(f"\nshenbao {name}: {total / 1000:.0f} ms in {len(entries)} modules")
            by_package: dict[str, int] = {}
            for entry in entries:
                package = entry.module.split(".", 1)[0]
                by_package[package] = by_package.get(package, 0) + entry.self_us
            top = sorted(by_package.items(), key=lambda item: -item[1])[: args.top]
            print("  " + ", ".join(f"{package} {us / 1000:.0f}" for package, us in top))


if __name__ == "__main__":
    main()
