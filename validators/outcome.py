"""One evaluated condition, threshold or status: met, not met, or unknown (data missing).

`check` turns an outcome into a finding for a draft; eligibility matching turns it into a
reason for a company profile; both cite the clause the same way (`cite`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from forms.catalog.model import Policy


@dataclass(frozen=True)
class Outcome:
    """Result of one condition or threshold: `met` is None when data is missing."""

    met: bool | None
    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    field: str = ""
    clause: str = ""  # set where the outcome knows its clause better than the caller


def cite(policy: Policy, clause: str) -> str:
    name = policy.doc_number or f"《{policy.title}》"
    return f"{name} {clause}".strip()
