"""No company name, credit code or figure of a draft appears in clear anywhere on disk."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from forms.workspace import UseKeyring, Workspace, export_bundle
from tests.workspace_helpers import MemoryKeyring, example_draft, fast_scrypt, use_keyring

COMPANY = "上海绝密测试机器人科技有限公司"
CREDIT_CODE = "91310115MA1K4QWX7N"
REVENUE = "73918264"
SUPPORT = "4817263"
PROJECT = "秘密星辰多模态项目"
ATTACHMENT = b"CONFIDENTIAL-LEDGER-98127364"


def _forms(text: str) -> list[bytes]:
    """The ways a string may sit in a file: UTF-8, UTF-16 both orders, JSON-escaped."""
    escaped = json.dumps(text)[1:-1].encode("ascii")
    forms = [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be"), escaped]
    return list(dict.fromkeys(forms))


def test_nothing_readable_without_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast_scrypt(monkeypatch)
    cache = tmp_path / "cache"
    with use_keyring(MemoryKeyring()):
        ws = Workspace.create(tmp_path / "ws", UseKeyring(), cache_dir=cache)
        draft = example_draft()
        draft.company.name = COMPANY
        draft.company.credit_code = CREDIT_CODE
        draft.financials[0].revenue = Decimal(REVENUE)
        draft.project.requested_support = Decimal(SUPPORT)
        draft.project.name = PROJECT
        draft.title = PROJECT
        draft.id = "d-" + CREDIT_CODE  # even an id that gives the company away
        ledger = tmp_path / "ledger.pdf"
        ledger.write_bytes(ATTACHMENT * 10)
        ws.put_attachment(ledger)
        ws.save_draft(draft, author="tester")
        draft.project.summary = "第二版"
        ws.save_draft(draft, author="tester")
        ws.add_client(draft.to_profile())
        with ws.lock(draft.id):
            ws.drafts()  # fills the index
            ws.history(draft.id)
            export_bundle(ws, tmp_path / "out.shenbao", draft_ids=[draft.id], passphrase="pw")
        ws.restore(draft.id, 1)
        assert ws.index_file.is_file() and ws.index_file.is_relative_to(cache)

    needles = [COMPANY, CREDIT_CODE, REVENUE, SUPPORT, PROJECT, "绝密测试", ATTACHMENT.decode()]
    scanned = 0
    for root in (tmp_path / "ws", cache, tmp_path / "out.shenbao"):
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if not path.is_file():
                continue
            data = path.read_bytes()
            scanned += 1
            for needle in needles:
                for form in _forms(needle):
                    assert form not in data, f"{needle!r} in clear in {path}"
    assert scanned >= 8
    # The scan itself can fail: the plain draft file does contain them.
    plain = draft.model_dump_json().encode("utf-8")
    assert COMPANY.encode() in plain and REVENUE.encode() in plain
