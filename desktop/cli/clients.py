"""Client and overview commands of `shenbao`: what the app's client list and overview do.

`clients show|set|delete|carry|import`, `draft new --client`, `drafts --xlsx FILE` and
`drafts --ics FILE`, all on the workspace the app uses (`--workspace DIR` for another).
A client is named by its id (or an unambiguous prefix), its credit code or its exact name.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from desktop.cli.workspace import _print_json, folder_of, open_workspace
from forms.catalog.model import Catalog
from forms.draft.io import InputError
from forms.draft.model import Company
from validators.check import credit_code_texts
from validators.context import day_of

if TYPE_CHECKING:
    from forms.workspace import Workspace

EXIT_OK = 0


def client_id(ws: Workspace, ref: str) -> str:
    """The client `ref` names: id or unique id prefix, credit code, or exact name."""
    clients = ws.clients()
    for exact in (
        [c.id for c in clients if c.id == ref],
        [c.id for c in clients if ref and c.credit_code == ref.upper()],
        [c.id for c in clients if ref and c.name.strip() == ref.strip()],
        [c.id for c in clients if ref and c.id.startswith(ref)],
    ):
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise InputError(f"“{ref}”对应多个客户，请写编号 / {ref!r} matches several clients")
    raise InputError(f"没有此客户 / no client {ref!r} (see `shenbao clients`)")


def cmd_client_show(args: argparse.Namespace, catalog: object) -> int:
    ws = open_workspace(folder_of(args))
    cid = client_id(ws, args.client)
    profile = ws.client_profile(cid)
    if args.json:
        _print_json({"id": cid, **profile.model_dump(mode="json")})
        return EXIT_OK
    c = profile.company
    print(f"{cid}  {c.name or '—'}  {c.credit_code or '—'}")
    for key, value in _flat(c.model_dump(mode="json")).items():
        if value not in ("", None):
            print(f"  {key}: {value}")
    print(f"  financials: {len(profile.financials)}")
    return EXIT_OK


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def cmd_client_set(args: argparse.Namespace, catalog: object) -> int:
    """Change company fields of a client: `name=…`, `contact.phone=…`, `staff=86` …"""
    ws = open_workspace(folder_of(args))
    cid = client_id(ws, args.client)
    profile = ws.client_profile(cid)
    data = profile.company.model_dump(mode="json")
    for assignment in args.assignments:
        key, sep, value = assignment.partition("=")
        target = data
        parts = key.strip().split(".")
        for part in parts[:-1]:
            inner = target.get(part)
            if not isinstance(inner, dict):
                raise InputError(f"未知字段 / unknown field {key!r}")
            target = inner
        if not sep or parts[-1] not in target:
            raise InputError(
                f"请写成 字段=值 / write FIELD=VALUE with a company field: {assignment!r} "
                f"(fields: {', '.join(_flat(profile.company.model_dump(mode='json')))})"
            )
        target[parts[-1]] = value if value != "" else None if parts[-1] in _NULLABLE else ""
    try:
        company = Company.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"字段值无效 / invalid value: {exc.errors()[0]['msg']}") from None
    ws.update_client(cid, profile.model_copy(update={"company": company}))
    print(f"已更新单位 / client updated: {company.name or cid}")
    if args.drafts:
        _carry_from_client(ws, cid)
    return EXIT_OK


_NULLABLE = {
    "registration_date",
    "registered_capital",
    "staff",
    "rd_staff",
    "ownership",
    "independent_legal_entity",
    "operating_status",
    "credit_standing",
}


def _carry_from_client(ws: Workspace, cid: str) -> None:
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace.clients import carry_from_client

    result = carry_from_client(ws, cid)
    _report_carry(result.updated, result.skipped)


def _report_carry(updated: list[str], skipped: list[tuple[str, str]]) -> None:
    print(f"已更新 {len(updated)} 份草稿 / {len(updated)} draft(s) updated")
    for draft_id, why in skipped:
        print(f"  未更新 / not updated {draft_id}: {why}")


def cmd_client_carry(args: argparse.Namespace, catalog: object) -> int:
    """A draft's company data back to its client (and, with --other-drafts, its drafts)."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace.clients import carry_to_client, company_differences

    ws = open_workspace(folder_of(args))
    draft_id = ws.resolve_draft(args.draft)
    record = ws.record(draft_id)
    draft = ws.load_draft(draft_id)
    parts = company_differences(draft, ws.client_profile(record.client_id))
    result = carry_to_client(ws, draft, record.client_id, other_drafts=args.other_drafts)
    print(
        f"单位资料已更新（{', '.join(parts) or '无变化 / unchanged'}）/ client updated from "
        f"draft {draft_id}"
    )
    if args.other_drafts:
        _report_carry(result.updated, result.skipped)
    return EXIT_OK


