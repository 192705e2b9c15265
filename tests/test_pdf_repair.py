"""PDFs that needed repair (issue 13, point 10): said on the attachments page, in `shenbao
check` and in the manifest, with the pages recovered, and an error until the user has
compared the file with its original. A page tree lost with the end of a file is rebuilt
from the pages that are there, as mainstream readers do (py-pdf sample-files 017)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pikepdf
import pypdf
import pytest

from desktop.cli.main import main
from forms.catalog.model import Catalog
from forms.draft.model import Attachment, AttachmentRepair, Draft
from forms.package.attachments import AttachmentError, inspect_file, read_pdf
from forms.package.build import build_package
from forms.package.model import PackageSettings
from tests.conftest import IN_WINDOW
from tests.pdf_factory import scan_pdf

#: py-pdf/sample-files 017-unreadable-meta-data (CC-BY-SA-4.0), when a copy is at hand.
SAMPLE_017 = os.environ.get("SHENBAO_SAMPLE_017", "")


def cut_scan(tmp_path: Path, pages: int = 8) -> Path:
    """An 8-page scan as many producers write it (pages in order, the page tree first),
    cut at about half its bytes, between two objects: a broken download."""
    source = scan_pdf(tmp_path / "whole.pdf", pages=pages, size=(620, 877))
    writer = pypdf.PdfWriter(clone_from=str(source))
    whole = tmp_path / "rewritten.pdf"
    writer.write(str(whole))
    data = whole.read_bytes()
    target = tmp_path / "download.pdf"
    starts = [m.start() for m in re.finditer(rb"(?<![0-9])\d+ 0 obj", data)]
    for cut in sorted(starts, key=lambda s: abs(s - len(data) // 2)):
        target.write_bytes(data[:cut])
        try:
            pdf, _ = read_pdf(target)
        except AttachmentError:
            continue
        with pdf:
            if len(pdf.pages) == pages // 2:
                return target
    raise AssertionError("no cut gives half the pages")


def lost_page_tree(path: Path, pages: int = 4, kept: int = 3) -> Path:
    """Like sample 017: a linearized-style file (its first object says it has `pages`
    pages) whose catalog comes first and whose page tree came last, cut off after the
    `kept`th page, so the page tree and the last pages are gone."""
    objects: list[bytes] = [
        b"<< /Linearized 1 /N %d >>" % pages,
        b"<< /Type /Catalog /Pages 3 0 R >>",
        b"",  # 3: the page tree, written last
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for n in range(pages):
        text = b"BT /F1 36 Tf 72 700 Td (Page %d) Tj ET" % (n + 1)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text))
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>" % content
        )
        kids.append(len(objects))
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        pages,
    )
    order = [1, 2, 4, *range(5, len(objects) + 1), 3]
    out = bytearray(b"%PDF-1.4\n")
    offsets: dict[int, int] = {}
    cut_at = None
    for number in order:
        if number == kids[kept - 1] + 1:
            cut_at = len(out)
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number - 1])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for number in range(1, len(objects) + 1):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 2 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    assert cut_at is not None
    path.write_bytes(bytes(out[:cut_at]))
    return path


def test_a_scan_cut_at_half_is_read_but_reported_as_repaired(tmp_path: Path) -> None:
    download = cut_scan(tmp_path)
    pdf, repair = read_pdf(download)
    with pdf:
        assert len(pdf.pages) == 4
    assert repair is not None and (repair.pages, repair.declared) == (4, 8)
    info = inspect_file(download)
    assert info.problem is None and info.repair == repair
    message = repair.text().render("en")
    assert "4 pages recovered of the 8" in message and "confirm" in message
    assert str(tmp_path) not in message


def test_a_sound_pdf_needs_no_repair(tmp_path: Path) -> None:
    pdf, repair = read_pdf(scan_pdf(tmp_path / "fine.pdf", pages=2))
    pdf.close()
    assert repair is None


def test_a_lost_page_tree_is_rebuilt_from_the_pages_found(tmp_path: Path) -> None:
    broken = lost_page_tree(tmp_path / "like-017.pdf")
    with pytest.raises(pikepdf.PdfError, match="pages tree"):
        pikepdf.open(broken)  # what qpdf alone makes of it
    pdf, repair = read_pdf(broken)
    with pdf:
        texts = [p.obj.Contents.read_bytes() for p in pdf.pages]
    assert [t.split(b"(")[1].split(b")")[0] for t in texts] == [b"Page 1", b"Page 2", b"Page 3"]
    assert repair is not None and (repair.pages, repair.declared) == (3, 4)


@pytest.mark.skipif(not Path(SAMPLE_017).is_file(), reason="set SHENBAO_SAMPLE_017 to the file")
def test_sample_017_of_py_pdf_sample_files_is_recovered() -> None:
    pdf, repair = read_pdf(Path(SAMPLE_017))
    with pdf:
        assert len(pdf.pages) == 3  # the page objects in the file; the fourth was cut off
    assert repair is not None and repair.declared == 4


def test_damaged_beyond_repair_names_no_path_and_cuts_no_word(tmp_path: Path) -> None:
    hopeless = tmp_path / "deep" / "folder" / "broken.pdf"
    hopeless.parent.mkdir(parents=True)
    hopeless.write_bytes(b"%PDF-1.4\n" + b"garbage " * 40)
    info = inspect_file(hopeless)
    assert info.problem is not None
    english = info.problem.message("en")
    assert str(tmp_path) not in english and "/tmp" not in english
    assert english.startswith("broken.pdf: ") and "…" not in english


def _draft_with(clean_draft: Draft, name: str, repair: AttachmentRepair | None) -> Draft:
    draft = clean_draft.model_copy(deep=True)
    draft.attachments = [a for a in draft.attachments if a.item != "audit_report"]
    draft.attachments.append(Attachment(item="audit_report", file=name, repair=repair))
    return draft


def test_the_package_carries_the_repair_into_problems_and_manifest(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    download = cut_scan(tmp_path)
    draft = _draft_with(clean_draft, download.name, None)
    result = build_package(
        draft,
        catalog,
        tmp_path / "out",
        base_dir=tmp_path,
        settings=PackageSettings(),
        on=IN_WINDOW,
    )
    assert not result.ok
    (problem,) = [p for p in result.problems if p.file == download.name]
    assert problem.severity == "error" and problem.text.params["pages"] == "4"
    manifest = json.loads(result.manifest_json.read_text("utf-8"))
    (recorded,) = [p for p in manifest["problems"] if p["file"] == download.name]
    assert recorded["code"] == "attachment.pdf_repaired_of"
    assert recorded["params"] == {"pages": "4", "declared": "8"}

    confirmed = _draft_with(
        clean_draft, download.name, AttachmentRepair(pages=4, declared=8, confirmed=True)
    )
    again = build_package(confirmed, catalog, tmp_path / "out2", base_dir=tmp_path, on=IN_WINDOW)
    (note,) = [p for p in again.problems if p.file == download.name]
    assert note.severity == "warning" and "confirmed" in note.message("en")


def test_check_reports_it_until_confirmed(
    tmp_path: Path, clean_draft: Draft, capsys: pytest.CaptureFixture[str]
) -> None:
    download = cut_scan(tmp_path)
    from tests.conftest import EXAMPLES

    draft = _draft_with(clean_draft, download.name, None)
    for attachment in draft.attachments:  # the example's other files, by absolute path
        if attachment.file != download.name:
            attachment.file = str((EXAMPLES / "drafts" / attachment.file).resolve())
    json_file = tmp_path / "draft.json"
    json_file.write_text(draft.model_dump_json(), encoding="utf-8")
    code = main(["check", str(json_file), "--date", "2025-09-10", "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1 and "needed repair: 4 pages recovered of the 8" in out
    draft.attachments[-1].repair = AttachmentRepair(pages=4, declared=8, confirmed=True)
    json_file.write_text(draft.model_dump_json(), encoding="utf-8")
    code = main(["check", str(json_file), "--date", "2025-09-10", "--lang", "en"])
    out = capsys.readouterr().out
    assert "needed repair" not in out and code == 0, out


def test_workspace_records_the_repair_and_confirm_repair_clears_it(
    tmp_path: Path,
    clean_draft: Draft,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from forms.workspace.files import store_file
    from tests.workspace_helpers import PASSPHRASE, fast_scrypt, new_workspace

    fast_scrypt(monkeypatch)
    monkeypatch.setenv("SHENBAO_PASSPHRASE", PASSPHRASE)
    ws = new_workspace(tmp_path / "ws")
    stored = store_file(ws, "audit_report", cut_scan(tmp_path))
    assert stored.repair == AttachmentRepair(pages=4, declared=8)
    draft = clean_draft.model_copy(deep=True)
    draft.attachments = [a for a in draft.attachments if a.item != "audit_report"] + [stored]
    ws.save_draft(draft)
    where = ("--workspace", str(ws.folder), "--lang", "en", "--date", "2025-09-10")
    main(["check", draft.id, *where])
    assert "needed repair" in capsys.readouterr().out
    assert main(["draft", "confirm-repair", draft.id, "download.pdf", *where]) == 0
    assert "confirmed download.pdf" in capsys.readouterr().out
    main(["check", draft.id, *where])
    assert "needed repair" not in capsys.readouterr().out
