"""`plainly_intact`: `shenbao check FILE` skips qpdf only for files whose own
cross-reference table vouches for every object; everything else is read by qpdf, so a
broken download is never passed as sound (the same cases as tests/test_pdf_repair.py)."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from forms.package.attachments import pdf_repair
from forms.package.intact import plainly_intact
from tests.conftest import EXAMPLES
from tests.test_pdf_repair import cut_scan, lost_page_tree


def test_the_example_attachments_are_plainly_intact() -> None:
    files = sorted((EXAMPLES / "attachments").glob("*.pdf"))
    assert files
    for path in files:
        assert plainly_intact(path), path
        assert pdf_repair(path) is None  # and qpdf agrees


def test_a_cut_download_and_a_lost_page_tree_go_to_qpdf(tmp_path: Path) -> None:
    cut = cut_scan(tmp_path)
    lost = lost_page_tree(tmp_path / "lost.pdf")
    for path in (cut, lost):
        assert not plainly_intact(path)
        assert pdf_repair(path) is not None


def test_an_entry_pointing_elsewhere_goes_to_qpdf(tmp_path: Path) -> None:
    sound = EXAMPLES / "attachments" / "business-licence.pdf"
    data = sound.read_bytes()
    shifted = tmp_path / "shifted.pdf"
    shifted.write_bytes(data.replace(b"%PDF-1.", b"%PDF-1.\n%", 1))  # every object moves
    assert not plainly_intact(shifted)
    assert pdf_repair(shifted) is not None  # qpdf has to rebuild the table


def test_streams_updates_and_non_pdfs_are_left_to_qpdf(tmp_path: Path) -> None:
    source = EXAMPLES / "attachments" / "business-licence.pdf"
    with pikepdf.open(source) as pdf:
        pdf.save(tmp_path / "streams.pdf", object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert not plainly_intact(tmp_path / "streams.pdf")
    data = source.read_bytes()
    start = int(data.rsplit(b"startxref", 1)[1].split()[0])
    update = len(data)
    appended = data + (
        b"9 0 obj\n<< /Title (x) >>\nendobj\nxref\n9 1\n%010d 00000 n \n"
        b"trailer\n<< /Size 10 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (update, start, update + len(b"9 0 obj\n<< /Title (x) >>\nendobj\n"))
    )
    (tmp_path / "updated.pdf").write_bytes(appended)
    assert not plainly_intact(tmp_path / "updated.pdf")  # an incremental update
    (tmp_path / "not.pdf").write_bytes(b"GIF89a")
    assert not plainly_intact(tmp_path / "not.pdf")
    assert not plainly_intact(tmp_path / "missing.pdf")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert not plainly_intact(empty)
