"""`shenbao render` and `shenbao package`: the application form and the upload package
from the command line, with the same code the wizard's export page runs."""

from __future__ import annotations

import argparse
import contextlib
import sys
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.output import findings_text
from desktop.cli.workspace import is_file_argument, open_workspace
from forms.documents.fonts import FontError
from forms.draft.io import InputError, files_beside, load_draft
from forms.package.limits import LimitSource
from forms.package.model import PackageProgress, PackageResult, PackageSettings
from forms.system.settings import load_settings, workspace_folder
from forms.text import render
from validators.check import check
from validators.context import day_of
from validators.findings import blocking

if TYPE_CHECKING:  # the heavy modules load when a command runs, not for every `shenbao`
    from forms.catalog.model import Catalog
    from forms.draft.model import Draft
    from validators.findings import Finding

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _width(text: str) -> int:
    """Display width in a terminal: a Chinese character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


@contextlib.contextmanager
def opened_draft(
    arg: Path, workspace: Path | None, lang: str = "zh"
) -> Iterator[tuple[Draft, Path, Path]]:
    """The draft named on the command line (a JSON file, or a draft id in the workspace)
    with the folder its attachment names resolve in and a default output location.
    A workspace draft's attachments are decrypted into a private folder under shenbao's
    own data folder (0700; a killed run's folder is swept at the next start) for the
    duration of the command, then deleted. Its attachments come only from the workspace:
    one that names a file on disk instead is said so and left out."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.system.scratch import private_folder
    from forms.workspace.files import materialise, outside_texts

    if is_file_argument(arg):
        yield load_draft(arg), arg.parent, arg.with_suffix("")
        return
    where = workspace or workspace_folder()
    if not (where / "workspace.json").is_file():
        raise InputError(
            f"{arg}: 文件不存在，{where} 也不是工作区 / file not found, and {where} is no "
            "workspace to look the draft up in (give --workspace DIR)"
        )
    ws = open_workspace(where)
    with ws, private_folder("attachments") as folder:
        stored = ws.load_draft(ws.resolve_draft(str(arg)))
        for refused in outside_texts(stored):
            print(f"{render('error.heading', None, lang)}: {refused.render(lang)}", file=sys.stderr)
        draft = materialise(ws, stored, folder)
        yield draft, folder, Path.cwd() / f"shenbao-{draft.id[:12]}"


def cmd_render(args: argparse.Namespace, catalog: Catalog) -> int:
    with opened_draft(args.draft, args.workspace, args.lang) as (draft, _base, stem):
        return _render(args, catalog, draft, stem)


def _render(args: argparse.Namespace, catalog: Catalog, draft: Draft, stem: Path) -> int:
    from forms.documents.render import render_docx, render_pdf  # start-up: the form

    kinds = [k for k in ("pdf", "docx") if getattr(args, k)] or ["pdf"]
    for kind in kinds:
        out: Path = (args.out or stem).with_suffix(f".{kind}")
        try:
            write = render_pdf if kind == "pdf" else render_docx
            write(draft, catalog, out, lang=args.lang, on=day_of(args.date))
        except FontError as exc:
            raise InputError(exc.text or str(exc)) from None
        print(f"已生成 / written: {out} ({out.stat().st_size:,} bytes)")
    return EXIT_OK


def _progress_printer(quiet: bool) -> Callable[[PackageProgress], None]:
    last = [""]

    def show(p: PackageProgress) -> None:
        if quiet or p.message == last[0]:
            return
        last[0] = p.message
        percent = 100 * p.done // max(p.total, 1)
        print(f"[{percent:3d}%] {p.message}", file=sys.stderr, flush=True)

    return show


def cmd_package(args: argparse.Namespace, catalog: Catalog) -> int:
    if args.limit is not None and args.limit < 100_000:
        raise InputError(f"--limit {args.limit}: 至少100000字节 / at least 100,000 bytes")
    if args.min_dpi is not None and not 50 <= args.min_dpi <= 600:
        raise InputError(f"--min-dpi {args.min_dpi}: 应在50到600之间 / between 50 and 600")
    # What IT or the user set applies here exactly as in the app; an option wins for this run.
    preset = load_settings()
    if args.limit is not None:
        limit, source = args.limit, LimitSource.OPTION
    else:
        limit, source = preset.package_limit_bytes, LimitSource.SETTINGS
    settings = PackageSettings(
        limit_bytes=limit,
        limit_source=source,
        min_dpi=args.min_dpi if args.min_dpi is not None else preset.package_min_dpi,
        stamp=args.stamp,
    )
    with opened_draft(args.draft, args.workspace, args.lang) as (draft, base_dir, _stem):
        blocked = _blocking_findings(draft, catalog, base_dir, args.date)
        if blocked and not args.force:
            print(findings_text(str(args.draft), draft.direction or "—", blocked, args.lang))
            print(
                "草稿有错误，未生成申报包；修改后重试，或加 --force 生成预览 / the draft has errors: "
                "no package built; fix them, or add --force for a preview package",
                file=sys.stderr,
            )
            return EXIT_FINDINGS
        result = package_draft(
            draft, catalog, args.out, base_dir, settings, day_of(args.date), args.quiet
        )
    if args.json:
        print(result.manifest_json.read_text(encoding="utf-8"))
    else:
        print(package_table(result, args.lang))
    return EXIT_OK if result.ok and not blocked else EXIT_FINDINGS


def _blocking_findings(
    draft: Draft, catalog: Catalog, base_dir: Path, when: date | datetime
) -> list[Finding]:
    """The validators' errors: they block export here exactly as in the wizard."""
    return blocking(check(draft, catalog, when, files=files_beside(base_dir)))


def package_draft(
    draft: Draft,
    catalog: Catalog,
    out: Path,
    base_dir: Path,
    settings: PackageSettings,
    on: date,
    quiet: bool,
) -> PackageResult:
    from forms.package.build import build_package  # start-up: pikepdf, Pillow, pypdf, reportlab

    try:
        return build_package(
            draft,
            catalog,
            out,
            base_dir=base_dir,
            settings=settings,
            progress=_progress_printer(quiet),
            on=on,
        )
    except FontError as exc:
        raise InputError(exc.text or str(exc)) from None
    except FileExistsError as exc:
        raise InputError(str(exc)) from None


def package_table(result: PackageResult, lang: str) -> str:
    """The final table of parts: what to upload, in order, and how close to the limit."""
    english = lang == "en"
    lines = [("Upload files in" if english else "上传文件：") + f" {result.out_dir / 'upload'}"]
    width = max((_width(p.path.name) for p in result.parts), default=10)
    for index, part in enumerate(result.parts, 1):
        share = 100 * part.size / result.limit_bytes
        unit = "pp" if english else "页"
        lines.append(
            f"  {index:2d}  {_pad(part.path.name, width)}  {part.pages:4d} {unit}  "
            f"{part.size:>11,} B  {share:5.1f}%"
        )
    total = sum(p.size for p in result.parts)
    pages = sum(p.pages for p in result.parts)
    lines.append(
        f"  {len(result.parts)} files, {pages} pages, {total:,} bytes; limit {result.limit.describe('en')} per file"
        if english
        else f"  共{len(result.parts)}个文件，{pages}页，{total:,}字节；每个文件上限{result.limit.describe()}"
    )
    if result.lowest_scan_dpi is not None:
        label = "lowest scan resolution" if english else "扫描页最低分辨率"
        lines.append(f"  {label}: {result.lowest_scan_dpi:.0f} dpi")
    lines.append(
        f"  {'manifest' if english else '清单'}: {result.manifest_json}, {result.checklist_pdf}"
    )
    for problem in result.problems:
        if problem.severity == "error":
            tag = "error" if english else "错误"
        else:
            tag = "warning" if english else "提醒"
        lines.append(f"  [{tag}] {problem.message(lang)}")
    return "\n".join(lines)


def add_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "render", parents=[common], help="生成申报书PDF/DOCX / render the application form"
    )
    p.add_argument(
        "draft", type=Path, metavar="DRAFT", help="DRAFT.json，或工作区草稿编号 / or a draft id"
    )
    p.add_argument("--workspace", type=Path, help="工作区文件夹 / workspace of a draft id")
    p.add_argument("--pdf", action="store_true", help="PDF（默认 / default）")
    p.add_argument("--docx", action="store_true", help="可编辑的Word文件 / editable DOCX")
    p.add_argument(
        "--out", type=Path, help="输出文件（默认在草稿旁）/ output file (default: beside the draft)"
    )
    p.set_defaults(run=cmd_render)

    p = sub.add_parser(
        "package", parents=[common], help="生成上传材料包 / build the upload package"
    )
    p.add_argument(
        "draft", type=Path, metavar="DRAFT", help="DRAFT.json，或工作区草稿编号 / or a draft id"
    )
    p.add_argument("--workspace", type=Path, help="工作区文件夹 / workspace of a draft id")
    p.add_argument("--out", type=Path, required=True, help="输出文件夹 / output folder")
    p.add_argument(
        "--limit",
        type=int,
        help="每个文件的字节上限（默认：所选方向政策的规定，或设置中的上限）/ bytes per file "
        "(default: what the direction's policy states, or the settings' limit)",
    )
    p.add_argument(
        "--min-dpi",
        type=float,
        help="扫描件最低分辨率（默认：设置，150）/ resolution floor for scans (default: settings, 150)",
    )
    p.add_argument(
        "--stamp",
        action="store_true",
        help="附件页脚加单位名称和页码 / stamp company and page x of y",
    )
    p.add_argument("--quiet", action="store_true", help="不显示进度 / no progress lines")
    p.add_argument(
        "--force",
        action="store_true",
        help="草稿有错误也生成（仅供预览）/ build even with errors (a preview, not for upload)",
    )
    p.set_defaults(run=cmd_package)
