"""Drive the real app under Xvfb from launch to the first upload package, counting actions.

The shortest path a company employee takes with all the data known in advance: a fresh
data folder (no workspace yet, no keyring, so the passphrase is set first), a new client,
its first draft, the content-creation direction of the 2025 AI+ call, four attachment
files, the credit commitment, and the package. Every step is done with the keyboard, as
xdotool types and presses keys into the real X11 window (not Qt's offscreen platform);
each key chord, typed field or click counts as one action. A screenshot is saved per page.

    .venv/bin/python scripts/walkthrough.py [--display :91] [--out DIR] [--date 2025-09-10]

Needs Xvfb, xdotool, ImageMagick's `import` and a window manager (openbox): a desktop
gives the window that opens the keyboard, and without one X11 leaves focus wherever it was. Prints the actions, their count, the time from
launch to the package on disk, the time Ctrl+Q takes, and the screenshots written.
Exits 1 when the package was not made, or the path took more than 40 actions or 4 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUI = ROOT / ".venv" / "bin" / "shenbao-gui"
ATTACHMENTS = ROOT / "examples" / "attachments"
PASSPHRASE = "walkthrough passphrase"
#: The data known in advance (the content-creation example's company and project).
COMPANY = "上海星语智创文化科技有限公司"
CODE = "91310104MA1FR6K2XF"
FILES = (
    "business-licence.pdf",
    "audit-report-2025.pdf",
    "user-statistics.pdf",
    "revenue-ledger.pdf",
)
PROJECT = "星语剧场：AI跨模态短剧创作平台"
MAX_ACTIONS, MAX_SECONDS = 40, 240


class Driver:
    """xdotool on one display; every user action goes through `key`, `type` or `click`."""

    def __init__(self, display: str, out: Path, typing_ms: int) -> None:
        self.env = {**os.environ, "DISPLAY": display}
        self.out = out
        self.typing_ms = typing_ms
        self.actions: list[str] = []
        self.shots: list[Path] = []
        self.app: subprocess.Popen[bytes] | None = None

    def _xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    def key(self, chord: str, why: str) -> None:
        self.actions.append(f"key {chord:<14} {why}")
        self._xdotool("key", "--clearmodifiers", chord)
        time.sleep(0.35)

    def type(self, text: str, why: str) -> None:
        self.actions.append(f"type {text!r:<30} {why}")
        # A character outside the keymap makes xdotool remap a spare key for it; the
        # toolkit reads the new mapping a moment later, and a key pressed before that is
        # dropped. Chinese is given the time (it is checked at the end: see `named`).
        delay = self.typing_ms if text.isascii() else max(self.typing_ms, 150)
        self._xdotool("type", "--delay", str(delay), text)
        time.sleep(0.35)

    def shot(self, name: str) -> Path:
        path = self.out / f"walkthrough-{len(self.shots) + 1:02d}-{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, check=True)
        self.shots.append(path)
        return path

    def window_named(self, words: str, timeout: float = 30) -> str:
        """Wait for a visible window whose title holds `words`; return its id."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # xdotool's --name cannot match Chinese; compare the titles here instead.
            for window in reversed(
                self._xdotool("search", "--onlyvisible", "--class", "shenbao").split()
            ):
                if words in self._xdotool("getwindowname", window):
                    return window
            time.sleep(0.2)
        raise TimeoutError(f"no window titled {words!r} within {timeout} s")

    def focus(self, window: str) -> None:
        """Give the window the keyboard (what a window manager does when it opens one)."""
        self._xdotool("windowactivate", "--sync", window)
        self._xdotool("windowfocus", "--sync", window)
        time.sleep(0.6)  # the toolkit gives the field its focus a moment later


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what}: not within {timeout} s")


