"""Workspace commands of `shenbao`: the encrypted workspace from the command line.

`workspace init|info|passphrase|remember-key`, `clients`, `drafts`, `draft show|history|
diff|restore|audit|add|delete|undelete`, `export`, `import`, all on the folder the GUI uses
unless `--workspace DIR` names another. The key comes from the OS keyring, else the
passphrase: `SHENBAO_PASSPHRASE`, or a prompt when there is a terminal. Nothing here falls
back to plain text; a missing key is an error that says what to do (exit 2).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forms.draft.io import InputError, files_beside, load_draft
from forms.draft.model import AttachmentRepair, Draft
from forms.package.intact import plainly_intact
from forms.system.settings import workspace_folder
from forms.text import Text, render
from validators.context import FileCheck

if TYPE_CHECKING:
    from forms.workspace import (
        DraftDamagedError,
        Workspace,
    )
    from forms.workspace.records import DraftInfo

# The workspace modules (cryptography, keyring, SQLite) load in the functions that open a
# workspace, so `shenbao check FILE`, `catalog` and `--help` start without them.

PASSPHRASE_ENV = "SHENBAO_PASSPHRASE"
NEW_PASSPHRASE_ENV = "SHENBAO_NEW_PASSPHRASE"
BUNDLE_PASSPHRASE_ENV = "SHENBAO_BUNDLE_PASSPHRASE"
EXIT_OK = 0


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def folder_of(args: argparse.Namespace) -> Path:
    folder: Path | None = getattr(args, "workspace", None)
    return folder if folder is not None else workspace_folder()


def _prompt(label: str, env: str, *, confirm: bool = False) -> str:
    """A passphrase from `env`, else typed at the terminal (twice when setting one)."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise InputError(
            f"需要口令：请设置环境变量{env} / a passphrase is needed: set {env} (no terminal to ask)"
        )
    first = getpass.getpass(f"{label}: ")
    if confirm and getpass.getpass("再次输入 / again: ") != first:
        raise InputError("两次输入的口令不一致 / the passphrases differ")
    if not first:
        raise InputError("口令不能为空 / the passphrase must not be empty")
    return first


def open_workspace(folder: Path) -> Workspace:
    """Open `folder` with the keyring, else the passphrase (env or prompt). A workspace made
    by `shenbao demo` with the public demo passphrase opens with it, with a warning.
    Decrypted files a killed earlier run left in shenbao's scratch folder go first."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.system.scratch import sweep
    from forms.workspace import DEMO_PASSPHRASE, KeyringOrPassphrase, Workspace

    meta = Workspace.read_meta(folder)
    sweep()

    def ask() -> str:
        if meta.key.demo and not os.environ.get(PASSPHRASE_ENV):
            return DEMO_PASSPHRASE
        return _prompt("工作区口令 / workspace passphrase", PASSPHRASE_ENV)

    if meta.key.demo:
        print(
            "注意：这是使用公开演示口令的演示工作区，请勿存放真实资料（运行 shenbao workspace "
            "passphrase 设置自己的口令）/ note: demo workspace with the public demo passphrase; "
            "set your own with `shenbao workspace passphrase` before entering real data",
            file=sys.stderr,
        )
    return Workspace.open(folder, KeyringOrPassphrase(ask=ask))


def create_workspace(folder: Path, key: str, *, demo: bool = False) -> Workspace:
    """A new workspace. `auto`: passphrase if SHENBAO_PASSPHRASE is set, else the keyring;
    with no keyring the user must give a passphrase (for `demo` only: the public one)."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace import (
        DEMO_PASSPHRASE,
        KeyringStore,
        KeyUnavailableError,
        Passphrase,
        UseKeyring,
        Workspace,
    )
    from forms.workspace.strength import check_new_passphrase

    if key == "passphrase" or (key == "auto" and os.environ.get(PASSPHRASE_ENV)):
        secret = _prompt("新口令 / new passphrase", PASSPHRASE_ENV, confirm=True)
        check_new_passphrase(secret)  # a copied folder can be attacked offline
        return Workspace.create(folder, Passphrase(secret))
    try:
        return Workspace.create(folder, UseKeyring(KeyringStore()))
    except KeyUnavailableError:
        if not demo:
            raise
    return Workspace.create(folder, Passphrase(DEMO_PASSPHRASE), demo=True)


