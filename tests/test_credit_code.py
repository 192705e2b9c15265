"""统一社会信用代码: check character, organisation-code check digit, region."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validators.credit_code import ALPHABET, CodeProblem, complete_code, read_credit_code

VALID = [
    "91350100M000100Y43",  # the example printed in GB 32100-2015
    "91310104MA1FR6K2XF",  # examples/: Xuhui, Shanghai
    "91310114MA7B4N0C2M",  # examples/: Jiading, Shanghai
    "91330106MA2H3KD85D",  # examples/: Hangzhou
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code: str) -> None:
    result = read_credit_code(code)
    assert result.valid, result.problems


def test_input_is_normalised() -> None:
    assert read_credit_code(" 9131 0104ma1fr6k2xf ").valid


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("", CodeProblem.EMPTY),
        ("91310104MA1FR6K2X", CodeProblem.LENGTH),
        ("91310104MA1FR6K2XFF", CodeProblem.LENGTH),
        ("91310104MA1FR6K2XI", CodeProblem.CHARACTERS),  # I is never used
        ("91310104MA1FO6K2XF", CodeProblem.CHARACTERS),  # neither is O
        ("91310104MA1FR6K2XG", CodeProblem.CHECK_CHAR),
        ("91310104MA1FR6K3XF", CodeProblem.ORG_CHECK),
        ("B1310104MA1FR6K2XF", CodeProblem.AUTHORITY),
        ("913A0104MA1FR6K2XF", CodeProblem.REGION),
    ],
)
def test_invalid_codes_name_the_problem(code: str, problem: CodeProblem) -> None:
    assert problem in read_credit_code(code).problems


def test_expected_check_character_is_reported() -> None:
    result = read_credit_code("91310104MA1FR6K2XG")
    assert result.expected_check == "F"


@pytest.mark.parametrize(
    ("code", "shanghai"), [(VALID[1], True), (VALID[2], True), (VALID[3], False)]
)
def test_region(code: str, shanghai: bool) -> None:
    assert read_credit_code(code).in_shanghai is shanghai


def test_region_of_invalid_code_is_unknown() -> None:
    assert read_credit_code("91310104MA1FR6K2XG").in_shanghai is None


def test_authorities_a_n_y_are_accepted() -> None:
    for first in "ANY":
        code = complete_code(first + "1310104MA1FR6K2")
        assert read_credit_code(code).valid, code


body = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)
region = st.sampled_from(["310104", "310114", "310115", "330106", "110105"])


@given(region=region, body=body, position=st.integers(0, 17), replacement=st.sampled_from(ALPHABET))
def test_any_single_substitution_is_detected(
    region: str, body: str, position: int, replacement: str
) -> None:
    code = complete_code("91" + region + body)
    assert read_credit_code(code).valid
    if code[position] == replacement:
        return
    typo = code[:position] + replacement + code[position + 1 :]
    assert not read_credit_code(typo).valid


@given(region=region, body=body, position=st.integers(0, 16))
def test_adjacent_transpositions_are_detected(region: str, body: str, position: int) -> None:
    code = complete_code("91" + region + body)
    a, b = code[position], code[position + 1]
    if a == b:
        return
    swapped = code[:position] + b + a + code[position + 2 :]
    assert not read_credit_code(swapped).valid


@pytest.mark.parametrize(
    "typed",
    [
        "９１３１０１０４ＭＡ１ＦＲ６Ｋ２ＸＦ",  # full-width, as an IME types it
        "9131-0104-MA1F-R6K2-XF",
        "91310104 MA1FR6K2XF",
        "９１３１０１０４－ma1fr6k2xf",
        "913101\u3000\u200904MA1FR6K2XF",
    ],
)
def test_full_width_characters_hyphens_and_spaces_are_normalised(typed: str) -> None:
    from forms.draft.model import Company, normalise_credit_code

    assert normalise_credit_code(typed) == "91310104MA1FR6K2XF"
    assert read_credit_code(typed).valid
    assert Company(credit_code=typed).credit_code == "91310104MA1FR6K2XF"


def test_a_valid_code_from_outside_shanghai_is_a_warning_where_it_is_typed() -> None:
    from forms.catalog.model import Severity
    from validators.check import credit_code_notes, credit_code_rules

    beijing = complete_code("91110108MA01ABCD")
    assert list(credit_code_rules(beijing)) == []
    [note] = credit_code_notes(beijing)
    assert note.severity is Severity.WARNING and note.params["region"] == "110108"
    assert "不在上海市" in note.message("zh") and "not registered in Shanghai" in note.message("en")
    assert list(credit_code_notes("91310104MA1FR6K2XF")) == []
    assert list(credit_code_notes("91310104MA1FR6K2XG")) == []  # invalid: the rules speak
