"""Worker threads for the image work of a package (decode, resample, encode)."""

from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from forms.package.recompress import ImageJob, ImageResult, Level, measure, recompress

IN_FLIGHT_BYTES = 48_000_000  # image data handed to workers at once (memory bound)


class ImagePool:
    """Worker threads for image work, started on first use. Threads, not processes:
    Pillow releases the GIL while it decodes, resamples and encodes, so both cores work,
    with no image bytes pickled between processes, no re-import of the caller's main
    module (spawn) and no fork of a process running Qt threads."""

    def __init__(self, workers: int | None) -> None:
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._executor: ThreadPoolExecutor | None = None

    def _run(self, function: Callable[[ImageJob], Any], jobs: Iterable[ImageJob]) -> Iterator[Any]:
        """Results in order, with at most two jobs per worker and `IN_FLIGHT_BYTES` of
        image data in flight: jobs carry the image bytes (decoded samples for non-JPEG
        scans), so a 60-page scan is never held in memory all at once. Jobs are made on
        the calling thread, which alone touches pikepdf (not thread-safe)."""
        if self.workers == 1:
            yield from map(function, jobs)
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="shenbao-image")
        pending: deque[tuple[Future[Any], int]] = deque()
        carried = 0
        for job in jobs:
            pending.append((self._executor.submit(function, job), len(job.data)))
            carried += len(job.data)
            while pending and (len(pending) >= 2 * self.workers or carried > IN_FLIGHT_BYTES):
                future, size = pending.popleft()
                carried -= size
                yield future.result()
        while pending:
            yield pending.popleft()[0].result()

    def map(self, jobs: Iterable[ImageJob]) -> Iterator[ImageResult]:
        return self._run(recompress, jobs)

    def measure(
        self, jobs: Iterable[ImageJob], levels: tuple[Level, ...]
    ) -> Iterator[list[ImageResult]]:
        return self._run(functools.partial(measure, levels=levels), jobs)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None
