"""Problems of the upload package and of the attachments it reads, one pair per code.

Each says what happened to which file and what to do; the package's manifest keeps the
code and parameters, the command line and the export page render them.
"""

from __future__ import annotations

PROBLEMS: dict[str, tuple[str, str]] = {
    # --- reading an attachment (forms.package.attachments) -----------------------------
    "attachment.not_found": ("文件不存在，请重新选择", "file not found; choose it again"),
    "attachment.not_a_file": ("不是文件", "not a file"),
    "attachment.empty": (
        "文件为空（0字节），请重新导出或扫描",
        "the file is empty; export or scan it again",
    ),
    "attachment.pdf_password": (
        "PDF设有打开密码，请用密码打开后“打印为PDF”另存一份无密码的文件再添加",
        "the PDF needs a password: open it, print it to a new PDF without one, and add that",
    ),
    "attachment.pdf_damaged": (
        "PDF已损坏且无法修复（{detail}），请向出具方重新获取或重新扫描",
        "the PDF is damaged beyond repair ({detail}); get a new copy or rescan it",
    ),
    "attachment.pdf_truncated": (
        "PDF不完整（第{page}页起内容缺失，文件可能被截断），请重新获取完整文件",
        "the PDF is incomplete (page {page} onwards has lost its content); it may be "
        "truncated: get the complete file",
    ),
    "attachment.pdf_no_pages": (
        "PDF中没有可读的页面（文件可能被截断），请重新获取完整文件",
        "the PDF has no readable page (it may be truncated): get the complete file",
    ),
    "attachment.image_unreadable": (
        "图片无法读取（{detail}；文件可能损坏或不完整），请重新拍摄或导出",
        "the image cannot be read ({detail}); take or export it again",
    ),
    "attachment.image_too_many_pixels": (
        "图片像素过多（{megapixels}百万像素，上限{limit}百万像素），请以较低分辨率重新扫描",
        "the image has too many pixels ({megapixels} megapixels, at most {limit}); rescan at a "
        "lower resolution",
    ),
    "attachment.word_needs_pdf": (
        "Word文件需先转换为PDF：请在Word中“另存为PDF”后添加（或安装LibreOffice以自动转换）",
        "Word files must be PDF: save it as PDF in Word and add that (or install LibreOffice "
        "to convert automatically)",
    ),
    "attachment.word_conversion_failed": (
        "LibreOffice无法转换该Word文件，请在Word中“另存为PDF”后添加",
        "LibreOffice could not convert it; save it as PDF in Word and add that",
    ),
    "attachment.unknown_kind": (
        "不是PDF、图片或Word文件（扩展名为“{suffix}”，但内容不符），请检查是否选错文件",
        "not a PDF, image or Word file whatever its extension ('{suffix}'); check you picked "
        "the right file",
    ),
    # --- a PDF that needed repair (forms.package.attachments.Repair) ---------------------
    "attachment.pdf_repaired": (
        "PDF已损坏，修复后读出{pages}页：请与原件核对页数和内容，确认无误后才能导出",
        "the PDF was damaged and needed repair; {pages} pages recovered: compare it with the "
        "original and confirm before export",
    ),
    "attachment.pdf_repaired_of": (
        "PDF已损坏（可能下载不完整），修复后只读出{pages}页，文件声明共{declared}页：请与原件核对，"
        "最好重新获取完整文件；确认无误后才能导出",
        "the PDF was damaged (an incomplete download?): {pages} pages recovered of the "
        "{declared} it declares: compare it with the original (better, get the complete "
        "file) and confirm before export",
    ),
    "attachment.pdf_repaired_confirmed": (
        "PDF曾需修复（读出{pages}页），已确认与原件一致",
        "the PDF needed repair ({pages} pages recovered); confirmed against the original",
    ),
    "attachment.damage.page_tree": ("页面目录缺失", "its list of pages is missing"),
    "attachment.damage.trailer": (
        "文件结尾缺失，可能下载不完整",
        "its end is missing: probably an incomplete download",
    ),
    "attachment.damage.xref": ("交叉引用表损坏", "its cross-reference table is damaged"),
    "attachment.damage.header": ("开头不像PDF", "it does not start like a PDF"),
    "attachment.damage.stream": ("内容数据被截断", "its content data is cut off"),
    # --- building the package (forms.package.build, output, verify) ---------------------
    "package.not_included": ("{reason}（未放入申报包）", "{reason} (not in the package)"),
    "package.required_missing": ("必需材料尚未添加", "required item has no file yet"),
    "package.signed_too_big": (
        "带数字签名/电子签章的文件超过大小上限，拆分或压缩会破坏签章：请向出具方索取较小的签章文件",
        "signed or e-sealed file over the limit; splitting or compressing would break the "
        "signature: ask the issuer for a smaller signed copy",
    ),
    "package.signed_passed_through": (
        "带数字签名，已原样放入，未压缩、未加页脚",
        "signed: passed through unchanged (not compressed, not stamped)",
    ),
    "package.page_oversized": (
        "该页在最低{dpi}dpi下仍超过{limit}字节，已放入oversized文件夹；可调低“扫描件最低分辨率”"
        "（导出页，或命令行 --min-dpi）后重新生成，或重新扫描该页",
        "this page exceeds {limit} bytes even at {dpi} dpi; it is in oversized/: lower the "
        "lowest scan resolution (on the export page, or --min-dpi) and export again, or "
        "rescan the page",
    ),
    "package.pages_not_recorded": (
        "页面记录{recorded}页，来源{expected}页",
        "{recorded} pages recorded for {expected} source pages",
    ),
    "package.part_over_limit": (
        "文件大小{size}字节，超过上限{limit}字节",
        "{size} bytes, over the {limit}-byte limit",
    ),
    "package.part_unreadable": (
        "生成的文件无法打开：{detail}",
        "the output does not open: {detail}",
    ),
    "package.part_warnings": ("打开时有警告：{detail}", "warnings on opening: {detail}"),
    "package.part_page_count": (
        "页数{count}与预期{expected}不符",
        "{count} pages, expected {expected}",
    ),
    "package.pages_not_conserved": (
        "输出共{written}页，来源共{expected}页",
        "{written} pages written for {expected} source pages",
    ),
    "package.docx_failed": (
        "可编辑的申报书（DOCX）未能生成：{detail}",
        "the editable form (DOCX) could not be written: {detail}",
    ),
}
