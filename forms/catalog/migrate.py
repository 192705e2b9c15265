"""Reading a catalog written in the previous schema (1) as the current one (2).

Schema 2 asks the data for what schema 1 left implicit: the qualifier of every rate and
amount (schema 1 was always shown as "最高") and the reasoning of every `support_ref`.
An older catalog still loads, so `shenbao catalog diff` can compare across the change and
a dropped-in update written before it keeps working; what it did not say is filled with
what schema 1 meant, and a migrated reasoning says it is one.
"""

from __future__ import annotations

from typing import Any

from forms.text import Text

#: Catalog schemas this build reads; the last is the current one.
SCHEMAS = (1, 2)


def migrate_policy(data: dict[str, Any], schema: int) -> dict[str, Any]:
    """A policy file's data in the current schema (aliased YAML nodes are shared and are
    filled once)."""
    if schema >= SCHEMAS[-1]:
        return data
    for measure in data.get("measures") or ():
        for direction in (measure or {}).get("directions") or ():
            support = (direction or {}).get("support")
            if isinstance(support, dict):
                _support_v1(support)
    return data


def _support_v1(support: dict[str, Any]) -> None:
    if support.get("rate_max_pct") is not None:
        support.setdefault("rate_bound", "up_to")
    if support.get("cap_cny") is not None:
        support.setdefault("cap_bound", "up_to")
    if support.get("support_ref") is not None and "inference" not in support:
        text = Text.of("catalog.migrated_reasoning")
        support["inference"] = {"reasoning": text.render("zh"), "reasoning_en": text.render("en")}
