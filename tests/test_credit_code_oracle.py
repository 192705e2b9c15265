"""shenbao's credit-code verdicts against python-stdnum's `cn.uscc` (a test-only oracle).

stdnum checks length, alphabet, that the first eight characters are digits, and the GB
32100 check character. shenbao checks the same and two things more, which are the only
documented differences:

* the organisation code in characters 9-17 has its own GB 11714 check digit
  (`CodeProblem.ORG_CHECK`): stdnum accepts a code whose organisation code is mistyped
  in a way the final check character happens to absorb;
* the first character is a registration authority of GB 32100 (1-9, A, N, Y): shenbao
  accepts the letters A, N and Y (and a letter as the second character, the entity type
  under those authorities), which stdnum refuses because it wants eight digits; and
  shenbao refuses 0, which no authority has, where stdnum accepts any digit.

Everything else (length, characters, region digits, check character) must agree on every
generated code.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc  # the oracle: python-stdnum, a dev (test-only) dependency

from validators.credit_code import (
    ALPHABET,
    AUTHORITIES,
    CodeProblem,
    check_character,
    complete_code,
    org_check_digit,
    read_credit_code,
)

#: Published codes (found online, as collected in python-stdnum's own tests): both accept all.
REAL = [
    "121200004013590816",
    "91110000600037341L",
    "91110000710926094P",
    "91120224064012553U",
    "911522010783710635",
    "91152201078371135X",
    "9115220107837757XE",
    "9115220107837941X1",
    "91310000631696382C",
    "91310000797046224D",
    "91310112087994932F",
    "913101127033980359",
    "91310115MA1K3BTP2B",
    "91310116052958608G",
    "9131012056010553X5",
    "91340600MA2PBM9HXD",
    "91420684MA4927PJ7B",
    "9144030071526726XG",
    "91620105L015101280",
    "91620105MA71T4YW8Q",
    "92340602MA2PBMEM24",
    "92340603MA2UK2QAXJ",
    "92340621MA2UK3PJXE",
    "92340621MA2PBKRXXG",
]

char = st.sampled_from(ALPHABET)
digit = st.sampled_from("0123456789")


@st.composite
def codes(draw: st.DrawFn) -> str:
    """18 characters of the code's alphabet, mostly with the check characters right (so
    the interesting cases, valid or nearly so, come up often), sometimes anything."""
    first = draw(st.sampled_from("0123456789ANY") | char)
    second = draw(digit | char)
    region = "".join(draw(st.lists(digit | char, min_size=6, max_size=6)))
    if draw(st.booleans()):
        region = "".join(draw(st.lists(digit, min_size=6, max_size=6)))
    org = "".join(draw(st.lists(char, min_size=8, max_size=8)))
    body = first + second + region + org
    how = draw(st.sampled_from(["both checks", "final check only", "random"]))
    if how == "both checks":
        return complete_code(body)
    if how == "final check only":
        body += draw(char)
        return body + check_character(body)
    return body + "".join(draw(st.lists(char, min_size=2, max_size=2)))


@pytest.mark.parametrize("code", REAL)
def test_real_codes_pass_both(code: str) -> None:
    assert uscc.is_valid(code)
    assert read_credit_code(code).valid


@settings(max_examples=3000, deadline=None)
@given(codes())
def test_verdicts_agree_with_stdnum_except_the_documented_differences(code: str) -> None:
    ours = read_credit_code(code)
    theirs = uscc.is_valid(code)
    # The check character is the same computation.
    assert (CodeProblem.CHECK_CHAR in ours.problems) == (code[17] != uscc.calc_check_digit(code))
    authority_letters = code[0] in "ANY" or not code[1].isdigit()
    if ours.valid and not theirs:
        assert authority_letters, (code, "stdnum wants eight digits first")
    if theirs and not ours.valid:
        assert set(ours.problems) <= {CodeProblem.ORG_CHECK, CodeProblem.AUTHORITY}, code
        if CodeProblem.ORG_CHECK in ours.problems:
            assert code[16] != org_check_digit(code[8:16])
        if CodeProblem.AUTHORITY in ours.problems:
            assert code[0] not in AUTHORITIES and code[0] == "0"
    if not authority_letters and code[0] in AUTHORITIES:
        # Same shape as stdnum expects: the verdicts differ only by the organisation code.
        assert ours.valid == (theirs and CodeProblem.ORG_CHECK not in ours.problems), code


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ -", max_size=22))
def test_anything_typed_gets_a_verdict_like_stdnums(text: str) -> None:
    """Free text (with the spaces people type, and letters the code never uses): never
    valid for one and malformed for the other, except by the documented differences."""
    ours = read_credit_code(text)
    theirs = uscc.is_valid(text.replace("-", ""))
    if "-" in text:
        return  # stdnum drops dashes; shenbao asks for the code as printed
    compact = "".join(text.split()).upper()
    if ours.valid and not theirs:
        assert compact[0] in "ANY" or not compact[1].isdigit()
    if theirs and not ours.valid:
        assert set(ours.problems) <= {CodeProblem.ORG_CHECK, CodeProblem.AUTHORITY}
