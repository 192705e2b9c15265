"""Clients hold the company profile: a draft starts from it, company data edited in a draft
goes back to the client (and its other drafts, on request), clients are edited and deleted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from forms.draft.model import Company, Contact, Draft, Profile, YearFinancials
from forms.workspace import Passphrase, Workspace, WorkspaceError
from forms.workspace.clients import (
    carry_from_client,
    carry_to_client,
    company_differences,
    delete_client,
)
from tests.workspace_helpers import PASSPHRASE, ROOT, fast_scrypt, new_workspace


@pytest.fixture(autouse=True)
def _cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_scrypt(monkeypatch)


def _profile() -> Profile:
    return Profile(
        company=Company(
            name="上海星语智创文化科技有限公司",
            credit_code="91310104MA1FR6K2XF",
            registered_address="上海市徐汇区漕溪北路88号",
            district="徐汇区",
            legal_representative="林晓岚",
            contact=Contact(name="周明", phone="13816612345"),
            staff=86,
        ),
        financials=[YearFinancials(year=2024, revenue=38_600_000)],
    )


def test_a_new_draft_starts_from_its_clients_company_data(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    client = ws.add_client(_profile())
    draft = ws.new_draft_for(client.id)
    assert draft.company == _profile().company
    assert draft.financials == _profile().financials
    assert draft.direction is None and draft.title == "" and draft.project.name == ""
    ws.save_draft(draft, client_id=client.id)
    assert ws.record(draft.id).client_id == client.id


def test_company_data_goes_back_to_the_client_and_on_request_to_its_other_drafts(
    tmp_path: Path,
) -> None:
    ws = new_workspace(tmp_path / "ws")
    client = ws.add_client(_profile())
    first, second = ws.new_draft_for(client.id), ws.new_draft_for(client.id)
    for draft in (first, second):
        ws.save_draft(draft, client_id=client.id)
    first.company.registered_address = "上海市徐汇区漕溪北路99号"
    first.company.contact.email = "zhou@example.cn"
    ws.save_draft(first)
    assert company_differences(first, ws.client_profile(client.id)) == ["company"]

    alone = carry_to_client(ws, first, client.id)
    assert alone.updated == []
    assert ws.client_profile(client.id).company == first.company
    assert ws.load_draft(second.id).company.registered_address == "上海市徐汇区漕溪北路88号"

    both = carry_to_client(ws, first, client.id, other_drafts=True)
    assert both.updated == [second.id] and both.skipped == []
    assert ws.load_draft(second.id).company == first.company
    assert company_differences(ws.load_draft(second.id), ws.client_profile(client.id)) == []


def test_editing_a_client_can_update_its_drafts(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    client = ws.add_client(_profile())
    draft = ws.new_draft_for(client.id)
    ws.save_draft(draft, client_id=client.id)
    edited = _profile()
    edited.company.contact.phone = "021-12345678"
    ws.update_client(client.id, edited)
    result = carry_from_client(ws, client.id)
    assert result.updated == [draft.id]
    assert ws.load_draft(draft.id).company.contact.phone == "021-12345678"
    assert carry_from_client(ws, client.id).updated == []  # nothing left to change


def test_a_draft_open_elsewhere_is_skipped_and_named(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    client = ws.add_client(_profile())
    first, second = ws.new_draft_for(client.id), ws.new_draft_for(client.id)
    for draft in (first, second):
        ws.save_draft(draft, client_id=client.id)
    ws.close()
    with subprocess.Popen(
        [sys.executable, "-m", "tests.workspace_helpers", "holder", str(ws.folder), second.id],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        try:
            assert holder.stdout.readline().strip() == "locked"
            ws = Workspace.open(ws.folder, Passphrase(PASSPHRASE))
            first.company.contact.name = "王芳"
            result = carry_to_client(ws, first, client.id, other_drafts=True)
            assert result.updated == [] and [d for d, _ in result.skipped] == [second.id]
            assert ws.client_profile(client.id).company.contact.name == "王芳"
        finally:
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(10)


def test_deleting_a_client_with_drafts_needs_saying_so(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    client = ws.add_client(_profile())
    draft = ws.new_draft_for(client.id)
    ws.save_draft(draft, client_id=client.id)
    with pytest.raises(WorkspaceError) as refused:
        delete_client(ws, client.id)
    assert "1份草稿" in refused.value.message("zh") and "1 draft" in refused.value.message("en")
    assert [c.id for c in ws.clients()] == [client.id]

    assert delete_client(ws, client.id, with_drafts=True) == [draft.id]
    assert ws.clients() == [] and not ws.has_client(client.id)
    assert ws.drafts() == [] and ws.drafts(include_deleted=True)[0].deleted
    # Nothing is erased: the profile stays readable, and a later draft of the same
    # company lists the client again: a new version of the client of that credit code
    # (one client per code, issue 13), its deleted drafts staying deleted.
    assert ws.client_profile(client.id).company.name == _profile().company.name
    later = Draft(company=_profile().company)
    ws.save_draft(later)
    listed = ws.clients()
    assert [c.id for c in listed] == [client.id] and listed[0].versions == 3
    assert [d.id for d in ws.drafts(client.id)] == [later.id]


def test_an_empty_client_is_deleted_at_once(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    client = ws.add_client(_profile())
    assert delete_client(ws, client.id) == []
    assert ws.clients() == []