def workspace_draft(folder: Path, ref: str) -> Draft:
    """A draft of the workspace by id or unambiguous id prefix."""
    ws = open_workspace(folder)
    return ws.load_draft(ws.resolve_draft(ref))


def cmd_init(args: argparse.Namespace, catalog: object) -> int:
    folder = folder_of(args)
    ws = create_workspace(folder, args.key)
    where = "系统密钥环 / OS keyring" if ws.meta.key.source == "keyring" else "口令 / passphrase"
    print(f"已创建工作区 / workspace created: {folder}\n密钥保存在 / key kept in: {where}")
    return EXIT_OK


def cmd_info(args: argparse.Namespace, catalog: object) -> int:
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace import Workspace

    folder = folder_of(args)
    meta = Workspace.read_meta(folder)
    drafts_dir, clients_dir = folder / "drafts", folder / "clients"
    info: dict[str, Any] = {
        "folder": str(folder),
        "id": meta.id,
        "schema_version": meta.schema_version,
        "created": meta.created.isoformat(),
        "key_source": meta.key.source,
        "passphrase_set": meta.key.passphrase is not None,
        "demo": meta.key.demo,
        "clients": sum(1 for p in clients_dir.iterdir() if p.is_dir())
        if clients_dir.is_dir()
        else 0,
        "drafts": sum(1 for p in drafts_dir.iterdir() if p.is_dir()) if drafts_dir.is_dir() else 0,
    }
    if args.json:
        _print_json(info)
        return EXIT_OK
    print(f"工作区 / workspace: {folder}")
    print(f"  编号 / id: {meta.id}   格式 / schema: {meta.schema_version}")
    print(
        f"  密钥 / key: {meta.key.source}; 口令 / passphrase: {'已设置 / set' if info['passphrase_set'] else '未设置 / not set'}"
    )
    print(f"  客户 / clients: {info['clients']}   草稿 / drafts: {info['drafts']}")
    if meta.key.demo:
        print("  演示工作区（公开口令）/ demo workspace (public passphrase)")
    return EXIT_OK


def cmd_passphrase(args: argparse.Namespace, catalog: object) -> int:
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace.strength import check_new_passphrase

    ws = open_workspace(folder_of(args))
    new = _prompt("新口令 / new passphrase", NEW_PASSPHRASE_ENV, confirm=True)
    check_new_passphrase(new)
    ws.set_passphrase(new)
    print(
        "口令已设置；可凭此口令在其他电脑打开该工作区 / passphrase set; it opens the workspace on another machine"
    )
    return EXIT_OK


def cmd_remember(args: argparse.Namespace, catalog: object) -> int:
    ws = open_workspace(folder_of(args))
    ws.remember_key()
    print("密钥已存入本机密钥环 / key stored in this machine's keyring")
    return EXIT_OK


def cmd_clients(args: argparse.Namespace, catalog: object) -> int:
    ws = open_workspace(folder_of(args))
    drafts = ws.drafts()
    rows: list[dict[str, Any]] = [
        {
            "id": c.id,
            "name": c.name,
            "credit_code": c.credit_code,
            "drafts": sum(1 for d in drafts if d.client_id == c.id),
            "updated_at": c.updated_at.isoformat(),
        }
        for c in ws.clients()
    ]
    if args.json:
        _print_json(rows)
    elif not rows:
        print("（无客户 / no clients）")
    for row in [] if args.json else rows:
        print(
            f"{row['id']}  {row['name'] or '—'}  {row['credit_code'] or '—'}  草稿/drafts {row['drafts']}"
        )
    return EXIT_OK


def _client_id(ws: Workspace, prefix: str) -> str:
    matches = [c.id for c in ws.clients() if c.id.startswith(prefix)]
    if len(matches) != 1:
        raise InputError.of("workspace.ambiguous_client", client=prefix)
    return matches[0]


