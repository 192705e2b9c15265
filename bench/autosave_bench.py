"""Benchmark: what one autosave of a typical draft costs (target: under 20 ms).

Run: python bench/autosave_bench.py [--rounds N] [--folder DIR]
Saves the example draft examples/drafts/content-creation.json into a fresh workspace,
changing one field per round so every round writes a new encrypted version file (temp
file, fsync, link, fsync of the folder, edit lock taken and released), through the
`Autosaver` the GUI uses. Prints the median and 95th percentile. `--folder` puts the
workspace on the disk to measure (the default is a temp folder, which may be tmpfs).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from forms.draft.io import load_draft
from forms.workspace import Autosaver, Passphrase, Workspace

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--folder", type=Path, help="parent folder for the test workspace")
    args = parser.parse_args()
    draft = load_draft(ROOT / "examples" / "drafts" / "content-creation.json")
    with tempfile.TemporaryDirectory(dir=args.folder) as tmp:
        ws = Workspace.create(Path(tmp) / "ws", Passphrase("bench"), cache_dir=Path(tmp) / "c")
        saver = Autosaver(ws, quiet_seconds=0.0)
        held = ws.lock(draft.id)  # as in the GUI: the open draft is locked once
        samples = []
        for n in range(args.rounds + 20):
            draft.project.summary = f"edit {n}"
            start = time.perf_counter()
            saver.changed(draft)
            saved = saver.flush()
            elapsed = (time.perf_counter() - start) * 1000
            assert saved is not None and saved.version == n + 1
            if n >= 20:  # warm-up
                samples.append(elapsed)
        held.release()
        unlocked = []
        for n in range(50):  # without a held lock each save takes a transient one
            draft.project.summary = f"unlocked {n}"
            start = time.perf_counter()
            ws.save_draft(draft)
            unlocked.append((time.perf_counter() - start) * 1000)
    samples.sort()
    unlocked.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(
        f"autosave of {draft.id} ({len(draft.model_dump_json())} bytes of JSON), {len(samples)} rounds:"
    )
    print(
        f"  with the edit lock held: median {statistics.median(samples):.2f} ms, p95 {p95:.2f} ms"
    )
    print(
        f"  without (transient lock): median {statistics.median(unlocked):.2f} ms, "
        f"p95 {unlocked[int(len(unlocked) * 0.95) - 1]:.2f} ms"
    )
    print("  target: under 20 ms")


if __name__ == "__main__":
    main()