def cmd_client_delete(args: argparse.Namespace, catalog: object) -> int:
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace.clients import delete_client

    ws = open_workspace(folder_of(args))
    cid = client_id(ws, args.client)
    name = ws.client_profile(cid).company.name or cid
    drafts = delete_client(ws, cid, with_drafts=args.with_drafts)
    print(f"已删除单位 / client deleted: {name}（{len(drafts)} 份草稿一并删除 / drafts deleted）")
    return EXIT_OK


def cmd_client_import(args: argparse.Namespace, catalog: object) -> int:
    """Read a list of clients; print what each row does; write it unless --dry-run."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace.spreadsheet import apply_import, plan_import

    ws = open_workspace(folder_of(args))
    existing = [(c.id, ws.client_profile(c.id)) for c in ws.clients()]
    plan = plan_import(args.file, existing, credit_code_texts)
    lang = args.lang
    rows: list[dict[str, Any]] = []
    for row in plan.rows:
        if not row.ok:
            what = "bad"
        elif row.merged_into is not None:
            what = "merged"
        elif row.existing is not None:
            what = "update"
        else:
            what = "new"
        rows.append(
            {
                "row": row.row,
                "action": what,
                "name": row.company.name,
                "credit_code": row.company.credit_code,
                "problems": [t.render(lang) for t in row.problems],
                "notes": [t.render(lang) for t in row.notes],
            }
        )
    written = None
    if not args.dry_run:
        written = apply_import(ws, plan)
    if args.json:
        _print_json(
            {
                "file": str(args.file),
                "rows": rows,
                "written": None
                if written is None
                else {"added": written.added, "updated": written.updated},
            }
        )
        return EXIT_OK
    marks = {"bad": "✖", "merged": "＝", "update": "↻", "new": "＋"}
    for r in rows:
        why = "；".join(r["problems"] + r["notes"])
        print(
            f"{marks[r['action']]} {r['row']:>4}  {r['name'] or '—'}  {r['credit_code'] or '—'}  {why}"
        )
    print(
        f"新单位 / new: {len(plan.new)}  更新 / updates: {len(plan.updates)}  "
        f"有误未导入 / left out: {len(plan.bad)}"
    )
    if written is None:
        print("（--dry-run：未写入 / nothing written）")
    return EXIT_OK


def cmd_draft_new(args: argparse.Namespace, catalog: Catalog) -> int:
    """A new workspace draft that starts from its client's company data."""
    ws = open_workspace(folder_of(args))
    cid = client_id(ws, args.client)
    draft = ws.new_draft_for(cid)
    if args.direction is not None:
        q = catalog.lookup(args.direction)
        if q is None:
            raise InputError.of("input.unknown_direction", key=args.direction)
        draft.direction = q.key
    if args.title:
        draft.project.name = args.title
    saved = ws.save_draft(draft, client_id=cid)
    print(f"已新建草稿 / draft created: {draft.id} v{saved.version}")
    return EXIT_OK