def _markers(ws: Workspace, d: DraftInfo, lang: str) -> list[str]:
    """What a user must know of a draft besides its content: damage, conflict, lock."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace.errors import clock_time

    marks = []
    if d.damaged:
        versions = ",".join(str(v) for v in d.damaged)
        marks.append(
            render(
                "workspace.marker_damaged",
                {"versions": versions, "good": d.version, "draft": d.id},
                lang,
            )
        )
    if d.conflict:
        marks.append(
            render(
                "workspace.marker_conflict", {"heads": ", ".join(d.conflict), "draft": d.id}, lang
            )
        )
    holder = ws.lock_holder(d.id)
    if holder is not None:
        since = clock_time(holder.since)
        if holder.unreadable:
            code = "workspace.marker_lock_unreadable"
        elif holder.stale:
            code = "workspace.marker_lock_stale"
        else:
            code = "workspace.marker_locked"
        marks.append(render(code, {"holder": holder.holder, "since": since, "draft": d.id}, lang))
    return marks


def cmd_drafts(args: argparse.Namespace, catalog: object) -> int:
    if args.xlsx is not None or args.ics is not None:
        # desktop.cli.clients imports this module: a top-level import would be circular
        from desktop.cli.clients import cmd_drafts_files

        return cmd_drafts_files(args, catalog)  # type: ignore[arg-type]
    ws = open_workspace(folder_of(args))
    client = _client_id(ws, args.client) if args.client is not None else None
    infos = ws.drafts(client, include_deleted=args.deleted)
    unreadable = ws.unreadable_drafts()
    if args.json:
        rows: list[dict[str, Any]] = []
        for d in infos:
            holder = ws.lock_holder(d.id)
            rows.append(
                {
                    "id": d.id,
                    "client_id": d.client_id,
                    "company": d.company_name,
                    "title": d.title,
                    "direction": d.direction,
                    "status": d.status.value,
                    "versions": d.versions,
                    "version": d.version,
                    "updated_at": d.updated_at.isoformat(),
                    "deleted": d.deleted,
                    "damaged_versions": list(d.damaged),
                    "conflict": list(d.conflict),
                    "lock": None
                    if holder is None
                    else {
                        "holder": holder.holder,
                        "since": holder.since.isoformat(),
                        "stale": holder.stale,
                        "unreadable": holder.unreadable,
                    },
                }
            )
        rows += [
            {"unreadable_folder": u.name, "files": u.files, "damaged": True} for u in unreadable
        ]
        _print_json(rows)
        return EXIT_OK
    if not infos and not unreadable:
        print("（无草稿 / no drafts）")
    for d in infos:
        local = d.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        gone = "  [已删除 / deleted]" if d.deleted else ""
        marks = "".join(f"  {m}" for m in _markers(ws, d, args.lang))
        print(
            f"{d.id}  {d.company_name or '—'}  {d.title or '—'}  v{d.version}  {local}  "
            f"{d.status.value}{gone}{marks}"
        )
    for u in unreadable:
        print(render("workspace.draft_unreadable", {"name": u.name, "count": u.files}, args.lang))
    return EXIT_OK


def _draft_id(ws: Workspace, ref: str) -> str:
    return ws.resolve_draft(ref)


def cmd_show(args: argparse.Namespace, catalog: object) -> int:
    ws = open_workspace(folder_of(args))
    draft_id = _draft_id(ws, args.draft)
    draft = ws.load_draft(draft_id, args.version)
    if args.json:
        print(draft.model_dump_json(indent=2))
        return EXIT_OK
    info = ws.info(draft.id)
    print(f"{draft.id}  v{args.version or info.version}/{info.version}")
    print(f"  单位 / company: {draft.company.name or '—'}  {draft.company.credit_code or ''}")
    print(f"  标题 / title: {draft.title or '—'}")
    print(f"  方向 / direction: {draft.direction or '—'}")
    print(f"  状态 / status: {draft.status.value}")
    for mark in _markers(ws, info, args.lang):
        print(f"  {mark}")
    print("  （--json 显示全部字段 / --json shows every field）")
    return EXIT_OK


def cmd_unlock(args: argparse.Namespace, catalog: object) -> int:
    """Take over a draft's edit lock: after a crash, a full disk, or a colleague gone home.
    Asks first (at a terminal), `--yes` for scripts."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace.errors import clock_time

    ws = open_workspace(folder_of(args))
    draft_id = _draft_id(ws, args.draft)
    holder = ws.lock_holder(draft_id)
    if holder is None:
        print(render("workspace.not_locked", {"draft": draft_id}, args.lang))
        return EXIT_OK
    since = clock_time(holder.since)
    params = {"holder": holder.holder, "since": since}
    if holder.unreadable:
        state = render("workspace.unlock_state_unreadable", params, args.lang)
    elif holder.stale:
        state = render("workspace.unlock_state_stale", params, args.lang)
    else:
        state = render("workspace.unlock_state_live", params, args.lang)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError.of("workspace.unlock_needs_yes")
        answer = input(
            render("workspace.unlock_ask", {"draft": draft_id, "state": state}, args.lang)
        )
        if answer.strip().lower() not in ("y", "yes", "是", "好"):
            print(render("workspace.unlock_cancelled", None, args.lang))
            return EXIT_OK
    ws.unlock(draft_id)
    print(render("workspace.unlocked", {"draft": draft_id, **params}, args.lang))
    return EXIT_OK


