"""`shenbao catalog diff OLD NEW [--workspace DIR]`: what changed between two catalog
versions, and which drafts of a workspace it touches."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from desktop.cli.workspace import labelled_drafts, open_workspace
from forms.catalog.diff import CatalogDiff, Change, diff_catalogs
from forms.catalog.source import load_catalog_at
from forms.draft.model import Draft
from forms.text import Language, Text


def cmd_catalog_diff(args: argparse.Namespace) -> int:
    old, new = load_catalog_at(args.old), load_catalog_at(args.new)
    result = diff_catalogs(old, new)
    drafts: list[Draft] | None = None
    if args.workspace is not None:
        drafts = [n.draft for n in labelled_drafts(open_workspace(args.workspace))]
    if args.json:
        print(json.dumps(diff_json(result, drafts), ensure_ascii=False, indent=2))
    else:
        print(diff_text(result, drafts, args.lang))
    return 0


def diff_text(result: CatalogDiff, drafts: list[Draft] | None, lang: Language) -> str:
    lines = [result.heading().render(lang)]
    lines += [f"  - {change.text().render(lang)}" for change in result.changes]
    if drafts is None:
        lines.append(Text.of("diff.no_workspace").render(lang))
        return "\n".join(lines)
    affected = result.affected(drafts)
    if not affected:
        lines.append(Text.of("diff.affected_none").render(lang))
        return "\n".join(lines)
    lines.append(Text.of("diff.affected_heading", count=len(affected)).render(lang))
    for draft, changes in affected:
        lines.append("  - " + affected_line(draft, changes, lang))
    return "\n".join(lines)


def affected_line(draft: Draft, changes: Sequence[Change], lang: Language) -> str:
    texts = [c.text().render(lang) for c in changes]
    name = draft.title or draft.project.name or draft.id
    sep = "；" if lang == "zh" else "; "
    params = {"draft": name, "direction": draft.direction or "—", "changes": sep.join(texts)}
    return Text.of("diff.affected_draft", **params).render(lang)


def diff_json(result: CatalogDiff, drafts: list[Draft] | None) -> dict[str, object]:
    out: dict[str, object] = {
        "old_version": result.old_version,
        "new_version": result.new_version,
        "changes": [c.as_json() for c in result.changes],
    }
    if drafts is not None:
        out["affected_drafts"] = [
            {
                "draft": d.id,
                "title": d.title,
                "direction": d.direction,
                "changes": [c.as_json() for c in changes],
            }
            for d, changes in result.affected(drafts)
        ]
    return out
