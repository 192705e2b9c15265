"""Which checklist item a file's name suggests ("营业执照.pdf", "audit-report-2025.pdf").

Adding several files at once should not need one dialog per item: each file goes to the
item its name names, among the items the direction asks for. A name that suggests none
(or the wrong kind of thing) is left to the user, never guessed at random.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Words in file names, per checklist item (lower case; Chinese and English).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "business_licence": ("营业执照", "执照", "licence", "license", "business licence"),
    "audit_report": ("审计报告", "审计", "audit", "财务报告", "financial statement"),
    "investment_plan": ("投资预算", "预算", "投资", "budget", "investment"),
    "user_evidence": ("用户数", "用户", "user", "users", "mau", "dau"),
    "revenue_evidence": ("营收", "收入", "营业收入", "revenue", "ledger", "income"),
    "sales_evidence": ("销售量", "销量", "销售", "sales", "copies"),
    "ip_evidence": (
        "著作权",
        "软著",
        "专利",
        "知识产权",
        "copyright",
        "copyrights",
        "patent",
        "patents",
    ),
    "game_licence": ("版号", "出版物号", "game licence", "isbn"),
    "availability_report": ("可用性", "性能测试", "压力测试", "availability", "load test", "sla"),
    "contracts_invoices": ("合同", "发票", "contract", "invoice"),
    "rd_spend_evidence": ("研发费用", "研发投入", "r&d", "rd spend"),
    "lease_contract": ("租赁", "租金", "lease", "lease contract", "rent"),
    "award_evidence": ("获奖", "入选", "证书", "award", "certificate"),
    "loan_contract": ("贷款", "付息", "loan", "interest"),
}


def _words(name: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name.lower())
    return " " + re.sub(r"[\s_\-.()（）\[\]]+", " ", stem).strip() + " "


def guess_item(name: str, items: Iterable[str]) -> str | None:
    """The item among `items` whose words the file name holds most of; None if none."""
    words = _words(name)
    best: tuple[int, str] | None = None
    for item in items:
        score = 0
        for keyword in KEYWORDS.get(item, ()):
            ascii_word = keyword.isascii()
            if (f" {keyword} " in words) if ascii_word else (keyword in words):
                score += len(keyword) * (1 if ascii_word else 3)  # a Chinese word says more
        if score and (best is None or score > best[0]):
            best = (score, item)
    return best[1] if best else None