def cmd_resolve(args: argparse.Namespace, catalog: object) -> int:
    ws = open_workspace(folder_of(args))
    draft_id = _draft_id(ws, args.draft)
    saved = ws.resolve_conflict(draft_id, args.keep)
    if args.keep is not None:
        print(
            render("workspace.resolved", {"kept": args.keep, "version": saved.version}, args.lang)
        )
    else:
        print(render("workspace.resolved_merged", {"version": saved.version}, args.lang))
    return EXIT_OK


def cmd_history(args: argparse.Namespace, catalog: object) -> int:
    ws = open_workspace(folder_of(args))
    versions = ws.history(_draft_id(ws, args.draft))
    if args.json:
        _print_json(
            [
                {
                    "version": v.version,
                    "key": v.key,
                    "saved_at": v.saved_at.isoformat(),
                    "author": v.author,
                    "action": v.action,
                    "changed": list(v.changed),
                    "deleted": v.deleted,
                    "restored_from": v.restored_from,
                    "damaged": v.damaged,
                }
                for v in versions
            ]
        )
        return EXIT_OK
    numbers = [v.version for v in versions]
    for v in versions:
        if v.damaged:
            print(
                f"v{v.version}  {render('workspace.version_damaged', {'draft': v.draft_id, 'version': v.version}, args.lang)}"
            )
            continue
        local = v.saved_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        fields = ", ".join(v.changed[:6]) + (" …" if len(v.changed) > 6 else "")
        label = v.key if numbers.count(v.version) > 1 else str(v.version)
        print(f"v{label}  {local}  {v.author}  {v.action}  {fields}")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace, catalog: object) -> int:
    ws = open_workspace(folder_of(args))
    draft_id = _draft_id(ws, args.draft)
    paths = ws.diff(draft_id, args.old, args.new)
    if args.json:
        _print_json({"draft": draft_id, "from": args.old, "to": args.new, "changed": paths})
    elif not paths:
        print("（无差异 / no differences）")
    else:
        print("\n".join(paths))
    return EXIT_OK


def _version_ref(text: str) -> int | str:
    """A version as typed: "4", or a head's key "4-1a2b3c4d" after a sync conflict."""
    if text.isdigit():
        return int(text)
    number, _, origin = text.partition("-")
    if number.isdigit() and origin:
        return text
    raise argparse.ArgumentTypeError(f"version: {text!r}")


def cmd_restore(args: argparse.Namespace, catalog: object) -> int:
    ws = open_workspace(folder_of(args))
    saved = ws.restore(_draft_id(ws, args.draft), args.version)
    print(
        f"已恢复为第{args.version}版内容，保存为第{saved.version}版 / restored version {args.version} as version {saved.version}"
    )
    return EXIT_OK


def cmd_audit(args: argparse.Namespace, catalog: object) -> int:
    ws = open_workspace(folder_of(args))
    entries = ws.audit(_draft_id(ws, args.draft))
    if args.json:
        _print_json([e.as_json() for e in entries])
        return EXIT_OK
    for e in entries:
        local = e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        version = f"v{e.version}" if e.version else "  "
        print(
            f"{local}  {e.author}  {e.action}  {version}  {', '.join(e.fields)} {e.detail}".rstrip()
        )
    return EXIT_OK


