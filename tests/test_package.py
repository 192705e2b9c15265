"""The upload package: size limit, page conservation, legibility floor, bad inputs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from forms.catalog.model import Catalog
from forms.draft.model import Attachment, Draft
from forms.package.attachments import AttachmentError, Kind, inspect_file, load_attachment, sniff
from forms.package.build import build_package
from forms.package.model import (
    PackageCancelled,
    PackageProgress,
    PackageResult,
    PackageSettings,
)
from forms.system.naming import part_name, safe_stem
from tests.conftest import IN_WINDOW
from tests.pdf_factory import jpeg_bytes, noisy_page, scan_pdf, text_pdf, text_scan_pdf

LIMIT = 400_000  # small, so test inputs stay small and fast


def _package(
    draft: Draft,
    catalog: Catalog,
    folder: Path,
    **settings: object,
) -> PackageResult:
    options: dict[str, object] = {"limit_bytes": LIMIT, "workers": 2}
    options.update(settings)
    return build_package(
        draft,
        catalog,
        folder / "out",
        base_dir=folder,
        settings=PackageSettings(**options),  # type: ignore[arg-type]
        on=IN_WINDOW,
    )


def _draft(clean_draft: Draft, files: list[tuple[str, str]]) -> Draft:
    clean_draft.attachments = [Attachment(item=item, file=name) for item, name in files]
    return clean_draft


def _pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def _assert_package_sound(result: PackageResult, limit: int = LIMIT) -> None:
    """What the portal and the user rely on, for any package."""
    assert result.parts
    for part in result.parts:
        size = part.path.stat().st_size
        assert size == part.size <= limit, part.path.name
        assert _pages(part.path) == part.pages
    manifest = json.loads(result.manifest_json.read_text(encoding="utf-8"))
    assert [p["file"].split("/")[-1] for p in manifest["parts"]] == [
        p.path.name for p in result.parts
    ]
    placed = [r for r in result.pages if r.file is not None]
    assert len(placed) == sum(p.pages for p in result.parts), "every output page has a source"
    by_file = {p.path.name: p.pages for p in result.parts}
    for record in placed:
        assert record.file is not None and record.page is not None
        assert 1 <= record.page <= by_file[record.file]
    assert result.checklist_pdf.is_file()


@pytest.mark.slow
def test_big_scan_is_split_and_recompressed_within_the_limit(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    scan_pdf(tmp_path / "report.pdf", pages=12, size=(2480, 3508), dpi=300)
    before = (tmp_path / "report.pdf").stat().st_size
    # Below what the 12 pages take as mixed raster content (about 25 kB a page), so
    # they must be split whatever the rung.
    limit = 200_000
    assert before > 3 * LIMIT
    draft = _draft(clean_draft, [("audit_report", "report.pdf")])
    result = _package(draft, catalog, tmp_path, limit_bytes=limit)
    _assert_package_sound(result, limit)
    report = [p for p in result.parts if p.item == "audit_report"]
    assert sum(p.pages for p in report) == 12
    assert result.lowest_scan_dpi is not None and result.lowest_scan_dpi >= 150 - 0.5
    assert len(report) > 1
    assert report[0].path.name.endswith(f"(1of{len(report)}).pdf")
    assert report[-1].path.name.endswith(f"({len(report)}of{len(report)}).pdf")
    records = [r for r in result.pages if r.item == "audit_report"]
    assert [r.source_page for r in records] == list(range(1, 13)), "in order, none lost"


@pytest.mark.slow
def test_text_scans_stay_sharp_jpegs_unless_a_mask_saves_files(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    """Use the budget: three text-scan pages (7.8 MB) fit one 5 MB file as 200-dpi
    JPEGs at q80, the most legible rung, so they are not turned into 1-bit masks; with
    a 400 kB limit only mixed raster content keeps them in one file, so they get it."""
    text_scan_pdf(tmp_path / "report.pdf", pages=3)
    draft = _draft(clean_draft, [("audit_report", "report.pdf")])
    roomy = _package(draft, catalog, tmp_path, limit_bytes=5_000_000)
    encodings = {r.encoding for r in roomy.pages if r.item == "audit_report"}
    assert encodings == {"jpeg 200dpi q80"}
    (tmp_path / "tight").mkdir()
    (tmp_path / "report.pdf").rename(tmp_path / "tight" / "report.pdf")
    tight = _package(draft, catalog, tmp_path / "tight", limit_bytes=LIMIT)
    _assert_package_sound(tight)
    report = [p for p in tight.pages if p.item == "audit_report"]
    assert len(report) == 3
    assert all((r.encoding or "").startswith("mrc 300dpi") for r in report), report
    assert len([p for p in tight.parts if p.item == "audit_report"]) == 1


def test_shared_font_is_counted_in_every_part(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    text_pdf(tmp_path / "plan.pdf", pages=40, lines=44)
    limit = 120_000
    draft = _draft(clean_draft, [("investment_plan", "plan.pdf")])
    result = _package(draft, catalog, tmp_path, limit_bytes=limit)
    _assert_package_sound(result, limit)
    plan = [p for p in result.parts if p.item == "investment_plan"]
    assert len(plan) >= 2
    for part in plan:
        with pikepdf.open(part.path) as pdf:
            fonts = {
                str(f.BaseFont)
                for page in pdf.pages
                for f in page.Resources.get("/Font", {}).values()
            }
            assert any("+" in name for name in fonts), "each part embeds its own font subset"
    assert sum(p.pages for p in plan) == 40


def test_born_digital_text_is_not_rasterised(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    text_pdf(tmp_path / "plan.pdf", pages=3)
    draft = _draft(clean_draft, [("investment_plan", "plan.pdf")])
    result = _package(draft, catalog, tmp_path)
    part = next(p for p in result.parts if p.item == "investment_plan")
    reader = PdfReader(part.path)
    assert "项目投资预算" in reader.pages[0].extract_text()
    assert not list(reader.pages[0].images)


@pytest.mark.slow
def test_one_page_too_big_at_the_floor_is_reported_not_dropped(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    # A 300-dpi colour page of pure noise: nothing keeps it under 60 kB at 150 dpi.
    noise = Image.merge("RGB", [Image.effect_noise((2480, 3508), 120) for _ in range(3)])
    (tmp_path / "photo.jpg").write_bytes(jpeg_bytes(noise, 95, dpi=300))
    draft = _draft(clean_draft, [("business_licence", "photo.jpg")])
    result = _package(draft, catalog, tmp_path, limit_bytes=100_000)
    assert not result.ok
    problem = next(p for p in result.problems if p.file == "photo.jpg")
    assert problem.page == 1 and "--min-dpi" in problem.message("en")
    assert (result.out_dir / "oversized").is_dir()
    record = next(r for r in result.pages if r.source == "photo.jpg")
    assert record.file is None
    assert all(p.path.stat().st_size <= 100_000 for p in result.parts)


def test_a_lower_floor_lets_the_page_fit(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    # A photograph (no paper, no ink: JPEG, not a text mask) too grainy for 110 kB at 150 dpi.
    page = Image.effect_noise((2480, 3508), 40)
    (tmp_path / "scan.jpg").write_bytes(jpeg_bytes(page, 95, dpi=300))
    draft = _draft(clean_draft, [("business_licence", "scan.jpg")])
    strict = _package(draft, catalog, tmp_path, limit_bytes=110_000)
    relaxed = _package(draft, catalog, tmp_path, limit_bytes=110_000, min_dpi=75)
    assert any(p.file == "scan.jpg" for p in strict.problems)
    assert not any(p.file == "scan.jpg" for p in relaxed.problems)
    assert relaxed.lowest_scan_dpi is not None and 75 - 0.5 <= relaxed.lowest_scan_dpi < 150


def test_unreadable_files_are_reported_and_the_rest_still_packaged(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    good = scan_pdf(tmp_path / "good.pdf", pages=2)
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(good) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good.read_bytes()[:300])
    (tmp_path / "notes.pdf").write_text("this is not a pdf", encoding="utf-8")
    draft = _draft(
        clean_draft,
        [
            ("audit_report", "locked.pdf"),
            ("audit_report", "truncated.pdf"),
            ("audit_report", "notes.pdf"),
            ("audit_report", "missing.pdf"),
            ("audit_report", "good.pdf"),
        ],
    )
    result = _package(draft, catalog, tmp_path)
    files = {p.file: p.message("zh") for p in result.problems}
    assert "密码" in files["locked.pdf"]
    assert "truncated.pdf" in files
    assert "不是PDF" in files["notes.pdf"]
    assert "不存在" in files["missing.pdf"]
    report = [p for p in result.parts if p.item == "audit_report"]
    assert sum(p.pages for p in report) == 2
    _assert_package_sound(result)


def test_empty_password_pdf_is_opened(tmp_path: Path) -> None:
    source = scan_pdf(tmp_path / "s.pdf", pages=1)
    target = tmp_path / "owner-only.pdf"
    with pikepdf.open(source) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(user="", owner="owner"))
    pdf, kind = load_attachment(target)
    with pdf:
        assert (kind, len(pdf.pages)) == (Kind.PDF, 1)


def test_damaged_xref_is_repaired(tmp_path: Path) -> None:
    source = scan_pdf(tmp_path / "s.pdf", pages=2)
    data = source.read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data.replace(b"startxref", b"startxreF"))
    pdf, _ = load_attachment(broken)
    with pdf:
        assert len(pdf.pages) == 2


def test_exif_rotated_photo_is_upright(tmp_path: Path) -> None:
    landscape = Image.new("RGB", (400, 200), "white")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes(landscape, orientation=6))  # camera held upright
    pdf, kind = load_attachment(photo)
    with pdf:
        page = pdf.pages[0]
        box = page.mediabox
        width, height = float(box[2]), float(box[3])
        rotate = int(page.obj.get("/Rotate", 0))
        shown = (height, width) if rotate in (90, 270) else (width, height)
        assert kind is Kind.JPEG
        assert shown[1] > shown[0], "shown portrait, as the photographer held it"
        image = next(iter(page.get_images(recursive=False).values()))
        assert image.read_raw_bytes() == photo.read_bytes(), "the JPEG is not re-encoded"


def test_multipage_tiff_becomes_pages(tmp_path: Path) -> None:
    frames = [Image.new("1", (850, 1100), 1) for _ in range(3)]
    tiff = tmp_path / "scan.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], dpi=(100, 100))
    info = inspect_file(tiff)
    assert (info.kind, info.pages, info.problem) == (Kind.TIFF, 3, None)


def test_file_kind_comes_from_content_not_extension(tmp_path: Path) -> None:
    fake = tmp_path / "licence.pdf"
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG")
    fake.write_bytes(buffer.getvalue())
    assert sniff(fake) is Kind.PNG
    assert inspect_file(fake).pages == 1


def test_docx_without_libreoffice_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_draft: Draft, catalog: Catalog
) -> None:
    from forms.documents.render import render_docx
    from forms.package import attachments

    document = render_docx(clean_draft, catalog, tmp_path / "plan.docx")
    assert sniff(document) is Kind.DOCX
    monkeypatch.setattr(attachments, "soffice", lambda: None)
    with pytest.raises(AttachmentError) as error:
        load_attachment(document)
    assert "PDF" in error.value.message("en")


@pytest.mark.skipif(
    __import__("forms.package.attachments", fromlist=["soffice"]).soffice() is None,
    reason="LibreOffice is not installed",
)
def test_docx_is_converted_with_libreoffice(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    from forms.documents.render import render_docx

    document = render_docx(clean_draft, catalog, tmp_path / "plan.docx")
    pdf, kind = load_attachment(document)
    with pdf:
        assert kind is Kind.DOCX and len(pdf.pages) >= 3


def test_order_names_and_bookmarks(tmp_path: Path, clean_draft: Draft, catalog: Catalog) -> None:
    scan_pdf(tmp_path / "a.pdf", pages=1)
    scan_pdf(tmp_path / "b.pdf", pages=2)
    draft = _draft(clean_draft, [("audit_report", "a.pdf"), ("business_licence", "b.pdf")])
    draft.attachments.append(Attachment(item="audit_report", file="b.pdf"))
    result = _package(draft, catalog, tmp_path, limit_bytes=5_000_000)
    names = [p.path.name for p in result.parts]
    assert names[0].startswith("01_项目申报书")
    assert names[1].startswith("02_信用承诺书")
    # Checklist order of the direction: the licence comes before the audit report.
    assert names.index("03_营业执照.pdf") < names.index("04_上年度财务审计报告.pdf")
    audit = next(p for p in result.parts if p.item == "audit_report")
    reader = PdfReader(audit.path)
    root = reader.outline[0]
    assert isinstance(root, dict) and str(root["/Title"]) == "上年度财务审计报告"
    children = reader.outline[1]
    assert isinstance(children, list)
    assert [str(c["/Title"]) for c in children if isinstance(c, dict)] == ["a.pdf", "b.pdf"]
    assert audit.pages == 3


def test_stamp_puts_company_and_page_numbers_on_attachments(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    scan_pdf(tmp_path / "a.pdf", pages=2)
    draft = _draft(clean_draft, [("audit_report", "a.pdf")])
    result = _package(draft, catalog, tmp_path, stamp=True, limit_bytes=5_000_000)
    audit = next(p for p in result.parts if p.item == "audit_report")
    text = PdfReader(audit.path).pages[1].extract_text()
    assert "上海星语智创文化科技有限公司" in text and "第 2 页 共 2 页" in text


def test_cancel_leaves_no_files(tmp_path: Path, clean_draft: Draft, catalog: Catalog) -> None:
    scan_pdf(tmp_path / "a.pdf", pages=3)
    draft = _draft(clean_draft, [("audit_report", "a.pdf")])
    seen: list[PackageProgress] = []

    def cancel_after_render() -> bool:
        return any(p.stage == "load" for p in seen)

    with pytest.raises(PackageCancelled):
        build_package(
            draft,
            catalog,
            tmp_path / "out",
            base_dir=tmp_path,
            progress=seen.append,
            cancelled=cancel_after_render,
        )
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_rebuilding_replaces_the_old_package_but_never_other_files(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    draft = _draft(clean_draft, [])
    first = _package(draft, catalog, tmp_path)
    (first.out_dir / "upload" / "stale.pdf").write_bytes(b"%PDF-old")
    second = _package(draft, catalog, tmp_path)
    assert not (second.out_dir / "upload" / "stale.pdf").exists()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "thesis.docx").write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        build_package(draft, catalog, busy, base_dir=tmp_path)
    assert (busy / "thesis.docx").read_bytes() == b"mine"


def test_missing_required_items_are_listed(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    draft = _draft(clean_draft, [])
    result = _package(draft, catalog, tmp_path)
    assert "business_licence" in result.missing_items
    manifest = json.loads(result.manifest_json.read_text(encoding="utf-8"))
    assert "business_licence" in manifest["missing_items"]
    checklist = "".join(p.extract_text() for p in PdfReader(result.checklist_pdf).pages)
    assert "尚缺材料" in checklist and "营业执照" in checklist


def test_example_draft_packages_cleanly(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    from tests.conftest import EXAMPLES

    result = build_package(
        clean_draft, catalog, tmp_path / "pkg", base_dir=EXAMPLES / "drafts", on=IN_WINDOW
    )
    assert result.ok, [p.message("en") for p in result.problems]
    _assert_package_sound(result, 5_000_000)
    assert len(result.parts) == 2 + len(clean_draft.attachments)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("营业执照", "营业执照"),
        ('合同/发票:"2025"?', "合同_发票__2025__"),
        ("CON", "_CON"),
        ("报告. ", "报告"),
        ("", "_"),
    ],
)
def test_safe_file_names(title: str, expected: str) -> None:
    assert safe_stem(title) == expected


def test_part_names_number_the_parts() -> None:
    assert part_name(4, "上年度财务审计报告", 1, 3) == "04_上年度财务审计报告(1of3).pdf"
    assert part_name(4, "上年度财务审计报告", 1, 1) == "04_上年度财务审计报告.pdf"


def test_the_form_keeps_its_section_bookmarks(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    result = _package(_draft(clean_draft, []), catalog, tmp_path, limit_bytes=5_000_000)
    form = result.parts[0]
    outline = PdfReader(form.path).outline
    assert str(outline[0]["/Title"]) == "项目申报书"  # type: ignore[call-overload]
    sections = outline[1]
    assert isinstance(sections, list)
    titles = [str(s["/Title"]) for s in sections if isinstance(s, dict)]
    assert titles[0] == "一、申报单位基本情况" and "八、附件清单" in titles


@pytest.mark.slow
def test_every_part_starts_with_a_bookmark(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    scan_pdf(tmp_path / "report.pdf", pages=8, size=(2480, 3508), dpi=300)
    draft = _draft(clean_draft, [("audit_report", "report.pdf")])
    result = _package(draft, catalog, tmp_path, limit_bytes=120_000)
    parts = [p for p in result.parts if p.item == "audit_report"]
    assert len(parts) > 1
    for part in parts:
        reader = PdfReader(part.path)
        children = reader.outline[1]
        assert isinstance(children, list) and children
        first = children[0]
        assert isinstance(first, dict)
        assert reader.get_destination_page_number(first) == 0
        assert str(first["/Title"]).startswith("report.pdf")


def test_signed_pdf_passes_through_unchanged(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    signed = tmp_path / "signed.pdf"
    with pikepdf.open(scan_pdf(tmp_path / "s.pdf", pages=1)) as pdf:
        field = pdf.make_indirect(
            pikepdf.Dictionary(
                FT=pikepdf.Name.Sig, T="seal", V=pikepdf.Dictionary(Type=pikepdf.Name.Sig)
            )
        )
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field], SigFlags=3)
        pdf.save(signed)
    result = _package(
        _draft(clean_draft, [("business_licence", "signed.pdf")]),
        catalog,
        tmp_path,
        limit_bytes=5_000_000,
    )
    part = next(p for p in result.parts if p.item == "business_licence")
    assert part.path.read_bytes() == signed.read_bytes()
    assert any(p.file == "signed.pdf" and p.severity == "warning" for p in result.problems)


@pytest.mark.slow
def test_lossless_png_scans_are_recompressed_too(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    for n in range(3):
        noisy_page((2480, 3508), "L", seed=n).save(tmp_path / f"scan-{n}.png", dpi=(300, 300))
    files = [("audit_report", f"scan-{n}.png") for n in range(3)]
    before = sum((tmp_path / name).stat().st_size for _, name in files)
    assert before > LIMIT
    result = _package(_draft(clean_draft, files), catalog, tmp_path)
    _assert_package_sound(result)
    audit = [p for p in result.parts if p.item == "audit_report"]
    assert sum(p.pages for p in audit) == 3
    assert result.lowest_scan_dpi is not None and result.lowest_scan_dpi >= 150 - 0.5


def test_word_files_are_converted_in_a_private_folder_not_the_shared_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decrypted .docx and LibreOffice's output stay in shenbao's own 0700 scratch
    folder (issue 13: nothing decrypted in the shared temp folder), removed afterwards."""
    import subprocess
    import tempfile

    from forms.package import attachments
    from forms.system.scratch import scratch_root

    shared = tmp_path / "system-tmp"
    shared.mkdir()
    monkeypatch.setenv("TMPDIR", str(shared))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    seen: list[tuple[Path, int]] = []

    def office(argv: list[str], **_: object) -> subprocess.CompletedProcess[bytes]:
        out = Path(argv[argv.index("--outdir") + 1])
        seen.append((out, out.stat().st_mode & 0o777))
        source = Path(argv[-1])
        pdf = pikepdf.new()
        pdf.add_blank_page()
        pdf.save(out / f"{source.stem}.pdf")
        return subprocess.CompletedProcess(argv, 0, b"", b"")

    monkeypatch.setattr(attachments, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(subprocess, "run", office)
    word = tmp_path / "plan.docx"
    word.write_bytes(b"PK\x03\x04 not really a document")
    pdf = attachments.docx_to_pdf(word)
    assert len(pdf.pages) == 1
    ((folder, mode),) = seen
    assert folder.parent == scratch_root() and mode == 0o700
    assert not folder.exists()  # removed when the conversion ended
    assert list(shared.iterdir()) == []
