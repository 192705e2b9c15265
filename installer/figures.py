"""The build's figures: size of the folder, start-up times cold and warm, build times.

    python -m installer.figures dist/shenbao [--step NAME=SECONDS ...] [--docs FILE]

Run by scripts/build_linux.sh at the end of every build, on the machine that built: it
times the bundled programs (desktop/startup.py: `shenbao --version`, `shenbao-gui` to
its first and its main window) with an emptied page cache before each start (as root;
otherwise it says the cold figures are missing) and again warm, and `shenbao catalog` and
`check` from a copy of the source checkout, cold also without bytecode caches. The GUI runs under a real X server when one is there
(DISPLAY, or Xvfb started on a free display), else offscreen, and says which. It prints a
table, writes it to `dist/figures.md` (and JSON beside it), and with `--docs` replaces
the part of that file between the `figures` markers: the figures in the docs always come
from this output, never typed in.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.startup import TARGET, Figure, Programs, measure
from forms.system.atomic import write_text_atomic

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- figures:begin (installer/figures.py) -->", "<!-- figures:end -->"


def drop_page_cache() -> bool:
    """Empty the page cache (Linux, root): the next start reads every file from disk."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False
    os.sync()
    try:
        handle = os.open("/proc/sys/vm/drop_caches", os.O_WRONLY)  # a kernel switch
    except OSError:
        return False
    try:
        os.write(handle, b"3\n")
    finally:
        os.close(handle)
    return True