def _base_of(ws: Workspace, draft: Draft, given: int | None) -> int | None:
    """The version a JSON file of an existing draft was exported from: `--base`, else the
    earliest version whose `updated` stamp the file carries (`draft show --json` writes
    it), else None: a file that is no export of this draft replaces it on top."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace import WorkspaceError
    from forms.workspace.drafts import ON_TOP

    if given is not None or not ws.has_draft(draft.id):
        return given
    stamp = draft.updated.replace(microsecond=0)
    for version in ws.history(draft.id):
        if version.damaged:
            continue
        try:
            stored = Draft.model_validate(ws.record(draft.id, version.key).draft).updated
        except (WorkspaceError, ValueError):
            continue
        if stored.replace(microsecond=0) == stamp:
            return version.version
    return ON_TOP


def cmd_add(args: argparse.Namespace, catalog: object) -> int:
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace.files import store_attachments

    ws = open_workspace(folder_of(args))
    draft = load_draft(args.file)
    base = _base_of(ws, draft, args.base)
    # The files the draft names beside it go into the workspace too, as the GUI stores them.
    store_attachments(ws, draft, Path(args.file).parent)
    saved = ws.save_draft(draft, client_id=args.client, base=base)
    if saved.merged and saved.merged_with is not None and base is not None:
        merged = Text.of(
            "workspace.merged",
            base=base,
            latest=saved.merged_with,
            version=saved.version,
            fields=", ".join(saved.merged[:8]),
        )
        print(merged.render(args.lang), file=sys.stderr)
    print(f"已存入工作区 / saved to the workspace: {draft.id} v{saved.version}")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace, catalog: object) -> int:
    ws = open_workspace(folder_of(args))
    draft_id = _draft_id(ws, args.draft)
    if args.undo:
        ws.undelete_draft(draft_id)
        print(f"已恢复 / undeleted: {draft_id}")
    else:
        ws.delete_draft(draft_id)
        print(f"已删除（可用 --undo 恢复）/ deleted (undo with --undo): {draft_id}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, catalog: object) -> int:
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace import export_bundle
    from forms.workspace.strength import check_new_passphrase

    ws = open_workspace(folder_of(args))
    passphrase = None
    if not args.plain:
        passphrase = _prompt(
            "导出文件口令 / bundle passphrase", BUNDLE_PASSPHRASE_ENV, confirm=True
        )
        check_new_passphrase(passphrase)  # a bundle sent by mail is attacked offline too
    client = None
    if args.client is not None:
        matches = [c.id for c in ws.clients() if c.id.startswith(args.client)]
        if len(matches) != 1:
            raise InputError(f"没有唯一匹配的客户 / no single client matches {args.client!r}")
        client = matches[0]
    drafts = [_draft_id(ws, ref) for ref in args.draft or []]
    if (client is None) == (not drafts):
        raise InputError("请用 --client 或 --draft 指定导出内容 / give --client or --draft")
    out = export_bundle(
        ws, args.out, client_id=client, draft_ids=drafts or None, passphrase=passphrase
    )
    print(f"已导出 / exported: {out}")
    if args.plain:
        print(
            "注意：未设口令，任何拿到文件的人都能读取 / note: no passphrase, anyone with the file can read it",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_import(args: argparse.Namespace, catalog: object) -> int:
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace import import_bundle

    ws = open_workspace(folder_of(args))
    passphrase = os.environ.get(BUNDLE_PASSPHRASE_ENV)
    if passphrase is None and args.ask_passphrase:
        passphrase = _prompt("导出文件口令 / bundle passphrase", BUNDLE_PASSPHRASE_ENV)
    result = import_bundle(ws, args.bundle, passphrase=passphrase)
    print(
        f"已导入 / imported: {len(result.clients)} 个客户 / clients, {len(result.drafts)} 份草稿 / drafts "
        f"({result.new_versions} 个新版本 / new versions), {result.attachments} 个附件 / attachments"
    )
    return EXIT_OK


def add_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Register `workspace`, `clients`, `drafts`, `draft`, `export`, `import`."""
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--workspace", type=Path, help="工作区文件夹 / workspace folder (default: the GUI's)"
    )
    parents = [common, where]

    p = sub.add_parser("workspace", help="工作区：新建、信息、口令 / the encrypted workspace")
    ws_sub = p.add_subparsers(dest="workspace_command", required=True, metavar="ACTION")
    q = ws_sub.add_parser("init", parents=parents, help="新建工作区 / create a workspace")
    q.add_argument(
        "--key",
        choices=("auto", "keyring", "passphrase"),
        default="auto",
        help="密钥保存方式 / where the key is kept (auto: keyring, or passphrase if SHENBAO_PASSPHRASE is set)",
    )
    q.set_defaults(run=cmd_init, no_catalog=True)
    q = ws_sub.add_parser("info", parents=parents, help="工作区信息 / what the workspace is")
    q.set_defaults(run=cmd_info, no_catalog=True)
    q = ws_sub.add_parser(
        "passphrase", parents=parents, help="设置或修改口令 / set or change the passphrase"
    )
    q.set_defaults(run=cmd_passphrase, no_catalog=True)
    q = ws_sub.add_parser(
        "remember-key",
        parents=parents,
        help="把密钥存入本机密钥环 / keep the key in this machine's keyring",
    )
    q.set_defaults(run=cmd_remember, no_catalog=True)

    clients = p = sub.add_parser(
        "clients", parents=parents, help="客户列表 / clients of the workspace"
    )
    p.set_defaults(run=cmd_clients, no_catalog=True)

    drafts = p = sub.add_parser(
        "drafts", parents=parents, help="草稿列表 / drafts of the workspace"
    )
    p.add_argument("--client", help="只列此客户 / only this client (id or prefix)")
    p.add_argument("--deleted", action="store_true", help="含已删除 / include deleted drafts")
    p.set_defaults(run=cmd_drafts)

    p = sub.add_parser("draft", help="单份草稿：查看、历史、比较、恢复 / one draft")
    d_sub = p.add_subparsers(dest="draft_command", required=True, metavar="ACTION")
    # desktop.cli.clients imports this module: a top-level import would be circular
    from desktop.cli.clients import add_commands as add_client_commands

    add_client_commands(clients, drafts, d_sub, parents)
    q = d_sub.add_parser("show", parents=parents, help="查看 / show a draft (--json: all fields)")
    q.add_argument("draft", help="草稿编号或前缀 / draft id or prefix")
    q.add_argument("--version", type=_version_ref, help="第几版 / which version (default: latest)")
    q.set_defaults(run=cmd_show, no_catalog=True)
    q = d_sub.add_parser("history", parents=parents, help="版本历史 / versions")
    q.add_argument("draft")
    q.set_defaults(run=cmd_history, no_catalog=True)
    q = d_sub.add_parser("diff", parents=parents, help="比较两版 / fields changed between versions")
    q.add_argument("draft")
    q.add_argument("old", type=_version_ref)
    q.add_argument("new", type=_version_ref)
    q.set_defaults(run=cmd_diff, no_catalog=True)
    q = d_sub.add_parser("restore", parents=parents, help="恢复某一版 / restore a version")
    q.add_argument("draft")
    q.add_argument("version", type=_version_ref)
    q.set_defaults(run=cmd_restore, no_catalog=True)
    q = d_sub.add_parser(
        "unlock",
        parents=parents,
        help="接管编辑锁（先确认）/ take over a draft's edit lock (asks first)",
    )
    q.add_argument("draft")
    q.add_argument("--yes", action="store_true", help="不询问 / do not ask (scripts)")
    q.set_defaults(run=cmd_unlock, no_catalog=True)
    q = d_sub.add_parser(
        "confirm-repair",
        parents=parents,
        help="确认修复后的PDF与原件一致 / confirm a repaired PDF against its original",
    )
    q.add_argument("draft")
    q.add_argument("file", nargs="?", help="附件文件名（省略则列出待确认的）/ attachment file name")
    q.set_defaults(run=cmd_confirm_repair, no_catalog=True)
    q = d_sub.add_parser(
        "resolve",
        parents=parents,
        help="解决同步冲突 / settle a sync conflict (two copies saved apart)",
    )
    q.add_argument("draft")
    q.add_argument(
        "--keep",
        help="保留哪一份（shenbao draft history 中的版本，如 4-1a2b3c4d）/ which copy to keep "
        "(a version from `draft history`, e.g. 4-1a2b3c4d); without it both are merged when "
        "they changed different fields",
    )
    q.set_defaults(run=cmd_resolve, no_catalog=True)
    q = d_sub.add_parser("audit", parents=parents, help="审计记录 / who changed what, exports")
    q.add_argument("draft")
    q.set_defaults(run=cmd_audit, no_catalog=True)
    q = d_sub.add_parser("add", parents=parents, help="导入JSON草稿 / add a DRAFT.json")
    q.add_argument("file", type=Path)
    q.add_argument("--client", help="归属客户编号 / client id (default: by credit code or name)")
    q.add_argument(
        "--base",
        type=int,
        help="此文件是从第几版改的（默认按文件中的updated判断）/ the version this file was "
        "edited from (default: found from its 'updated' stamp); a newer version saved "
        "meanwhile is merged field by field, or the save is refused",
    )
    q.set_defaults(run=cmd_add, no_catalog=True)
    q = d_sub.add_parser("delete", parents=parents, help="删除（可恢复）/ soft delete")
    q.add_argument("draft")
    q.add_argument("--undo", action="store_true", help="恢复已删除的草稿 / undelete")
    q.set_defaults(run=cmd_delete, no_catalog=True)

    p = sub.add_parser("export", parents=parents, help="导出客户或草稿 / export a bundle")
    p.add_argument("--client", help="客户编号或前缀 / client id or prefix")
    p.add_argument("--draft", action="append", help="草稿编号（可重复）/ draft id (repeatable)")
    p.add_argument("--out", type=Path, required=True, help="导出文件 / bundle file to write")
    p.add_argument(
        "--plain",
        action="store_true",
        help="不设口令（任何人可读）/ no passphrase: anyone with the file can read it",
    )
    p.set_defaults(run=cmd_export, no_catalog=True)

    p = sub.add_parser("import", parents=parents, help="导入文件 / import a bundle")
    p.add_argument("bundle", type=Path)
    p.add_argument(
        "--passphrase",
        dest="ask_passphrase",
        action="store_true",
        help="询问导出文件口令 / ask for the bundle passphrase (or set SHENBAO_BUNDLE_PASSPHRASE)",
    )
    p.set_defaults(run=cmd_import, no_catalog=True)


