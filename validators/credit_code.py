"""统一社会信用代码 (GB 32100-2015) and the organisation code inside it (GB 11714).

The check character catches most typing errors; the region code (characters 3-8)
tells whether a company is registered in Shanghai (31xxxx), which several policies
require; the second character tells an enterprise from an individual business.

python-stdnum's `cn.uscc` is the oracle in the tests (tests/test_credit_code_oracle.py):
the verdicts agree on every generated code except where this module checks more (the
organisation code's own check digit; the registration authority, which may be A, N or Y
but not 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from forms.draft.model import normalise_credit_code

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
#: Registration authorities (first character): 机构编制, 外交, 司法行政, 文化, 民政, 旅游, 宗教,
#: 工会, 工商/市场监管, 中央军委改革和编制办公室, 农业, 其他.
AUTHORITIES = frozenset(["1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "N", "Y"])
SHANGHAI_PREFIX = "31"


class CodeProblem(StrEnum):
    EMPTY = "empty"
    LENGTH = "length"
    CHARACTERS = "characters"
    AUTHORITY = "authority"
    REGION = "region"
    ORG_CHECK = "org_check"
    CHECK_CHAR = "check_char"


@dataclass(frozen=True)
class CreditCode:
    """The result of reading a code: what is wrong with it and what it tells."""

    text: str
    problems: tuple[CodeProblem, ...] = field(default=())
    expected_check: str | None = None
    expected_org_check: str | None = None

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def region(self) -> str | None:
        """Six-digit administrative region of the registering authority."""
        region = self.text[2:8] if len(self.text) == 18 else ""
        return region if region.isdigit() else None

    @property
    def in_shanghai(self) -> bool | None:
        return None if not self.valid or self.region is None else self.region.startswith("31")

    @property
    def is_individual_business(self) -> bool:
        return self.text[:2] == "92"


def check_character(first17: str) -> str:
    """GB 32100-2015 check character for the first 17 characters."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_digit(body8: str) -> str:
    """GB 11714 check digit for the 8-character organisation code body."""
    total = 0
    for char, weight in zip(body8, ORG_WEIGHTS, strict=True):
        value = int(char) if char.isdigit() else ord(char) - ord("A") + 10
        total += value * weight
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


@lru_cache(maxsize=1024)  # matching reads the same code once per condition of 150 directions
def read_credit_code(raw: str) -> CreditCode:
    text = normalise_credit_code(raw)
    if not text:
        return CreditCode(text, (CodeProblem.EMPTY,))
    if len(text) != 18:
        return CreditCode(text, (CodeProblem.LENGTH,))
    if any(c not in ALPHABET for c in text):
        return CreditCode(text, (CodeProblem.CHARACTERS,))
    problems: list[CodeProblem] = []
    if text[0] not in AUTHORITIES:
        problems.append(CodeProblem.AUTHORITY)
    if not text[2:8].isdigit():
        problems.append(CodeProblem.REGION)
    body = text[8:16]
    expected_org: str | None = None
    if all(c.isdigit() or "A" <= c <= "Z" for c in body):
        expected_org = org_check_digit(body)
        if text[16] != expected_org:
            problems.append(CodeProblem.ORG_CHECK)
    else:
        problems.append(CodeProblem.ORG_CHECK)
    expected = check_character(text[:17])
    if text[17] != expected:
        problems.append(CodeProblem.CHECK_CHAR)
    return CreditCode(text, tuple(problems), expected, expected_org)


def complete_code(first16: str) -> str:
    """Append both check characters to 16 characters (for examples and tests)."""
    with_org = first16 + org_check_digit(first16[8:16])
    return with_org + check_character(with_org)
