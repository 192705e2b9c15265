"""The order of the package: which checklist items, in the order the portal lists them.

Also which items shenbao writes itself for a draft (`generated_items`): the catalog's
generated ones (the form, the commitment letter) and those it can draw from the draft's
own data when the user gives no file (the investment budget, from step 4's budget), and
the upload names each item will have (`planned_uploads`), which the form's 附件清单, the
"fill the portal" view and the package itself share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from forms.catalog.model import Catalog, ChecklistItem
from forms.draft.model import Attachment, Draft
from forms.system.naming import part_name

#: The form and the letter: generated in every package, whatever the checklist says.
ALWAYS = ("application_form", "credit_commitment")
#: Items shenbao can write from the draft when no file is attached for them (the user's
#: own file, when given, replaces the generated one).
FROM_DRAFT: dict[str, Callable[[Draft], bool]] = {
    "investment_plan": lambda draft: bool(draft.project.budget),
}


def generated_items(draft: Draft, catalog: Catalog) -> list[str]:
    """Ids of the items shenbao writes for `draft` (none of them needs a file)."""
    attached = {a.item for a in draft.attachments}
    found = list(ALWAYS)
    for item in catalog.checklist:
        if item.generated and item.id not in found:
            found.append(item.id)
    for item_id, possible in FROM_DRAFT.items():
        if item_id not in attached and possible(draft):
            found.append(item_id)
    return found


def items_in_order(draft: Draft, catalog: Catalog) -> tuple[list[ChecklistItem], list[str]]:
    """Checklist items in the order the portal lists them: the form, the commitment
    letter, then the direction's checklist, then anything else the draft attaches.
    Also the required items with no file (reported in the manifest)."""
    order: list[str] = ["application_form", "credit_commitment"]
    required: list[str] = []
    q = catalog.lookup(draft.direction)
    for ref in q.direction.checklist if q is not None else ():
        if ref.item not in order:
            order.append(ref.item)
        if ref.required:
            required.append(ref.item)
    for attachment in draft.attachments:
        if attachment.item not in order:
            order.append(attachment.item)
    items = []
    for item_id in order:
        try:
            items.append(catalog.checklist_item(item_id))
        except KeyError:
            items.append(ChecklistItem(id=item_id, title=item_id, title_en=item_id, basis=""))
    attached = {a.item for a in draft.attachments}
    generated = generated_items(draft, catalog)
    missing = [i for i in required if i not in attached and i not in generated]
    return items, missing


@dataclass(frozen=True)
class PlannedUpload:
    """One item of the package as it will be uploaded (before any split into parts)."""

    sequence: int
    item: ChecklistItem
    name: str  # the upload name, e.g. 03_营业执照.pdf
    generated: bool  # written by shenbao from the draft
    files: tuple[Attachment, ...]  # the user's files merged into it


def planned_uploads(draft: Draft, catalog: Catalog) -> list[PlannedUpload]:
    """The items that will be uploaded, in portal order, numbered as the package numbers
    them (a part split for size gets "(1of2)" after the same name)."""
    items, _ = items_in_order(draft, catalog)
    generated = set(generated_items(draft, catalog))
    uploads: list[PlannedUpload] = []
    for item in items:
        files = tuple(a for a in draft.attachments if a.item == item.id)
        made = item.id in generated
        if not files and not made:
            continue
        sequence = len(uploads) + 1
        uploads.append(
            PlannedUpload(sequence, item, part_name(sequence, item.title, 1, 1), made, files)
        )
    return uploads