def cmd_drafts_files(args: argparse.Namespace, catalog: Catalog) -> int:
    """The overview as .xlsx and/or the open drafts' windows as .ics."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace.calendar import write_calendar
    from forms.workspace.files import stored_in
    from forms.workspace.spreadsheet import write_overview
    from validators.overview import (
        deadline_of,
        deadline_order,
        overview_header,
        overview_line,
        overview_row,
    )

    ws = open_workspace(folder_of(args))
    on = day_of(args.date)
    infos = ws.drafts(args.client and client_id(ws, args.client))
    drafts = {i.id: ws.load_draft(i.id) for i in infos}
    others = list(drafts.values())
    files = stored_in(ws)
    names = {c.id: c.name for c in ws.clients()}
    rows = sorted(
        (
            (overview_row(drafts[i.id], catalog, on, others, files), names.get(i.client_id, ""))
            for i in infos
        ),
        key=lambda pair: deadline_order(pair[0]),
    )
    if args.xlsx is not None:
        lines = [overview_line(row, client, args.lang) for row, client in rows]
        write_overview(args.xlsx, overview_header(args.lang), lines)
        print(f"已写入总览 / overview written: {args.xlsx}（{len(lines)} 份草稿 / drafts）")
    if args.ics is not None:
        deadlines = [d for row, client in rows if (d := deadline_of(row, client, args.lang))]
        now = datetime.combine(on, datetime.min.time(), UTC) if args.date else None
        write_calendar(args.ics, deadlines, lang=args.lang, now=now)
        print(
            f"已写入日历 / calendar written: {args.ics}（{len(deadlines)} 个截止日期 / deadlines）"
        )
    return EXIT_OK


def add_commands(
    clients: argparse.ArgumentParser,
    drafts: argparse.ArgumentParser,
    draft: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    """Register the client subcommands, `draft new` and the overview files."""
    sub = clients.add_subparsers(dest="clients_command", required=False, metavar="ACTION")
    q = sub.add_parser("show", parents=parents, help="单位资料 / a client's company profile")
    q.add_argument("client", help="编号、信用代码或名称 / id, credit code or name")
    q.set_defaults(run=cmd_client_show, no_catalog=True)
    q = sub.add_parser("set", parents=parents, help="修改单位资料 / change company fields")
    q.add_argument("client")
    q.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    q.add_argument(
        "--drafts", action="store_true", help="同时更新其草稿 / also update the client's drafts"
    )
    q.set_defaults(run=cmd_client_set, no_catalog=True)
    q = sub.add_parser("delete", parents=parents, help="删除单位（可恢复）/ delete a client")
    q.add_argument("client")
    q.add_argument("--with-drafts", action="store_true", help="连同其草稿 / delete its drafts too")
    q.set_defaults(run=cmd_client_delete, no_catalog=True)
    q = sub.add_parser(
        "carry",
        parents=parents,
        help="把草稿的单位信息存回单位 / a draft's company data to its client",
    )
    q.add_argument("draft", help="草稿编号或前缀 / draft id or prefix")
    q.add_argument(
        "--other-drafts",
        action="store_true",
        help="并更新该单位的其他草稿 / and into the client's other drafts",
    )
    q.set_defaults(run=cmd_client_carry, no_catalog=True)
    q = sub.add_parser(
        "import", parents=parents, help="从Excel或CSV导入单位 / import clients from .xlsx or .csv"
    )
    q.add_argument("file", type=Path, help="名单文件 / the list (.xlsx or .csv)")
    q.add_argument(
        "--dry-run", action="store_true", help="只显示将做什么 / only show what would happen"
    )
    q.set_defaults(run=cmd_client_import, no_catalog=True)

    drafts.add_argument("--xlsx", type=Path, help="把总览写成Excel / write the overview as .xlsx")
    drafts.add_argument(
        "--ics",
        type=Path,
        help="把未结束草稿的申报截止写成日历 / write open drafts' deadlines as .ics",
    )

    q = draft.add_parser("new", parents=parents, help="为单位新建草稿 / a new draft of a client")
    q.add_argument("--client", required=True, help="编号、信用代码或名称 / id, code or name")
    q.add_argument("--direction", help="支持方向键 / direction key")
    q.add_argument("--title", help="项目名称 / project name")
    q.set_defaults(run=cmd_draft_new)
