"""Handing freed memory back to the system between package steps (forms.system.memory)."""

from __future__ import annotations

import platform
import sys

import pytest

from forms.system import memory


@pytest.fixture(autouse=True)
def _fresh_lookup() -> None:
    memory._trim.cache_clear()


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="malloc_trim is glibc's",
)
def test_free_memory_is_handed_back_on_glibc() -> None:
    assert memory.release_free_memory() is True


def test_elsewhere_it_does_nothing_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert memory.release_free_memory() is False