def walk(drive: Driver, home: Path, date: str | None) -> tuple[float, Path]:
    """The path itself; returns the seconds from launch to the package and its folder."""
    env = {**drive.env, "SHENBAO_HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    args = [str(GUI), *(["--date", date] if date else [])]
    started = time.monotonic()
    drive.app = subprocess.Popen(args, env=env, cwd=ROOT)
    packages = home / "Documents" / "申报材料"

    # 1. First start: no keyring on this machine, so a passphrase is chosen (typed twice).
    drive.focus(drive.window_named("申报助手"))
    time.sleep(0.5)
    drive.shot("passphrase")
    drive.type(PASSPHRASE, "passphrase")
    drive.key("Tab", "to the second passphrase field")
    drive.type(PASSPHRASE, "passphrase again")
    drive.key("Return", "create the workspace")

    # 2. The empty workspace; a new client (its first draft opens on OK).
    drive.focus(drive.window_named("政策申报"))
    time.sleep(1.0)
    drive.shot("workspace-empty")
    drive.key("ctrl+shift+n", "new client")
    drive.focus(drive.window_named("新建单位"))
    drive.type(COMPANY, "company name")
    drive.key("Tab", "to the credit code")
    drive.type(CODE, "credit code")
    time.sleep(0.3)
    drive.shot("new-client")
    drive.key("Return", "OK: the client, and its first draft")

    # 3. Company page: the cursor waits in the first empty required field.
    drive.focus(drive.window_named("政策申报"))
    time.sleep(1.0)
    drive.type("林晓岚", "legal representative")
    drive.key("alt+c", "to the contact person")
    drive.type("周明", "contact person")
    drive.key("alt+v", "to the phone")
    drive.type("13816612345", "phone")
    time.sleep(0.5)
    drive.shot("company")
    drive.key("alt+n", "next")

    # 4. Direction: type in the search box, Enter chooses the first match and goes on.
    time.sleep(1.0)
    drive.type("内容创作", "find the direction")
    time.sleep(0.5)
    drive.shot("direction")
    drive.key("Return", "choose it and go on")

    # 5. Direction data: the cursor is in the first metric.
    time.sleep(1.0)
    drive.type("42万", "C-end users")
    drive.key("Tab", "to the product revenue")
    drive.type("460", "product revenue (10k CNY)")
    time.sleep(0.5)
    drive.shot("direction-data")
    drive.key("alt+n", "next")

    # 6. Project and budget.
    time.sleep(1.0)
    drive.type(PROJECT, "project name")
    drive.key("Tab", "to the summary")
    drive.type("基于自研多模态大模型建设短剧创作平台。", "summary")
    drive.key("Tab", "to the start date")
    drive.type("2025-10-01", "start date")
    drive.key("Tab", "to the end date")
    drive.type("20270930", "end date")
    drive.key("alt+a", "add a budget line (its amount opens for typing)")
    drive.type("1200", "budget amount (10k CNY)")
    drive.key("alt+p", "to the support requested")
    drive.type("300", "support requested (10k CNY)")
    time.sleep(0.5)
    drive.shot("project")
    drive.key("alt+n", "next")

    # 7. Attachments: four files in one dialog, sorted to their items by name.
    time.sleep(1.0)
    drive.shot("attachments-empty")
    drive.key("Return", "add files…")
    drive.focus(drive.window_named("选择"))
    time.sleep(0.5)
    drive.type(" ".join(f'"{ATTACHMENTS / name}"' for name in FILES), "the four files")
    drive.shot("file-dialog")
    drive.key("Return", "open")
    drive.focus(drive.window_named("政策申报"))
    time.sleep(2.5)  # stored encrypted in a worker, then inspected
    drive.shot("attachments")
    drive.key("alt+n", "next")

    # 8. Review: the credit commitment has the focus; then export builds the package.
    time.sleep(1.0)
    drive.key("space", "the credit commitment")
    time.sleep(0.8)
    drive.shot("review")
    drive.key("alt+n", "export (builds the package)")
    wait_for(lambda: any(packages.glob("*/manifest.json")), 120, "the package")
    seconds = time.monotonic() - started
    time.sleep(1.5)
    drive.shot("export")
    return seconds, next(packages.glob("*/manifest.json")).parent


def extras(drive: Driver) -> None:
    """Beyond the path (not counted): the portal view, a page preview."""
    count = len(drive.actions)
    drive.key("alt+l", "the fill-the-portal view")
    drive.focus(drive.window_named("填报门户"))
    time.sleep(1.0)
    drive.shot("portal")
    drive.key("alt+2", "the upload list")
    time.sleep(0.5)
    drive.shot("portal-uploads")
    drive.key("Escape", "close it")
    drive.focus(drive.window_named("政策申报"))
    drive.key("alt+p", "preview the selected part")
    time.sleep(2.0)
    drive.shot("preview")
    drive.key("Escape", "close the preview")
    drive.focus(drive.window_named("政策申报"))
    drive.key("ctrl+shift+Tab", "back to the workspace tab")
    time.sleep(1.0)
    drive.shot("workspace")
    del drive.actions[count:]


def quit_time(drive: Driver) -> float:
    drive.focus(drive.window_named("政策申报"))
    app = drive.app
    assert app is not None
    started = time.monotonic()
    drive._xdotool("key", "ctrl+q")
    app.wait(30)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--display", default=":91")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--date", help="the app's date (default: the machine's)")
    parser.add_argument("--typing-ms", type=int, default=40, help="milliseconds per key")
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool", "import", "openbox"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed (apt-get install xvfb xdotool imagemagick openbox)")
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("walkthrough-*.png"):
        old.unlink()
    home = Path(tempfile.mkdtemp(prefix="shenbao-walkthrough-"))
    started: list[subprocess.Popen[bytes]] = []
    drive = Driver(args.display, args.out, args.typing_ms)
    env = {**os.environ, "DISPLAY": args.display}
    try:
        started.append(
            subprocess.Popen(
                ["Xvfb", args.display, "-screen", "0", "1600x1000x24"], stderr=subprocess.DEVNULL
            )
        )
        time.sleep(1.0)
        if shutil.which("openbox"):
            started.append(subprocess.Popen(["openbox"], env=env, stderr=subprocess.DEVNULL))
            time.sleep(1.0)
        seconds, package = walk(drive, home, args.date)
        extras(drive)
        quitting = quit_time(drive)
    finally:
        if drive.app is not None and drive.app.poll() is None:
            drive.app.kill()
        for process in reversed(started):
            process.terminate()
            process.wait(10)
    manifest = json.loads((package / "manifest.json").read_text("utf-8"))
    # Every keystroke arrived where it was meant to: the folder is named by both values.
    named = package.name == f"{COMPANY}-{PROJECT}"
    parts = [p["file"] for p in manifest.get("parts", [])] or sorted(
        p.name for p in (package / "upload").glob("*.pdf")
    )
    print("\n".join(f"{n:>2}. {a}" for n, a in enumerate(drive.actions, 1)))
    print(f"\nactions: {len(drive.actions)} (target at most {MAX_ACTIONS})")
    print(f"launch to package on disk: {seconds:.1f} s (target under {MAX_SECONDS} s)")
    print(f"Ctrl+Q to exit: {quitting:.2f} s")
    print(f"package: {package} ({len(parts)} files)")
    print("screenshots:\n" + "\n".join(f"  {p}" for p in drive.shots))
    shutil.rmtree(home, ignore_errors=True)
    if not named:
        print(f"the package folder is {package.name!r}: some keys went astray")
    ok = len(drive.actions) <= MAX_ACTIONS and seconds < MAX_SECONDS and bool(parts) and named
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
