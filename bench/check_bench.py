"""Benchmark: `shenbao check ID1 … IDn` on a workspace of many drafts (target: all 2,000
drafts in under 10 s, and linear in n).

Run: python bench/check_bench.py [--drafts 2000] [--steps 250,500,1000,2000] [--folder DIR]
Builds a workspace of `--drafts` drafts (the example draft, 4 drafts per company, each
company with its own credit code), then runs the command line in a fresh process for the
first n ids of each step, twice: with an empty local cache (every draft's summary is
decrypted) and with the cache the first run left. Prints seconds per run and per draft,
so a quadratic cost shows as a growing per-draft time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from forms.draft.io import load_draft
from forms.workspace import Passphrase, Workspace
from validators.credit_code import complete_code

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "benchmark passphrase, not a secret"


def build(folder: Path, count: int, home: Path) -> list[str]:
    ws = Workspace.create(folder, Passphrase(PASSPHRASE), cache_dir=home / "cache")
    template = load_draft(ROOT / "examples" / "drafts" / "content-creation.json")
    ids = []
    for n in range(count):
        draft = template.model_copy(deep=True)
        draft.id = f"bench-{n:05d}"
        company = n // 4
        draft.company.name = f"{template.company.name}{company}"
        draft.company.credit_code = complete_code(f"9131011{company:09d}")
        draft.title = f"{template.title} {n}"
        ws.save_draft(draft, author="bench")
        ids.append(draft.id)
    return ids


def run_check(folder: Path, ids: list[str], home: Path) -> float:
    env = {**os.environ, "SHENBAO_HOME": str(home), "SHENBAO_PASSPHRASE": PASSPHRASE}
    argv = [sys.executable, "-m", "desktop.cli.main", "check", *ids, "--workspace", str(folder)]
    argv += ["--date", "2025-09-10", "--json"]
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr.decode(errors="replace"))
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drafts", type=int, default=2000)
    parser.add_argument("--steps", default="250,500,1000,2000")
    parser.add_argument("--folder", type=Path, help="parent folder for the test workspace")
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",") if int(s) <= args.drafts]
    with tempfile.TemporaryDirectory(dir=args.folder) as tmp:
        home = Path(tmp) / "home"
        folder = Path(tmp) / "ws"
        start = time.perf_counter()
        ids = build(folder, args.drafts, home)
        print(f"workspace of {len(ids)} drafts built in {time.perf_counter() - start:.1f} s")
        print(
            f"{'ids':>6} {'cold cache s':>13} {'ms/draft':>9} {'warm cache s':>13} {'ms/draft':>9}"
        )
        for n in steps:
            for cached in (home / "cache").glob("*.sqlite"):
                cached.unlink()  # cold: every summary is decrypted again
            cold = run_check(folder, ids[:n], home)
            warm = run_check(folder, ids[:n], home)
            print(
                f"{n:>6} {cold:>13.2f} {cold / n * 1000:>9.2f} {warm:>13.2f} {warm / n * 1000:>9.2f}"
            )


if __name__ == "__main__":
    main()
