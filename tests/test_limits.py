"""The per-file upload limit: read from the catalog's data, never from code."""

from __future__ import annotations

from forms.catalog.model import Catalog
from forms.package.limits import LimitSource, upload_limit

CALL = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"
MEASURES = "sheitc-2025-489/m1/compute-rent-municipal"


def test_a_call_direction_takes_its_own_documents_limit(catalog: Catalog) -> None:
    limit = upload_limit(catalog, CALL)
    assert limit.bytes == catalog.policy("sheitc-ai-plus-2025").submission.max_file_bytes  # type: ignore[union-attr]
    assert limit.source is LimitSource.POLICY
    assert limit.words == "单个文件不超过5M" and "四、(二)" in limit.clause
    assert "单个文件不超过5M" in limit.describe() and "5,000,000" in limit.describe("en")


def test_a_document_without_upload_rules_takes_the_portals(catalog: Catalog) -> None:
    limit = upload_limit(catalog, MEASURES)
    assert limit.bytes == 5_000_000 and limit.source is LimitSource.PORTAL
    assert upload_limit(catalog, None).source is LimitSource.PORTAL


def test_the_catalog_value_is_the_one_used(catalog: Catalog) -> None:
    """Next year's call may say 10M: a changed catalog changes the limit, no code does."""
    policy = catalog.policy("sheitc-ai-plus-2025")
    assert policy.submission is not None
    submission = policy.submission.model_copy(update={"max_file_bytes": 10_000_000})
    changed = catalog.model_copy(
        update={
            "policies": tuple(
                p.model_copy(update={"submission": submission}) if p is policy else p
                for p in catalog.policies
            )
        }
    )
    changed.model_post_init(None)
    assert upload_limit(changed, CALL).bytes == 10_000_000


def test_an_override_wins_and_says_so(catalog: Catalog) -> None:
    limit = upload_limit(catalog, CALL, 5_242_880)
    assert (limit.bytes, limit.source) == (5_242_880, LimitSource.SETTINGS)
    assert "设置" in limit.describe()
