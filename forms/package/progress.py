"""Progress and cancel for a package build, through the caller's callbacks."""

from __future__ import annotations

from collections.abc import Callable

from forms.package.model import PackageCancelled, PackageProgress


class Progress:
    def __init__(
        self,
        callback: Callable[[PackageProgress], None] | None,
        cancelled: Callable[[], bool] | None,
        total: int,
    ) -> None:
        self.callback = callback
        self.cancelled = cancelled
        self.total = max(total, 1)
        self.done = 0

    def step(self, stage: str, message: str, amount: int = 0) -> None:
        if self.cancelled is not None and self.cancelled():
            raise PackageCancelled
        self.done = min(self.total, self.done + amount)
        if self.callback is not None:
            self.callback(PackageProgress(self.done, self.total, stage, message))
