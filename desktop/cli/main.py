"""`shenbao`: the command line over the same domain the wizard uses.

Everything the GUI does to a draft is reachable here for scripting, CI and support.
Exit codes: 0 success (for `check`: no errors), 1 the draft has errors, 2 bad input
(missing or malformed file, bad option), 3 the policy catalog cannot be loaded.
No command prints a traceback for a user mistake.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.catalog_diff import cmd_catalog_diff
from desktop.cli.documents import add_commands as add_document_commands
from desktop.cli.documents import opened_draft, package_draft, package_table
from desktop.cli.output import (
    catalog_json,
    catalog_text,
    check_timing,
    findings_text,
    match_json,
    match_text,
)
from desktop.cli.workspace import (
    NamedDraft,
    labelled_drafts,
    named_drafts,
    open_workspace,
    seed_demo,
    workspace_drafts,
)
from desktop.cli.workspace import add_commands as add_workspace_commands
from desktop.runtime import version_line
from forms.catalog.figures import local_time
from forms.catalog.loader import CatalogError, load_catalog
from forms.catalog.model import Catalog, Status
from forms.catalog.source import choose_catalog
from forms.draft.io import InputError, load_profile_or_draft, save_json_atomic
from forms.draft.model import Draft, Profile
from forms.package.model import PackageSettings
from forms.system.atomic import write_text_atomic
from forms.system.paths import default_workspace
from forms.system.resources import examples_dir
from forms.system.settings import load_settings
from forms.text import TextError, render
from validators.check import check
from validators.context import day_of
from validators.eligibility import match_profile
from validators.findings import Finding, blocking

if TYPE_CHECKING:
    from forms.workspace import Workspace

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_CATALOG = 0, 1, 2, 3


def _when(text: str) -> date | datetime:
    try:
        if "T" in text or " " in text.strip():
            return datetime.fromisoformat(text)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期格式应为YYYY-MM-DD或YYYY-MM-DDTHH:MM+08:00 / expected a date like 2025-09-10: {text!r}"
        ) from None


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_catalog(args: argparse.Namespace, catalog: Catalog) -> int:
    if getattr(args, "catalog_command", None) == "diff":
        return cmd_catalog_diff(args)
    if args.json:
        _print_json(catalog_json(catalog, args.date))
    else:
        print(catalog_text(catalog, args.date, args.lang, args.all))
    return EXIT_OK


def cmd_match(args: argparse.Namespace, catalog: Catalog) -> int:
    # PROFILE may also be the id (or id prefix) of a draft in the workspace.
    (found,), _ws = workspace_drafts([args.profile], getattr(args, "workspace", None))
    if found is not None and found.damaged is not None:
        raise found.damaged
    profile: Profile = found.draft.to_profile() if found else load_profile_or_draft(args.profile)
    matches = match_profile(catalog, profile, args.date)
    if args.json:
        _print_json({"company": profile.company.name, **match_json(matches, args.date)})
    else:
        print(match_text(catalog, matches, profile.company.name, args.date, args.lang, args.all))
    return EXIT_OK


def _check_each(
    catalog: Catalog,
    named: Sequence[NamedDraft],
    workspace: Sequence[Draft],
    when: date | datetime,
    *,
    look_at_files: bool = True,
) -> list[tuple[NamedDraft, list[Finding]]]:
    """Check every draft against the others of its workspace (one project per call)."""
    return [
        (
            n,
            check(
                n.draft, catalog, when, files=n.files if look_at_files else None, others=workspace
            ),
        )
        for n in named
    ]


def cmd_check(args: argparse.Namespace, catalog: Catalog) -> int:
    # A DRAFT is a JSON file, or the id (or id prefix) of a draft in the workspace.
    given, ws = named_drafts(args.drafts, args.workspace, look_at_files=not args.no_files)
    # A damaged workspace draft is said to be damaged (with its last good version to
    # restore) and left out; every other draft is checked as usual.
    damaged = [n for n in given if n.damaged is not None]
    for n in damaged:
        assert n.damaged is not None
        print(
            f"{render('error.heading', None, args.lang)}: {n.damaged.message(args.lang)}",
            file=sys.stderr,
        )
    named = [n for n in given if n.damaged is None]
    workspace = [n.draft for n in given if n.damaged is None or n.damaged.last_good]
    if args.workspace is not None:
        ws = ws or open_workspace(args.workspace)
        mine = {d.id for d in workspace}
        workspace += [n.draft for n in labelled_drafts(ws, given) if n.draft.id not in mine]
    results = _check_each(catalog, named, workspace, args.date, look_at_files=not args.no_files)
    if args.json:
        _print_json(
            [
                {
                    "file": str(n.label),
                    "draft": n.draft.id,
                    "direction": n.draft.direction,
                    "errors": len(blocking(findings)),
                    "exportable": not blocking(findings),
                    "can_apply_now": standing.can_apply_now if standing else None,
                    "timing": standing.as_json() if standing else None,
                    "findings": [f.as_json() for f in findings],
                }
                for n, findings in results
                for standing in [check_timing(catalog, n.draft.direction, args.date)]
            ]
        )
    else:
        for index, (n, findings) in enumerate(results):
            if index:
                print()
            standing = check_timing(catalog, n.draft.direction, args.date)
            label = str(n.label)
            print(findings_text(label, n.draft.direction or "—", findings, args.lang, standing))
    if damaged:
        return EXIT_INPUT
    return EXIT_FINDINGS if any(blocking(f) for _, f in results) else EXIT_OK


def cmd_schema(args: argparse.Namespace, catalog: Catalog | None) -> int:
    model = Draft if args.kind == "draft" else Profile
    schema = model.model_json_schema(mode="validation")
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        write_text_atomic(args.out, text, shared=True)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_new(args: argparse.Namespace, catalog: Catalog) -> int:
    draft = Draft()
    if args.profile is not None:
        profile = load_profile_or_draft(args.profile)
        draft = Draft(
            company=profile.company,
            financials=profile.financials,
            declarations=profile.declarations,
        )
        draft.project.metrics = dict(profile.metrics)
    if args.direction is not None:
        q = catalog.lookup(args.direction)
        if q is None:
            raise InputError.of("input.unknown_direction", key=args.direction)
        draft.direction = q.key
        draft.title = q.direction.title
    if args.out is None:
        print(draft.model_dump_json(indent=2))
        return EXIT_OK
    if args.out.exists() and not args.force:
        raise InputError(
            f"{args.out}: 文件已存在，未覆盖（加 --force 覆盖）/ exists; use --force to overwrite"
        )
    save_json_atomic(args.out, draft)
    print(f"已创建草稿 / draft written: {args.out}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, catalog: Catalog) -> int:
    """Seed a local workspace with the demo drafts and run match and check on it."""
    workspace: Path = args.workspace or default_workspace()
    source = examples_dir()
    # Into the encrypted workspace, attachments included; see docs/workspace.md for the
    # demo passphrase used when this machine has no keyring.
    ws, copied = seed_demo(workspace, source)
    on = args.date
    print(
        f"工作区 / workspace: {workspace}（新增 {copied} 份示例草稿 / {copied} demo drafts added）"
    )
    print(
        f"政策目录 / catalog: {catalog.version}, {len(catalog.policies)} policies, "
        f"{sum(1 for _ in catalog.directions())} directions\n"
    )
    drafts = labelled_drafts(ws)
    profile_path = source / "profiles" / "content-creation-company.json"
    if profile_path.is_file():
        profile = load_profile_or_draft(profile_path)
        matches = match_profile(catalog, profile, on)
        print(match_text(catalog, matches[:5], profile.company.name, on, args.lang, False))
        print()
    results = _check_each(catalog, drafts, [n.draft for n in drafts], args.date)
    for n, findings in results:
        print(findings_text(str(n.label), n.draft.direction or "—", findings, args.lang))
        print()
    # The main job end to end: every exportable draft becomes an upload package.
    for n, findings in results:
        draft = n.draft
        if blocking(findings):
            continue
        out = workspace.parent / "exports" / draft.id
        with opened_draft(Path(draft.id), workspace) as (opened, base_dir, _):
            result = package_draft(
                opened, catalog, out, base_dir, PackageSettings(), day_of(args.date), quiet=True
            )
        print(package_table(result, args.lang))
        print()
    print(_demo_epilogue(ws, catalog, [n.draft for n in drafts], args.date, args.lang))
    return EXIT_OK


def _demo_epilogue(
    ws: Workspace, catalog: Catalog, drafts: Sequence[Draft], when: date | datetime, lang: str
) -> str:
    """How to open the demo workspace in the app, and, once, what a closed window means
    for a draft prepared now (the examples' calls, as the catalog dates them)."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace import DEMO_PASSPHRASE

    gui = Path(sys.argv[0]).with_name("shenbao-gui")
    command = f"{gui if gui.is_file() else 'shenbao-gui'} --workspace {ws.folder}"
    passphrase = (
        render("demo.passphrase", {"passphrase": DEMO_PASSPHRASE}, lang) if ws.meta.key.demo else ""
    )
    lines = [render("demo.open_in_app", {"command": command, "passphrase": passphrase}, lang)]
    on = day_of(when)
    seen: set[str] = set()
    for draft in drafts:
        q = catalog.lookup(draft.direction)
        if q is None or q.policy.id in seen or q.policy.submission is None:
            continue
        seen.add(q.policy.id)
        window = q.policy.submission
        if q.policy.status_on(when) is not Status.WINDOW_CLOSED:
            continue
        lines.append(
            render(
                "demo.window_closed",
                {
                    "call": q.policy.title_en if lang == "en" else q.policy.title,
                    "opens": local_time(window.opens),
                    "closes": local_time(window.closes),
                    "today": on.isoformat(),
                    "inside": (window.opens + (window.closes - window.opens) / 2).date(),
                },
                lang,
            )
        )
    return "\n".join(lines).rstrip()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shenbao",
        description="申报：上海“人工智能+”支持政策离线申报工具 / offline preparation of Shanghai AI+ support applications",
    )
    parser.add_argument("--version", action="version", version=version_line())
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="检查本机安装后退出 / check this installation and exit (see docs/it-deployment.md)",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--catalog", type=Path, help="政策目录文件夹 / catalog folder (default: bundled)"
    )
    common.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="输出语言 / output language"
    )
    common.add_argument("--json", action="store_true", help="JSON输出 / machine-readable output")
    common.add_argument(
        "--date",
        type=_when,
        default=date.today(),
        help="按此日期或时刻判断状态 / judge status on this date, or at this instant "
        "(YYYY-MM-DD or YYYY-MM-DDTHH:MM+08:00; a time without zone is Shanghai time)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "catalog", parents=[common], help="政策与支持方向及其状态 / policies and directions"
    )
    p.add_argument("--all", action="store_true", help="含政府工作任务 / include government tasks")
    p.set_defaults(run=cmd_catalog)
    catalog_sub = p.add_subparsers(dest="catalog_command", metavar="diff", required=False)
    d = catalog_sub.add_parser(
        "diff",
        parents=[common],
        help="两个政策目录版本之间的变化 / what changed between two catalog versions",
    )
    d.add_argument("old", type=Path, help="旧目录文件夹或.zip / old catalog folder or .zip")
    d.add_argument("new", type=Path, help="新目录文件夹或.zip / new catalog folder or .zip")
    d.add_argument(
        "--workspace",
        type=Path,
        help="列出受影响的草稿 / list the drafts of this workspace affected",
    )
    d.set_defaults(run=cmd_catalog, no_catalog=True)

    p = sub.add_parser(
        "match", parents=[common], help="资格匹配 / eligibility of a company profile"
    )
    p.add_argument("profile", type=Path, help="PROFILE.json（或草稿 / or a draft）")
    p.add_argument("--all", action="store_true", help="显示全部方向 / show every direction")
    p.add_argument("--workspace", type=Path, help="工作区文件夹 / workspace of a draft id")
    p.set_defaults(run=cmd_match)

    p = sub.add_parser(
        "check", parents=[common], help="检查草稿 / validate drafts (exit 1 on errors)"
    )
    p.add_argument("drafts", type=Path, nargs="+", metavar="DRAFT.json")
    p.add_argument(
        "--workspace",
        type=Path,
        help="同时比对该工作区的草稿 / also compare with this workspace's drafts",
    )
    p.add_argument(
        "--no-files",
        action="store_true",
        help="不检查附件文件是否存在 / skip attachment file checks",
    )
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("schema", help="草稿的JSON Schema / JSON Schema of drafts")
    p.add_argument("--kind", choices=("draft", "profile"), default="draft")
    p.add_argument("--out", type=Path)
    p.set_defaults(run=cmd_schema, no_catalog=True)

    p = sub.add_parser("new", parents=[common], help="新建草稿 / a new draft to fill")
    p.add_argument("--direction", help="支持方向键 / direction key (see `shenbao catalog`)")
    p.add_argument("--profile", type=Path, help="从单位档案预填 / prefill from a profile")
    p.add_argument(
        "--out", type=Path, help="写入文件（默认输出到屏幕）/ write here (default stdout)"
    )
    p.add_argument("--force", action="store_true")
    p.set_defaults(run=cmd_new)

    p = sub.add_parser(
        "demo", parents=[common], help="示例工作区 / seed a demo workspace and check it"
    )
    p.add_argument("--workspace", type=Path, help="工作区文件夹 / workspace folder")
    p.set_defaults(run=cmd_demo)

    add_workspace_commands(sub, common)

    add_document_commands(sub, common)
    return parser


def _chosen_catalog(lang: str = "zh") -> Catalog:
    """The bundled catalog, or a newer valid update; refused updates are warned about."""
    choice = choose_catalog(load_settings())
    for note in choice.refused:
        print(f"警告 / warning: {note.message(lang)}", file=sys.stderr)
    return choice.catalog


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    args = parser.parse_args(arguments)
    try:
        catalog = None
        if not getattr(args, "no_catalog", False):
            lang = getattr(args, "lang", "zh")
            catalog = load_catalog(args.catalog) if args.catalog else _chosen_catalog(lang)
        code: int = args.run(args, catalog)
        return code
    except CatalogError as exc:
        lang = getattr(args, "lang", "zh")
        print(
            f"政策目录无法加载 / the policy catalog cannot be loaded:\n{exc.message(lang)}",
            file=sys.stderr,
        )
        return EXIT_CATALOG
    except TextError as exc:  # InputError, WorkspaceError, a full disk: exc says what to do
        lang = getattr(args, "lang", "zh")
        print(f"{render('error.heading', None, lang)}: {exc.message(lang)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`shenbao catalog | head`): not an error of ours. Point
        # stdout at devnull so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
