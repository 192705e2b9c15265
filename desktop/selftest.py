"""`shenbao --self-test`: proof that an installed (or frozen) program works on this machine.

IT runs it after a silent install, CI runs it on the frozen build: it exercises every
part a frozen build can lose (data files, native libraries, Qt plugins, keyring entry
points) without a display and without touching the user's data. One line per check,
`PASS`, `WARN` (reported, not a failure) or `FAIL`; exit 0 only when nothing failed.

Checks (`CHECKS`, run in order): the bundled resources; the catalog the program would
use now (bundled or an update, with refused updates as warnings); the example draft
validated, rendered to PDF and DOCX and packaged (each part re-opened and measured);
the PDF preview renderer and the Excel reader; an encrypted workspace saved and reopened
(AES-GCM, scrypt, SQLite); Qt offscreen with the main window, the SVG icon, the
translations and Chinese sorting by pinyin (ICU's data); the start-up times against
their targets; the keyring backend. A machine without a usable keyring is a warning, or
a failure with `--require-keyring`, which also stores, reads back and deletes a
throw-away secret. Start-up slower than the targets is a warning (a slower machine), a
program that does not start a failure.

A check that needs an optional library (`Check.needs`) is skipped (`SKIP`) when this
version of shenbao does not depend on it and it is not installed; when it is a
dependency and cannot be imported, the check fails: a build that lost it is broken.

Everything written goes to a temporary folder (`--keep` leaves it for inspection);
`SHENBAO_HOME` points there once the real catalog settings have been read, so the
user's journal, window geometry and workspace are never touched.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import io
import os
import platform
import re
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, entry_points, requires
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from desktop.runtime import keyring_backend, version
from desktop.startup import Programs, StartupError, measure
from forms.system.atomic import write_atomic
from forms.system.resources import examples_dir, is_frozen, resource_path, resources_root

if TYPE_CHECKING:
    from forms.catalog.model import Catalog
    from forms.draft.model import Draft

#: A day inside the 2025 AI+ call's submission window: the example draft is complete then.
EXAMPLE_DAY = date(2025, 9, 10)
EXAMPLE_DRAFT = ("drafts", "content-creation.json")


class Warn(Exception):  # noqa: N818 - a status, like PASS and FAIL
    """The check found something to report that does not fail the self-test."""


class Skip(Exception):  # noqa: N818 - a status, like PASS and FAIL
    """The check does not apply to this version (an optional library it does not use)."""


@dataclass(frozen=True)
class Check:
    """One line of the self-test: `method` of SelfTest, returning its detail.

    `needs`: the optional libraries (import names) it exercises; see the module's
    docstring. `user_settings`: it runs before SHENBAO_HOME points at the scratch folder
    (it reads this machine's real settings and catalog updates)."""

    name: str
    method: str
    needs: tuple[str, ...] = ()
    user_settings: bool = False


#: The checks, in the order they run. To add one: a SelfTest method returning a one-line
#: detail (raise Warn for a warning), and an entry here.
CHECKS: list[Check] = [
    Check("resources", "resources", user_settings=True),
    Check("catalog", "catalog", user_settings=True),
    Check("validate", "validate"),
    Check("render", "render"),
    Check("package", "package"),
    Check("preview", "preview", needs=("pypdfium2",)),
    Check("excel", "excel", needs=("openpyxl",)),
    Check("workspace", "workspace"),
    Check("gui", "gui"),
    Check("startup", "startup"),
    Check("keyring", "keyring"),
]


def dependencies() -> set[str]:
    """The libraries this version of shenbao requires (its metadata's Requires-Dist,
    extras left out), lower-case."""
    try:
        declared = requires("shenbao") or []
    except PackageNotFoundError:
        return set()
    names = set()
    for requirement in declared:
        if "extra ==" in requirement:
            continue
        names.add(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower())
    return names


def optional(module: str) -> ModuleType:
    """An optional library (Check.needs): Skip when this version neither depends on it
    nor has it; an ImportError when it is a dependency (the check fails)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if module.lower().replace("_", "-") not in dependencies():
            raise Skip(f"{module} is not part of this version") from None
        raise


@dataclass
class Outcome:
    name: str
    status: str  # PASS, WARN, FAIL
    detail: str
    seconds: float


class SelfTest:
    def __init__(self, scratch: Path, require_keyring: bool) -> None:
        self.scratch = scratch
        self.require_keyring = require_keyring
        self.outcomes: list[Outcome] = []

    def run(self, name: str, check: Callable[[], str]) -> Outcome:
        start = time.perf_counter()
        try:
            status, detail = "PASS", check()
        except Warn as exc:
            status, detail = "WARN", str(exc)
        except Skip as exc:
            status, detail = "SKIP", str(exc)
        except Exception as exc:
            status, detail = "FAIL", f"{type(exc).__name__}: {exc}"
            detail += "\n" + "".join(
                "        " + line for line in traceback.format_exc().splitlines(keepends=True)
            )
        outcome = Outcome(name, status, detail, time.perf_counter() - start)
        self.outcomes.append(outcome)
        first, *rest = detail.splitlines() or [""]
        print(f"{status:4}  {name:<10} {first}  [{outcome.seconds * 1000:.0f} ms]", flush=True)
        for line in rest:
            print(f"      {line}", flush=True)
        return outcome

    # --- checks -------------------------------------------------------------------------
    def resources(self) -> str:
        root = resources_root()
        wanted = [
            "catalog/catalog.yaml",
            "templates/application-form.docx",
            "fonts/wqy-microhei.ttc",
            "icons/shenbao.svg",
            "translations/shenbao_en.qm",
            "translations/qtbase_zh_CN.qm",
            "schema/draft.schema.json",
        ]
        missing = [name for name in wanted if not (root / name).is_file()]
        if not (examples_dir() / Path(*EXAMPLE_DRAFT)).is_file():
            missing.append(f"examples/{'/'.join(EXAMPLE_DRAFT)}")
        if missing:
            raise FileNotFoundError(f"missing under {root.parent}: {', '.join(missing)}")
        return f"{root}"

    def catalog(self) -> str:
        # in the check: a build that lost it fails this check, not the self-test
        from forms.catalog.source import choose_catalog
        from forms.system.settings import load_settings

        choice = choose_catalog(load_settings())
        directions = sum(1 for _ in choice.catalog.directions())
        detail = (
            f"{choice.source.describe('en')}, {len(choice.catalog.policies)} policies, "
            f"{directions} directions"
        )
        if choice.refused:
            raise Warn("\n".join([detail, *(f"refused update: {n}" for n in choice.refused)]))
        return detail

    @functools.cached_property
    def example(self) -> tuple[Path, Draft, Catalog]:
        """The example draft and the bundled catalog it is made for, read once for the
        checks that use them (a failure is not cached: each check reports it)."""
        # in the check: a build that lost it fails this check, not the self-test
        from forms.catalog.loader import load_catalog
        from forms.draft.io import load_draft

        path = examples_dir().joinpath(*EXAMPLE_DRAFT)
        return path, load_draft(path), load_catalog()

    def validate(self) -> str:
        # in the check: a build that lost it fails this check, not the self-test
        from forms.draft.io import files_beside
        from validators.check import check
        from validators.findings import blocking

        path, draft, catalog = self.example
        findings = check(draft, catalog, EXAMPLE_DAY, files=files_beside(path.parent))
        errors = blocking(findings)
        if errors:
            codes = ", ".join(sorted({f.code for f in errors}))
            raise AssertionError(f"the example draft has {len(errors)} errors: {codes}")
        return f"example draft: 0 errors, {len(findings)} findings in all"

    def render(self) -> str:
        # in the check: a build that lost it fails this check, not the self-test
        from forms.documents.fonts import choose_font
        from forms.documents.render import render_docx, render_pdf

        _, draft, catalog = self.example
        pdf = render_pdf(draft, catalog, self.scratch / "form.pdf", on=EXAMPLE_DAY)
        docx = render_docx(draft, catalog, self.scratch / "form.docx", on=EXAMPLE_DAY)
        if not pdf.read_bytes().startswith(b"%PDF-"):
            raise AssertionError(f"{pdf} is not a PDF")
        with zipfile.ZipFile(docx) as zipped:
            if "word/document.xml" not in zipped.namelist():
                raise AssertionError(f"{docx} is not a Word document")
        font, _ = choose_font(["申报书"])
        return (
            f"PDF {pdf.stat().st_size:,} B, DOCX {docx.stat().st_size:,} B; "
            f"font {font.name} ({font.source})"
        )

    def package(self) -> str:
        # in the check: a build that lost it fails this check, not the self-test
        from forms.package.build import build_package

        path, draft, catalog = self.example
        result = build_package(
            draft,
            catalog,
            self.scratch / "package",
            base_dir=path.parent,
            on=EXAMPLE_DAY,
        )
        problems = [p.message("en") for p in result.problems if p.severity == "error"]
        if problems or not result.parts:
            raise AssertionError("; ".join(problems) or "no files in the package")
        too_big = [p.path.name for p in result.parts if p.path.stat().st_size > result.limit_bytes]
        if too_big:
            raise AssertionError(f"over {result.limit_bytes:,} bytes: {', '.join(too_big)}")
        if not result.manifest_json.is_file() or not result.checklist_pdf.is_file():
            raise AssertionError("manifest or checklist missing")
        largest = max(p.size for p in result.parts)
        return (
            f"{len(result.parts)} files verified, largest {largest:,} B "
            f"(limit {result.limit_bytes:,})"
        )

    def preview(self) -> str:
        """The PDF preview the app shows (forms.documents.preview over pypdfium2 and its
        native pdfium): the first page of the package's first file (or of the form)."""
        optional("pypdfium2")  # a build without it says which library is missing
        # in the check: a build that lost it fails this check, not the self-test
        from forms.documents.preview import page_count, render_page

        parts = sorted((self.scratch / "package" / "upload").glob("*.pdf"))
        source = parts[0] if parts else self.scratch / "form.pdf"
        if not source.is_file():
            raise AssertionError("no PDF to render: the render and package checks failed")
        page = render_page(source, 0, scale=1.0)
        if not page.png.startswith(b"\x89PNG") or min(page.width, page.height) < 100:
            raise AssertionError(f"{source.name}: page 1 rendered as {page.width}x{page.height}")
        if page.pages != page_count(source):
            raise AssertionError(f"{source.name}: {page.pages} pages against {page_count(source)}")
        write_atomic(self.scratch / "preview.png", page.png)
        return f"{source.name} page 1 of {page.pages}: {page.width}x{page.height} px PNG"

    def excel(self) -> str:
        """The client list import the app offers (forms.workspace.spreadsheet over
        openpyxl): a sheet of Chinese headers, names and a credit code read back as a
        company."""
        openpyxl = optional("openpyxl")
        # in the check: a build that lost it fails this check, not the self-test
        from forms.workspace.spreadsheet import read_companies

        rows = [["统一社会信用代码", "单位名称", "所在区"],
                ["91310000MA1FL4TE2X", "上海示例科技有限公司", "浦东新区"]]  # fmt: skip
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        data = io.BytesIO()
        book.save(data)
        path = self.scratch / "clients.xlsx"
        write_atomic(path, data.getvalue())
        read = read_companies(path)
        if len(read) != 1 or read[0][1].credit_code != rows[1][0] or read[0][1].name != rows[1][1]:
            raise AssertionError(f"read back {read!r}, wrote {rows!r}")
        return f"{path.stat().st_size:,} B .xlsx written and read back as a client list"

    def workspace(self) -> str:
        # in the check: a build that lost it fails this check, not the self-test
        from forms.draft.io import load_draft
        from forms.workspace import Passphrase, Workspace

        folder = self.scratch / "workspace"
        secret = Passphrase("self-test passphrase, not a real one")
        draft = load_draft(examples_dir().joinpath(*EXAMPLE_DRAFT))
        with Workspace.create(folder, secret, cache_dir=self.scratch / "cache") as ws:
            ws.save_draft(draft, author="self-test")
        with Workspace.open(folder, secret, cache_dir=self.scratch / "cache") as ws:
            back = ws.load_draft(draft.id)
            listed = [info.id for info in ws.drafts()]
        if back.company.name != draft.company.name or draft.id not in listed:
            raise AssertionError("the draft read back differs from the one saved")
        return "encrypted save, reopen and list (AES-GCM, scrypt, SQLite cache)"

    def gui(self) -> str:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        # in the check: a build that lost it fails this check, not the self-test
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import QCollator, QLocale, QTranslator, qInstallMessageHandler
        from PySide6.QtGui import QIcon, QImageReader
        from PySide6.QtWidgets import QApplication

        from desktop.app import i18n
        from desktop.app.demo import demo_context, seed_workspace
        from desktop.app.main_window import MainWindow

        if not _previous_handler:
            _previous_handler.append(qInstallMessageHandler(_quiet_offscreen))
        app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "shenbao"])
        assert isinstance(app, QApplication)
        formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
        if "svg" not in formats:
            raise AssertionError(f"no SVG image plugin (formats: {sorted(formats)})")
        icon = QIcon(str(resource_path("icons", "shenbao.svg")))
        if icon.isNull() or icon.pixmap(64, 64).isNull():
            raise AssertionError("the application icon does not render")
        if not QTranslator().load(i18n.qm_path("en")):
            raise AssertionError("the English translation does not load")
        # Chinese collates by pinyin only with ICU's Chinese data (installer/icu.py keeps
        # it); without, the order is by code point (上 before 北 before 阿).
        names = ["上海", "北京", "阿里"]
        collator = QCollator(QLocale("zh_CN"))
        if sorted(names, key=collator.sortKey) != ["阿里", "北京", "上海"]:
            raise AssertionError("Chinese does not sort by pinyin: ICU's Chinese data is missing")
        i18n.install(app, "zh")
        window = MainWindow(demo_context(seed_workspace(self.scratch / "gui-workspace")))
        try:
            window.show()
            app.processEvents()
            if not window.isVisible() or window.workspace is None:
                raise AssertionError("the main window did not show")
            title = window.windowTitle()
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
        return f"PySide6 {pyside_version}, {app.platformName()}: main window “{title}”"

    def startup(self) -> str:
        """This installation's start-up times (warm: a few starts in a row, no cache
        emptied) against the targets, which are for a cold start. Slower is a warning."""
        programs = Programs.of_this_installation()
        home = self.scratch / "startup"
        env = {
            **os.environ,
            "SHENBAO_HOME": str(home),
            "SHENBAO_SETTINGS": "",  # never a workspace IT preset, e.g. on a share
            "SHENBAO_PASSPHRASE": "self-test passphrase, not a real one",
            "QT_QPA_PLATFORM": "offscreen",
        }
        gui = [*programs.gui, "--workspace", str(home / "workspace")]
        try:
            figures = measure(Programs(programs.cli, gui, programs.bundled), env, examples_dir())
        except StartupError as exc:
            raise AssertionError(str(exc)) from None
        detail = ", ".join(
            f"{f.target.label} {f.median:.2f} s (target {f.target.seconds:.1f})" for f in figures
        )
        slow = [f.target.label for f in figures if not f.met]
        if slow:
            raise Warn(f"warm, slower than the targets here: {detail}")
        return f"warm: {detail}"

    def keyring(self) -> str:
        name, usable = keyring_backend()
        try:
            registered = len(entry_points(group="keyring.backends"))
        except Exception:  # pragma: no cover - metadata is bundled
            registered = 0
        detail = f"{name}; {registered} backends registered"
        if registered == 0:
            detail += " (keyring's entry-point metadata is missing from this build)"
        if not usable:
            message = f"no usable keyring: {detail}; workspaces will ask for a passphrase"
            if self.require_keyring:
                raise RuntimeError(message)
            raise Warn(message)
        if self.require_keyring:
            import keyring  # only with --require-keyring: it finds the backends again

            service, user = "shenbao-self-test", f"probe-{os.getpid()}"
            keyring.set_password(service, user, "probe")
            try:
                if keyring.get_password(service, user) != "probe":
                    raise RuntimeError(f"{name} did not give back the secret it stored")
            finally:
                keyring.delete_password(service, user)
            detail += "; store, read back, delete: ok"
        return detail


