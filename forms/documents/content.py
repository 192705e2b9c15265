"""The content model of shenbao's documents, before it becomes PDF or DOCX.

Both renderers draw the same `FormDocument` (the 申报书 of `forms.documents.form`, the
commitment letter, the package's checklist), so the PDF and the editable DOCX can never
disagree about a figure, and tests can compare the text a PDF yields with the text this
model holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: section (in the table of contents), 2: subsection


@dataclass(frozen=True)
class Para:
    text: str
    indent: bool = True  # first-line indent of two characters, as Chinese forms do


@dataclass(frozen=True)
class Fields:
    """Label/value rows drawn as a two-column grid."""

    rows: tuple[tuple[str, str], ...]
    #: Rows shenbao works out (an estimate): printed, not typed into the portal.
    derived: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    total: tuple[str, ...] | None = None
    #: Columns shenbao works out (a share, a verdict, the policy's words): printed, but
    #: nothing anyone types into the portal (see `forms.documents.portal`).
    derived: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Signature:
    """Seal and signature lines at the end of the commitment letter."""

    lines: tuple[str, ...]


Block = Heading | Para | Fields | Table | Bullets | Signature


@dataclass
class FormDocument:
    title: str
    subtitle: str
    cover: tuple[tuple[str, str], ...]
    sections: list[list[Block]] = field(default_factory=list)
    lang: str = "zh"
    footer: str = ""

    def blocks(self) -> Iterator[Block]:
        for section in self.sections:
            yield from section

    def texts(self) -> Iterator[str]:
        """Every string that will be printed (font coverage, extraction tests)."""
        yield self.title
        yield self.subtitle
        yield self.footer
        for label, value in self.cover:
            yield label
            yield value
        for block in self.blocks():
            if isinstance(block, Heading | Para):
                yield block.text
            elif isinstance(block, Fields):
                for label, value in block.rows:
                    yield label
                    yield value
            elif isinstance(block, Table):
                yield from block.header
                for row in block.rows:
                    yield from row
                if block.total:
                    yield from block.total
            elif isinstance(block, Bullets):
                yield from block.items
            else:
                yield from block.lines
