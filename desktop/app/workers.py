"""Long work off the GUI thread: a runnable job with typed progress and cancel.

Rendering, packaging, page counts and thumbnails run in Qt's global thread pool; the
window only receives signals (queued across threads, so slots run on the GUI thread).
A job's function gets a `Reporter` to publish progress and to ask whether the user
cancelled; raising `JobCancelled` (or returning after a cancel) ends it quietly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class JobCancelled(Exception):  # noqa: N818 (not an error: the user asked)
    """The user cancelled; whatever the job wrote has been removed."""


class JobSignals(QObject):
    """Signals of one job (emitted from the worker thread, delivered on the GUI thread).

    progress(int done, int total, str message): work done so far, of `total` steps.
    succeeded(object result): the function's return value.
    failed(str message): the function raised; the message is for the user.
    cancelled(): the job stopped because `cancel()` was called.
    finished(): always emitted last, whatever the outcome.
    """

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()


class Reporter:
    """What a job function sees of its job: progress out, cancellation in."""

    def __init__(self, signals: JobSignals, flag: threading.Event) -> None:
        self._signals = signals
        self._flag = flag

    def progress(self, done: int, total: int, message: str = "") -> None:
        self._signals.progress.emit(done, total, message)

    def cancelled(self) -> bool:
        return self._flag.is_set()


class Job(QRunnable):
    """Runs `work(reporter)` on a pool thread and reports through `signals`."""

    def __init__(self, work: Callable[[Reporter], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the owner keeps the Python object alive until finished
        self.signals = JobSignals()
        self._work = work
        self._flag = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._flag.set()

    @property
    def is_cancelled(self) -> bool:
        return self._flag.is_set()

    def run(self) -> None:
        reporter = Reporter(self.signals, self._flag)
        try:
            result = self._work(reporter)
        except JobCancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # a worker must report, never die silently
            self.signals.failed.emit(str(exc) or type(exc).__name__)
        else:
            if self._flag.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.succeeded.emit(result)
        finally:
            self.done.set()
            self.signals.finished.emit()


class JobRunner(QObject):
    """Starts jobs and keeps them alive until they finish (so none is collected early)."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._running: set[Job] = set()

    def start(self, job: Job) -> Job:
        self._running.add(job)
        job.signals.finished.connect(lambda: self._running.discard(job))
        self._pool.start(job)
        return job

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def cancel_all(self) -> None:
        for job in list(self._running):
            job.cancel()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every job of this runner has returned (for closing and tests)."""
        return all(job.done.wait(timeout_ms / 1000) for job in list(self._running))