_previous_handler: list[Callable[..., None] | None] = []


def _quiet_offscreen(kind: object, context: object, message: str) -> None:
    """Qt's messages as before, minus the offscreen plugin's notice that it cannot do
    something only real window systems do."""
    if "propagateSizeHints" in message:
        return
    previous = _previous_handler[0] if _previous_handler else None
    if previous is not None:
        previous(kind, context, message)
    else:
        print(message, file=sys.stderr)


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="shenbao --self-test", description="检查本机安装 / check this installation"
    )
    parser.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--require-keyring",
        action="store_true",
        help="无可用密钥环时判为失败 / fail when there is no usable OS keyring",
    )
    parser.add_argument(
        "--keep", action="store_true", help="保留生成的文件 / keep the files written"
    )
    args, _ignored = parser.parse_known_args(list(argv))
    return args


def run(argv: Sequence[str] = ()) -> int:
    """Run every check, print one line each and a summary; 0 when none failed."""
    args = _parse(argv)
    scratch = Path(tempfile.mkdtemp(prefix="shenbao-self-test-"))
    import PySide6  # for the banner only; the gui check imports the rest

    print(
        f"shenbao {version()} self-test — {'frozen' if is_frozen() else 'source'} build, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
        f"PySide6 {PySide6.__version__}",
        flush=True,
    )
    test = SelfTest(scratch, args.require_keyring)
    home = os.environ.get("SHENBAO_HOME")
    try:
        for check in CHECKS:
            if not check.user_settings:  # from here on nothing touches the user's folders
                os.environ["SHENBAO_HOME"] = str(scratch / "home")
            test.run(check.name, getattr(test, check.method))
    finally:
        if home is None:
            os.environ.pop("SHENBAO_HOME", None)
        else:
            os.environ["SHENBAO_HOME"] = home
        if args.keep:
            print(f"files kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    failed = [o.name for o in test.outcomes if o.status == "FAIL"]
    warned = [o.name for o in test.outcomes if o.status == "WARN"]
    total = sum(o.seconds for o in test.outcomes)
    if failed:
        print(f"self-test FAILED: {', '.join(failed)} ({len(test.outcomes)} checks, {total:.1f} s)")
        return 1
    skipped = [o.name for o in test.outcomes if o.status == "SKIP"]
    note = f", warnings: {', '.join(warned)}" if warned else ""
    note += f", skipped: {', '.join(skipped)}" if skipped else ""
    print(f"self-test passed: {len(test.outcomes)} checks in {total:.1f} s{note}")
    return 0