@contextmanager
def display() -> Iterator[tuple[dict[str, str], str]]:
    """Environment for the GUI and a description: the X server in DISPLAY, else a private
    Xvfb, else the offscreen platform."""
    if os.environ.get("DISPLAY"):
        yield {"DISPLAY": os.environ["DISPLAY"]}, f"X server {os.environ['DISPLAY']}"
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        yield {"QT_QPA_PLATFORM": "offscreen"}, "offscreen (no X server, no Xvfb)"
        return
    number = next(n for n in range(140, 400) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    server = subprocess.Popen(
        [xvfb, f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.05)
        yield {"DISPLAY": f":{number}"}, f"Xvfb :{number} (xcb)"
    finally:
        server.terminate()
        server.wait(timeout=10)


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes (links not counted twice) and files of the folder."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return total, files


def copy_checkout(target: Path) -> Path:
    """The packages and data a source start reads, without bytecode caches."""
    for name in ("desktop", "forms", "validators", "resources", "examples"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def cold_read_rate(folder: Path) -> float | None:
    """MB/s reading the bundle's largest file from an empty page cache: how fast this
    machine's disk is, to read the cold figures by."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    largest = max(files, key=lambda p: p.stat().st_size)
    if not drop_page_cache():
        return None
    start = time.perf_counter()
    size = len(largest.read_bytes())
    return size / 1e6 / (time.perf_counter() - start)


def collect(bundle: Path, runs: int, steps: dict[str, float]) -> dict[str, object]:
    scratch = Path(tempfile.mkdtemp(prefix="shenbao-figures-"))
    try:
        home = scratch / "home"
        home.mkdir()
        base = {
            "HOME": str(home),
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "SHENBAO_HOME": str(scratch / "data"),
            "SHENBAO_SETTINGS": "",
            "SHENBAO_PASSPHRASE": "figures passphrase, not a real one",
            "TMPDIR": str(scratch),
        }
        frozen = Programs(
            [str(bundle / "shenbao")],
            [str(bundle / "shenbao-gui"), "--workspace", str(scratch / "workspace")],
            True,
        )
        # From source: a copy of the checkout without bytecode caches, first cold (page
        # cache emptied, no bytecode: every module compiled, as a checkout starts on a
        # machine with PYTHONDONTWRITEBYTECODE=1), then warm (bytecode written by one
        # untimed round, and read).
        checkout = copy_checkout(scratch / "checkout")
        source_env = {
            **base,
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "PYTHONPATH": str(checkout),
        }
        no_bytecode = {**source_env, "PYTHONDONTWRITEBYTECODE": "1"}
        source = Programs.of_this_installation()
        examples = ROOT / "examples"
        cold_ok = drop_page_cache()
        figures: list[Figure] = []
        with display() as (screen, where):
            env = {**base, **screen}
            if cold_ok:
                figures += measure(frozen, env, examples, runs=runs, cold=True,
                                   before_each=drop_page_cache, cwd=scratch)  # fmt: skip
            figures += measure(frozen, env, examples, runs=runs, cwd=scratch)
        if cold_ok:
            figures += measure(source, no_bytecode, examples, runs=runs, cold=True,
                               before_each=drop_page_cache, cwd=checkout)  # fmt: skip
        measure(source, source_env, examples, runs=1, cwd=checkout)  # writes the bytecode
        figures += measure(source, source_env, examples, runs=runs, cwd=checkout)
        size, files = folder_size(bundle)
        # build.spec bundles these when they are installed where it runs (as here)
        optional = [m for m in ("pypdfium2", "openpyxl") if importlib.util.find_spec(m)]
        return {
            "optional": optional,
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
            "display": where,
            "cold": cold_ok,
            "read_rate": cold_read_rate(bundle),
            "size": size,
            "files": files,
            "steps": steps,
            "figures": [
                {"key": f.key, "cold": f.cold, "runs": f.runs, "median": f.median, "met": f.met}
                for f in figures
            ],
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def table(data: dict[str, object]) -> str:
    figures = data["figures"]
    assert isinstance(figures, list)
    lines = [
        f"Measured by `scripts/build_linux.sh` on {data['machine']}; GUI on {data['display']}; "
        f"median of {len(figures[0]['runs'])} starts each."
        + (
            f" Cold: page cache emptied before every start (disk read {data['read_rate']:.0f} MB/s)."
            if data["cold"] and data["read_rate"]
            else " Cold figures missing: emptying the page cache needs root."
        )
        + " From source (a copy of the checkout): cold also without bytecode caches"
        " (every module compiled), warm with them.",
        "",
        "| figure | cold | warm | target |",
        "| --- | --- | --- | --- |",
    ]
    for key, target in TARGET.items():
        row = {f["cold"]: f for f in figures if f["key"] == key}
        if not row:
            continue

        def cell(f: dict[str, object] | None, judged: bool) -> str:
            """`judged`: the target is for this column."""
            if f is None:
                return "—"
            median = f["median"]
            assert isinstance(median, float)
            return f"{median:.2f} s" + ("" if f["met"] or not judged else " (over)")

        when = "cold" if target.cold else "warm"
        lines.append(
            f"| {target.label} | {cell(row.get(True), target.cold)} | "
            f"{cell(row.get(False), not target.cold)} | "
            f"under {target.seconds:.1f} s {when} |"
        )
    size, files, optional = data["size"], data["files"], data["optional"]
    assert isinstance(size, int) and isinstance(optional, list)
    extra = f" (with {', '.join(optional)})" if optional else ""
    lines.append(
        f"| folder `dist/shenbao`{extra} | {size / 1e6:.1f} MB in {files} files | | under 150 MB |"
    )
    steps = data["steps"]
    assert isinstance(steps, dict)
    for name, seconds in steps.items():
        limit = " under 90 s" if name == ".deb (build, self-test and package)" else ""
        lines.append(f"| {name} | {seconds:.1f} s | |{limit} |")
    return "\n".join(lines) + "\n"


def update_docs(path: Path, text: str) -> None:
    current = path.read_text("utf-8")
    if BEGIN not in current or END not in current:
        raise SystemExit(f"{path}: no {BEGIN} … {END} markers to put the figures between")
    head, rest = current.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    write_text_atomic(path, f"{head}{BEGIN}\n{text}{END}{tail}", shared=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m installer.figures", description=__doc__)
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--step", action="append", default=[], metavar="NAME=SECONDS")
    parser.add_argument("--docs", type=Path, help="replace the figures in this file")
    args = parser.parse_args(argv)
    steps = {k: float(v) for k, v in (s.rsplit("=", 1) for s in args.step)}
    data = collect(args.bundle.resolve(), args.runs, steps)
    text = table(data)
    out = args.bundle.resolve().parent
    write_text_atomic(out / "figures.json", json.dumps(data, indent=2) + "\n", shared=True)
    write_text_atomic(out / "figures.md", text, shared=True)
    print(text)
    if args.docs:
        update_docs(args.docs, text)
        print(f"figures written into {args.docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
