"""The order of the package: which checklist items, in the order the portal lists them."""

from __future__ import annotations

from forms.catalog.model import Catalog, ChecklistItem
from forms.draft.model import Draft


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
    missing = [
        i
        for i in required
        if i not in attached and i not in ("application_form", "credit_commitment")
    ]
    return items, missing