# -- drafts named on the command line, for `check`, `match` and `demo` --------------------


@dataclass(frozen=True)
class NamedDraft:
    """A draft as a command names it: a JSON file, or a draft of the workspace."""

    label: Path  # the file, or `workspace:<id>` where a file path would be
    draft: Draft
    files: FileCheck  # how its attachment files are found (beside the file, or stored)
    stored: bool  # a workspace draft
    #: The workspace draft's newest version cannot be read (`draft` is then its last good
    #: version, or an empty draft): said, and not checked as if it were the draft.
    damaged: DraftDamagedError | None = None


def _label(draft_id: str) -> Path:
    return Path(f"workspace:{draft_id}")


def _stored_draft(ws: Workspace, draft_id: str, files: FileCheck) -> NamedDraft:
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace import DraftDamagedError, WorkspaceError

    try:
        return NamedDraft(_label(draft_id), ws.load_draft(draft_id), files, True)
    except DraftDamagedError as exc:
        good = Draft(id=draft_id)
        if exc.last_good is not None:
            with contextlib.suppress(WorkspaceError):
                good = ws.load_draft(draft_id, exc.last_good)
        return NamedDraft(_label(draft_id), good, files, True, exc)


def labelled_drafts(ws: Workspace, known: Sequence[NamedDraft] = ()) -> list[NamedDraft]:
    """Every draft of the workspace, oldest first, each read once (`known` ones are not
    read again); a damaged draft comes at its last good version, marked."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace.files import stored_in

    files = stored_in(ws)
    loaded = {n.draft.id: n for n in known if n.stored}
    return [
        loaded.get(info.id) or _stored_draft(ws, info.id, files) for info in reversed(ws.drafts())
    ]


def is_file_argument(arg: Path) -> bool:
    """A DRAFT argument names a file if it exists or looks like one; else a workspace draft."""
    return arg.is_file() or arg.suffix.lower() == ".json" or len(arg.parts) > 1


def _no_workspace(where: Path, ref: str) -> InputError:
    return InputError(
        f"{ref}: 文件不存在，{where} 也不是工作区 / file not found, and {where} is no "
        "workspace to look the draft up in (give --workspace DIR)"
    )


def workspace_drafts(
    args: list[Path], folder: Path | None
) -> tuple[list[NamedDraft | None], Workspace | None]:
    """Workspace drafts named by id or prefix, in argument order; None where an argument
    is a file (the caller reads it as a draft or a profile). Opens the workspace once, if
    at all, and resolves every id against one listing (linear in the number of ids)."""
    refs = [None if is_file_argument(a) else str(a) for a in args]
    if all(r is None for r in refs):
        return [None] * len(args), None
    where = folder if folder is not None else workspace_folder()
    if not (where / "workspace.json").is_file():
        raise _no_workspace(where, next(r for r in refs if r is not None))
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace.files import stored_in

    ws = open_workspace(where)
    files = stored_in(ws)
    ids = iter(ws.resolve_drafts([r for r in refs if r is not None]))
    result: list[NamedDraft | None] = [
        None if ref is None else _stored_draft(ws, next(ids), files) for ref in refs
    ]
    return result, ws


def named_drafts(
    args: list[Path], folder: Path | None, *, look_at_files: bool = True
) -> tuple[list[NamedDraft], Workspace | None]:
    """Every DRAFT argument read, a JSON file or a workspace draft; and the workspace, if
    one was opened. A JSON draft's PDFs are looked at for repairs they needed (recorded in
    a workspace draft when the file was added), unless files are not looked at."""
    found, ws = workspace_drafts(args, folder)
    named = []
    for path, hit in zip(args, found, strict=True):
        if hit is None:
            draft = load_draft(path)
            if look_at_files:
                note_repairs(draft, path.parent)
            hit = NamedDraft(path, draft, files_beside(path.parent), False)
        named.append(hit)
    return named, ws


def note_repairs(draft: Draft, base: Path) -> None:
    """Record on a JSON draft's attachments which PDFs needed repair to be read (those the
    file does not already say), so `check` reports them as the wizard does. A file whose
    bytes plainly vouch for it is not opened with qpdf (`plainly_intact`)."""
    for attachment in draft.attachments:
        if attachment.repair is not None:
            continue
        path = Path(attachment.file)
        path = path if path.is_absolute() else base / path
        if path.is_file() and not plainly_intact(path):
            # start-up: qpdf and Pillow load only for a file that may need repair
            from forms.package.attachments import pdf_repair

            repair = pdf_repair(path)
            if repair is not None:
                attachment.repair = AttachmentRepair(pages=repair.pages, declared=repair.declared)


def cmd_confirm_repair(args: argparse.Namespace, catalog: object) -> int:
    """The user compared a repaired PDF with its original: it is right (as on the
    attachments page). Without FILE, lists what awaits confirmation."""
    ws = open_workspace(folder_of(args))
    draft_id = _draft_id(ws, args.draft)
    draft = ws.load_draft(draft_id)
    waiting = [a for a in draft.attachments if a.repair is not None and not a.repair.confirmed]
    if args.file is None:
        for a in waiting:
            assert a.repair is not None
            print(f"{Path(a.file).name}: {a.repair.pages} / {a.repair.declared or '?'}")
        return EXIT_OK
    chosen = [a for a in waiting if Path(a.file).name == Path(args.file).name]
    if not chosen:
        raise InputError.of("workspace.nothing_to_confirm", draft=draft_id, file=args.file)
    for attachment in chosen:
        assert attachment.repair is not None
        attachment.repair.confirmed = True
    saved = ws.save_draft(draft)
    print(
        render(
            "workspace.repair_confirmed", {"file": args.file, "version": saved.version}, args.lang
        )
    )
    return EXIT_OK


def seed_demo(folder: Path, examples: Path) -> tuple[Workspace, int]:
    """Import the example drafts (and their attachment files, into encrypted blobs) into
    the workspace at `folder`, creating it if needed; drafts already there are left alone."""
    # start-up: cryptography and SQLite load only where a workspace opens
    from forms.workspace import DEMO_PASSPHRASE
    from forms.workspace.seed import add_examples

    if (folder / "workspace.json").is_file():
        ws = open_workspace(folder)
    else:
        ws = create_workspace(folder, "auto", demo=True)
        if ws.meta.key.demo:
            print(
                f"此电脑没有系统密钥环，演示工作区使用公开演示口令“{DEMO_PASSPHRASE}” / no OS "
                f"keyring: the demo workspace uses the public demo passphrase {DEMO_PASSPHRASE!r}",
                file=sys.stderr,
            )
    added = add_examples(ws, examples)
    return ws, added
