"""Regenerate the small demo attachments under examples/attachments/.

They stand in for a company's scans in the demo workspace: real, valid one- or
two-page PDFs written with the standard Helvetica font, so they need no CJK font.
Run: python examples/make_attachments.py
"""

from __future__ import annotations

from pathlib import Path

DOCUMENTS: dict[str, list[str]] = {
    "business-licence.pdf": ["Business licence (demo)", "Unified social credit code: see draft"],
    "audit-report-2025.pdf": [
        "Audit report 2025 (demo)",
        "Page 1 of 2",
        "Audit report 2025 (demo)",
        "Page 2 of 2",
    ],
    "investment-plan.pdf": ["Project investment budget (demo)"],
    "user-statistics.pdf": ["Consumer user statistics (demo)"],
    "revenue-ledger.pdf": ["Product revenue ledger (demo)"],
    "software-copyrights.pdf": ["Software copyright certificates (demo)"],
    "availability-report.pdf": ["Availability and load-test report (demo)"],
    "sales-report.pdf": ["Copies sold report (demo)"],
}


def pdf_bytes(lines: list[str]) -> bytes:
    """A minimal valid PDF: one page per pair of lines (title, subtitle)."""
    pages = [lines[i : i + 2] for i in range(0, len(lines), 2)]
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font_ref = 3 + 2 * len(pages)
    for index, page in enumerate(pages):
        text = " ".join(
            f"BT /F1 {20 if n == 0 else 12} Tf 72 {760 - 30 * n} Td ({line}) Tj ET"
            for n, line in enumerate(page)
        ).encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * index} 0 R "
            f"/Resources << /Font << /F1 {font_ref} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def main() -> None:
    folder = Path(__file__).resolve().parent / "attachments"
    folder.mkdir(exist_ok=True)
    for name, lines in DOCUMENTS.items():
        (folder / name).write_bytes(pdf_bytes(lines))


if __name__ == "__main__":
    main()
