"""How hard a new passphrase is to guess, and the minimum a workspace passphrase must meet.

Whoever copies a workspace folder (a lost laptop, a synced folder, a shared drive) can try
passphrases against `workspace.json` on their own machines, as fast as their hardware
runs scrypt, with no lock-out. Length and character classes do not measure that
("Password123!" has both and falls in seconds), so the estimate comes from zxcvbn (Dropbox's
estimator, maintained as the `zxcvbn` package: dictionaries, keyboard patterns, dates,
l33t substitutions), and the minimum is stated in guesses: at least 10^12, about three
years at ten thousand scrypt guesses a second (zxcvbn's "offline, slow hash" attacker;
scrypt here costs 128 MiB and ~0.3 s per guess on one core).

The command line and the app's dialog both ask `check_new_passphrase`; the public demo
passphrase is not chosen by anyone and is exempt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from forms.text import Text
from forms.workspace.errors import WeakPassphraseError

#: Guesses (log10) a new passphrase must need at least.
MIN_GUESSES_LOG10 = 12
#: The attacker zxcvbn calls "offline, slow hashing": guesses per second.
OFFLINE_GUESSES_PER_SECOND = 10_000


@dataclass(frozen=True)
class Strength:
    guesses_log10: float
    score: int  # zxcvbn's 0-4
    warning: str  # zxcvbn's own hint (English), may be empty

    @property
    def acceptable(self) -> bool:
        return self.guesses_log10 >= MIN_GUESSES_LOG10

    @property
    def offline_days(self) -> float:
        """Days the offline attacker above needs to try that many guesses."""
        return 10**self.guesses_log10 / OFFLINE_GUESSES_PER_SECOND / 86_400


def estimate(passphrase: str, hints: tuple[str, ...] = ()) -> Strength:
    """zxcvbn's estimate; `hints` are words an attacker would try first (the company's
    name, the user's login)."""
    if not passphrase:
        return Strength(0.0, 0, "")
    from zxcvbn import zxcvbn  # the dictionaries load on first use

    # zxcvbn looks at the first 100 characters; a longer passphrase is not weaker.
    result = zxcvbn(passphrase[:100], user_inputs=[h for h in hints if h])
    guesses = float(result.get("guesses_log10", 0.0))
    if len(passphrase) > 100:
        guesses += (len(passphrase) - 100) * math.log10(2)
    feedback = result.get("feedback") or {}
    return Strength(guesses, int(result.get("score", 0)), str(feedback.get("warning") or ""))


def check_new_passphrase(passphrase: str, hints: tuple[str, ...] = ()) -> Strength:
    """The estimate, or `WeakPassphraseError` saying why (offline guessing) and what to do."""
    strength = estimate(passphrase, hints)
    if not strength.acceptable:
        advice = Text.of("workspace.passphrase_advice")
        raise WeakPassphraseError.of(
            "workspace.weak_passphrase",
            guesses=f"10^{strength.guesses_log10:.0f}",
            minimum=MIN_GUESSES_LOG10,
            advice=advice.render("zh"),
            advice_en=advice.render("en"),
        )
    return strength
