"""The package's manifest: `manifest.json` for programs and `checklist.pdf` for people.

Both list every output file with its size against the limit, every source page and
where it went (file, page), the items still missing and every problem, so a reviewer
or a consultant can prove nothing was dropped on the way to the portal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from forms.catalog.model import Catalog
from forms.documents.content import Block, FormDocument, Heading, Para, Table
from forms.documents.pdf import write_pdf
from forms.draft.model import Draft
from forms.system.atomic import write_text_atomic

if TYPE_CHECKING:
    from forms.package.model import PackageResult, PackageSettings, PageRecord

MANIFEST_FORMAT = "shenbao.package"
MANIFEST_VERSION = 1


def _ranges(records: list[PageRecord]) -> Iterator[tuple[str, str, str, str]]:
    """Consecutive pages of one source that went to consecutive pages of one file, as a
    single row: (source, its pages, file, file pages)."""
    run: list[PageRecord] = []

    def flush() -> tuple[str, str, str, str]:
        first, last = run[0], run[-1]
        src = f"{first.source_page}" if first is last else f"{first.source_page}–{last.source_page}"
        if first.file is None:
            return first.source, src, "（未放入：见问题）", "—"
        dst = f"{first.page}" if first is last else f"{first.page}–{last.page}"
        return first.source, src, first.file, dst

    for record in records:
        if run:
            prev = run[-1]
            continues = (
                record.source == prev.source
                and record.file == prev.file
                and record.source_page == prev.source_page + 1
                and (
                    record.file is None or (prev.page is not None and record.page == prev.page + 1)
                )
            )
            if not continues:
                yield flush()
                run = []
        run.append(record)
    if run:
        yield flush()


def manifest_data(result: PackageResult, draft: Draft, settings: PackageSettings) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "draft": draft.id,
        "company": draft.company.name,
        "direction": draft.direction,
        "limit_bytes": result.limit_bytes,
        "limit_source": result.limit.source.value,
        "limit_basis": result.limit.describe("zh"),
        "min_dpi": settings.min_dpi,
        "complete": result.ok,
        "parts": [
            {
                "file": f"{p.path.parent.name}/{p.path.name}",
                "size": p.size,
                "pages": p.pages,
                "item": p.item,
                "title": p.title,
                "part": p.part,
                "parts": p.parts,
                "sha256": p.sha256,
            }
            for p in result.parts
        ],
        "pages": [asdict(r) for r in result.pages],
        "missing_items": result.missing_items,
        "problems": [p.as_json() for p in result.problems],
    }


def checklist_document(result: PackageResult, draft: Draft, catalog: Catalog) -> FormDocument:
    blocks: list[Block] = [
        Heading("上传文件"),
        Para(
            f"共{len(result.parts)}个文件，每个不超过{result.limit.describe()}，请按序号顺序上传。",
            indent=False,
        ),
        Table(
            header=("序号", "文件名", "页数", "大小（字节）"),
            rows=tuple(
                (str(i), p.path.name, str(p.pages), f"{p.size:,}")
                for i, p in enumerate(result.parts, 1)
            ),
            widths=(0.5, 4, 0.6, 1.2),
            numeric=frozenset({2, 3}),
        ),
        Heading("页码对照"),
        Table(
            header=("来源文件", "来源页", "上传文件", "文件页"),
            rows=tuple(_ranges(result.pages)),
            widths=(2.3, 0.8, 3, 0.8),
        ),
    ]
    if result.missing_items:
        blocks += [Heading("尚缺材料")]
        blocks += [
            Para(f"· {catalog.checklist_item(i).title}", indent=False) for i in result.missing_items
        ]
    if result.problems:
        blocks += [Heading("问题")]
        blocks += [Para(f"· {p.message('zh')}", indent=False) for p in result.problems]
    return FormDocument(
        title=f"申报材料清单：{draft.company.name or draft.id}",
        subtitle="",
        cover=(),
        sections=[blocks],
        footer=draft.company.name,
    )


def write_manifest(
    result: PackageResult, draft: Draft, catalog: Catalog, settings: PackageSettings
) -> None:
    data = manifest_data(result, draft, settings)
    write_text_atomic(
        result.manifest_json, json.dumps(data, ensure_ascii=False, indent=2) + "\n", shared=True
    )
    write_pdf(checklist_document(result, draft, catalog), result.checklist_pdf, front_matter=False)
