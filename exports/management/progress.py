"""A progress bar for the pipeline's commands (rich; off when not on a terminal)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from exports.channels import Progress as ProgressCallback


@contextmanager
def progress_bar(label: str, *, enabled: bool) -> Iterator[ProgressCallback]:
    """Yield a ``progress(done, total)`` callback that drives a bar named ``label``."""
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        disable=not enabled,
    ) as bar:
        task = bar.add_task(label, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield progress
