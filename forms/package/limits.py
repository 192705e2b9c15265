"""How big each uploaded file may be: one answer, with where it comes from.

The chosen direction's policy states it ("单个文件不超过5M", read as 5,000,000 bytes); a
document that states no upload rules gets those of the portal's call (`upload_default` in
the catalog). A user, IT (machine settings) or `--limit` may override it explicitly, for a
portal that reads "5M" as 5,242,880 bytes; wherever the limit is used it is shown with
its source, so nobody wonders which of several numbers applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from forms.catalog.model import Catalog


class LimitSource(StrEnum):
    POLICY = "policy"  # the direction's own document
    PORTAL = "portal"  # the portal's call, for a document that states no rules
    SETTINGS = "settings"  # the user's or IT's settings (`package_limit_bytes`)
    OPTION = "option"  # given for this run (`shenbao package --limit`, a test)


@dataclass(frozen=True)
class UploadLimit:
    bytes: int
    source: LimitSource
    clause: str  # the policy and clause that state it; "" for an override
    words: str  # the source words ("单个文件不超过5M"); "" for an override

    def describe(self, lang: str = "zh") -> str:
        """The limit with its source, e.g. 5,000,000字节（沪经信…〔2025〕… 四、(二)1：单个文件不超过5M）."""
        if self.source in (LimitSource.POLICY, LimitSource.PORTAL):
            basis = (
                f"{self.clause}：{self.words}" if lang != "en" else f"{self.clause}: {self.words}"
            )
        elif self.source is LimitSource.SETTINGS:
            basis = "设置" if lang != "en" else "settings"
        else:
            basis = "本次指定" if lang != "en" else "given for this run"
        if lang == "en":
            return f"{self.bytes:,} bytes ({basis})"
        return f"{self.bytes:,}字节（{basis}）"


def upload_limit(
    catalog: Catalog,
    direction: str | None,
    override: int | None = None,
    source: LimitSource = LimitSource.SETTINGS,
) -> UploadLimit:
    """The per-file limit for a draft of `direction`; `override` (with its `source`) wins."""
    if override is not None:
        return UploadLimit(override, source, "", "")
    q = catalog.lookup(direction)
    policy, submission = catalog.submission_for(q)
    reading = next((r for r in submission.readings if "M" in r.words), None)
    words = reading.words if reading is not None else submission.words
    name = policy.doc_number or f"《{policy.title}》"
    own = q is not None and q.policy.id == policy.id
    return UploadLimit(
        submission.max_file_bytes,
        LimitSource.POLICY if own else LimitSource.PORTAL,
        f"{name} {submission.clause}",
        words,
    )
