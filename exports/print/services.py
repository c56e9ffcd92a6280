"""Writes of the print channel: request, claim, build, store, announce, prune.

The life of a locale's build row::

    done/failed ──publish──► pending ──window over, claim──► running ──► done
                                ▲                               │
                                └──new request while running────┤
                     failed ◄──exception (backoff, retried)─────┘

A build renders only when the source hash differs from the current PDF's; the new
PDF is published through the core (``exports.artifacts.artifact_publish``): written
content-addressed and atomically, then the current row switches in the transaction
that checks this worker's lease, and every channel hears of it there (the website
announces it). A failure leaves the last good PDF current.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery import signature
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from exports.artifacts import (
    artifact_current,
    artifact_file,
    artifact_publish,
    artifacts_prune,
)
from exports.channels import ExportRefused, ExportSummary, Progress
from exports.content import content_locale_get
from exports.models import Artifact
from exports.print.data import print_coverage, print_source_hash
from exports.print.models import PrintBuild
from exports.print.options import print_options, print_options_all
from exports.print.render import print_build

logger = logging.getLogger(__name__)

State = PrintBuild.State
Outcome = PrintBuild.Outcome

# The build task's name (tasks.py); services enqueue by name, so queued messages of
# older releases still run and this module needs nothing of the task module.
PRINT_BUILD_TASK = "exports.print_build"
PDF = "application/pdf"
# A build renders the whole handbook (0.3–2 s with Typst, more for a big one); the
# task limits stop a runaway build long before the LEASE ends.
PRINT_SOFT_LIMIT = 300
PRINT_HARD_LIMIT = 360
# The task's hard time limit plus a margin: a build still ``running`` after this
# belongs to a worker that died, and the sweep hands it to another.
LEASE = timedelta(seconds=PRINT_HARD_LIMIT + 60)
# Failed builds are retried after a random wait up to min(CAP, BASE · 2ⁿ⁻¹) …
BACKOFF_BASE = timedelta(seconds=60)
BACKOFF_CAP = timedelta(hours=2)
# … this many times in a row; then they wait for the next publish or an editor.
MAX_ATTEMPTS = 8


# --- Requesting (inside the publishing transaction) ---------------------------------


def print_builds_request(
    *, channel: str, locales: Sequence[str], delay: timedelta | None = None
) -> list[int]:
    """Owe every locale in ``locales`` a build, folding into one already waiting.

    The first request opens a window of ``delay`` (``BUILD_DELAY``); later
    requests inside it only count. A request while a build runs sends the row back
    to pending when that build ends, so the newest content always gets built. The
    broker is told after commit; if it is down, the sweep starts the builds.
    Returns the ids of the builds handed to the broker.
    """
    now = timezone.now()
    window = print_options(channel).build_delay if delay is None else delay
    touched: list[tuple[int, datetime]] = []
    # Wagtail sends page_published outside a transaction; the row locks need one.
    with transaction.atomic():
        for locale in locales:
            build, created = _build_row_locked(channel=channel, locale=locale, now=now)
            build.requested_at = now
            build.requests += 1
            # Only a request that opens a window (or shortens one) needs a task;
            # the others fold into the task already waiting for the window's end.
            opens = created
            if created:
                build.not_before = now + window
            elif build.state in (State.DONE, State.FAILED):
                build.state = State.PENDING
                build.not_before = now + window
                build.attempts = 0
                build.requests = 1
                opens = True
            elif build.state == State.PENDING and build.not_before > now + window:
                # An editor's "now" (or a shorter window) overtakes a retry backoff.
                build.not_before = now + window
                opens = True
            build.save()
            if opens:
                touched.append((build.pk, build.not_before))
        if touched:
            transaction.on_commit(lambda: print_builds_enqueue(builds=touched))
    return [pk for pk, _not_before in touched]


def _build_row_locked(
    *, channel: str, locale: str, now: datetime
) -> tuple[PrintBuild, bool]:
    """The locale's build row, locked for this transaction; True if just created."""
    rows = PrintBuild.objects.select_for_update().filter(channel=channel, locale=locale)
    build = rows.first()
    if build is not None:
        return build, False
    try:
        with transaction.atomic():
            created = PrintBuild.objects.create(
                channel=channel,
                locale=locale,
                state=State.PENDING,
                requested_at=now,
                not_before=now,
                requests=0,
            )
            return created, True
    except IntegrityError:
        # Another transaction created it meanwhile; wait for its lock.
        return rows.get(), False


def print_builds_enqueue(*, builds: Sequence[tuple[int, datetime]]) -> int:
    """Hand builds to the broker, each to start when its window is over.

    A broker that is down is logged, not raised: the rows stay pending and the
    sweep starts them. Publishing never fails because of the print channel.
    """
    sent = 0
    now = timezone.now()
    try:
        for build_id, not_before in builds:
            countdown = max(0.0, (not_before - now).total_seconds())
            signature(PRINT_BUILD_TASK, args=(build_id,)).apply_async(
                countdown=countdown, retry=False
            )
            sent += 1
    except (BrokerUnavailable, OSError) as exc:
        logger.warning(
            "Broker unavailable, %d print builds wait in the database for the "
            "next sweep: %s",
            len(builds) - sent,
            exc,
        )
    return sent


# --- One build ------------------------------------------------------------------------


@dataclass
class PrintBuildResult:
    """What one build did (``skipped``: not due, or another worker has it)."""

    locale: str
    outcome: str
    artifact: Artifact | None = None
    seconds: float = 0.0
    error: str = ""


def print_build_claim(*, build_id: int, force: bool = False) -> PrintBuild | None:
    """Take a due build for this worker (``force``: due or not), or None.

    One conditional UPDATE decides: two workers never both get the row. A running
    build whose lease has run out (its worker died) can be taken over.
    """
    now = timezone.now()
    lost = Q(state=State.RUNNING, lease_expires_at__lt=now)
    if force:
        claimable = ~Q(state=State.RUNNING) | lost
    else:
        claimable = (
            Q(state=State.PENDING, not_before__lte=now)
            | Q(state=State.FAILED, not_before__lte=now, attempts__lt=MAX_ATTEMPTS)
            | lost
        )
    lease = now + LEASE
    claimed = PrintBuild.objects.filter(claimable, pk=build_id).update(
        state=State.RUNNING, started_at=now, lease_expires_at=lease, requests=0
    )
    if not claimed:
        return None
    return PrintBuild.objects.filter(
        pk=build_id, state=State.RUNNING, lease_expires_at=lease
    ).first()


def print_build_run(*, build_id: int, force: bool = False) -> PrintBuildResult:
    """Claim build ``build_id`` and build its locale's PDF if the source changed."""
    build = print_build_claim(build_id=build_id, force=force)
    if build is None:
        locale = (
            PrintBuild.objects.filter(pk=build_id).values_list("locale", flat=True)
        ).first()
        return PrintBuildResult(locale=locale or "?", outcome="skipped")
    clock = time.monotonic()
    try:
        result = _build(build)
    except Exception as exc:
        seconds = time.monotonic() - clock
        error = f"{type(exc).__name__}: {exc}"
        logger.exception(
            "Print build of %s [%s] failed; the last good PDF stays current",
            build.channel,
            build.locale,
        )
        _finish_failed(build, error=error, seconds=seconds)
        return PrintBuildResult(
            locale=build.locale, outcome=Outcome.FAILED, seconds=seconds, error=error
        )
    return result


def _build(build: PrintBuild) -> PrintBuildResult:
    clock = time.monotonic()
    options = print_options(build.channel)
    source = options.builder(build.locale)(build.locale)
    source_hash = print_source_hash(source)
    current = artifact_current(channel=build.channel, locale=build.locale)
    if (
        current is not None
        and current.source_hash == source_hash
        and artifact_file(current).exists()
    ):
        seconds = time.monotonic() - clock
        _finish_ok(build, outcome=Outcome.UNCHANGED, seconds=seconds)
        logger.info("Print %s [%s]: unchanged", build.channel, build.locale)
        return PrintBuildResult(
            locale=build.locale,
            outcome=Outcome.UNCHANGED,
            artifact=current,
            seconds=seconds,
        )
    rendered = print_build(source)
    seconds = time.monotonic() - clock
    with transaction.atomic():
        if not _lease_held(build):
            # This worker was too slow and another one took the build over: the
            # other one switches the PDF, this one leaves it alone.
            raise BuildTakenOver(
                f"the lease on {build.locale} ran out; another worker builds it"
            )
        published = artifact_publish(
            channel=build.channel,
            locale=build.locale,
            content=rendered.pdf,
            media_type=PDF,
            build_seconds=seconds,
            source_hash=source_hash,
            details={
                "pages": rendered.page_count,
                "filename": f"wegweiser-handbuch-{build.locale}.pdf",
                # Parts in the locale's own language (the rest falls back).
                "coverage": print_coverage(source.data),
            },
            prune=False,
        )
        outcome = Outcome.BUILT if published.is_new else Outcome.UNCHANGED
        _finish_ok(build, outcome=outcome, seconds=seconds)
    artifacts_prune(channel=build.channel, locale=build.locale, keep=options.keep)
    artifact = published.artifact
    logger.info(
        "Print %s [%s]: %s %s (%d bytes, %d pages) in %.2f s",
        build.channel,
        build.locale,
        outcome,
        artifact.sha256[:12],
        artifact.size,
        rendered.page_count,
        seconds,
    )
    return PrintBuildResult(
        locale=build.locale, outcome=outcome, artifact=artifact, seconds=seconds
    )


class BuildTakenOver(RuntimeError):
    """A build's lease ran out mid-build and another worker claimed it."""


def _lease_held(build: PrintBuild) -> bool:
    """Lock the build row; True while this worker's lease on it still stands."""
    mine = PrintBuild.objects.select_for_update().filter(
        pk=build.pk, state=State.RUNNING, lease_expires_at=build.lease_expires_at
    )
    return bool(list(mine.values_list("pk", flat=True)[:1]))


def _finish_ok(build: PrintBuild, *, outcome: str, seconds: float) -> None:
    now = timezone.now()
    mine = PrintBuild.objects.filter(
        pk=build.pk, state=State.RUNNING, lease_expires_at=build.lease_expires_at
    )
    common = {
        "finished_at": now,
        "lease_expires_at": None,
        "attempts": 0,
        "last_outcome": outcome,
        "last_error": "",
        "last_seconds": seconds,
    }
    # A request that arrived while this build ran may have changed the content.
    again = mine.filter(requested_at__gt=build.started_at).update(
        state=State.PENDING, not_before=now, **common
    )
    if again:
        transaction.on_commit(lambda: print_builds_enqueue(builds=[(build.pk, now)]))
    else:
        mine.update(state=State.DONE, **common)


def _finish_failed(build: PrintBuild, *, error: str, seconds: float) -> None:
    now = timezone.now()
    attempts = build.attempts + 1
    PrintBuild.objects.filter(
        pk=build.pk, state=State.RUNNING, lease_expires_at=build.lease_expires_at
    ).update(
        state=State.FAILED,
        finished_at=now,
        lease_expires_at=None,
        attempts=attempts,
        not_before=now + backoff_delay(attempts),
        last_outcome=Outcome.FAILED,
        last_error=error[:5000],
        last_seconds=seconds,
    )


def backoff_delay(failures: int) -> timedelta:
    """Full-jitter exponential backoff after the ``failures``-th failure in a row."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(max(failures - 1, 0), 20))
    low = BACKOFF_BASE.total_seconds() / 2
    return timedelta(seconds=random.uniform(low, max(low, ceiling.total_seconds())))


# --- Sweep (Celery beat, every 30 s, and when a worker starts) ----------------------


@dataclass(frozen=True)
class PrintSweepResult:
    requested: int
    enqueued: int


def print_builds_sweep(*, ensure_missing: bool = False) -> PrintSweepResult:
    """Start every due build: windows over, retries due, leases of dead workers.

    ``ensure_missing`` also requests a build for every print locale that has no PDF
    and no build yet (a fresh installation, a newly configured locale).
    """
    requested = 0
    if ensure_missing:
        for alias, options in print_options_all().items():
            have = set(
                PrintBuild.objects.filter(channel=alias).values_list(
                    "locale", flat=True
                )
            ) | set(
                Artifact.objects.filter(channel=alias, is_current=True).values_list(
                    "locale", flat=True
                )
            )
            missing = [code for code in options.locales if code not in have]
            if missing:
                with transaction.atomic():
                    requested += len(
                        print_builds_request(
                            channel=alias, locales=missing, delay=timedelta(0)
                        )
                    )
    now = timezone.now()
    due = PrintBuild.objects.filter(
        Q(state=State.PENDING, not_before__lte=now)
        | Q(state=State.FAILED, not_before__lte=now, attempts__lt=MAX_ATTEMPTS)
        | Q(state=State.RUNNING, lease_expires_at__lt=now)
    ).values_list("pk", flat=True)
    enqueued = print_builds_enqueue(builds=[(pk, now) for pk in due])
    return PrintSweepResult(requested=requested, enqueued=enqueued)


# --- By hand (the admin's "rebuild now", `manage.py export print`) -------------------


def print_build_now(*, channel: str, locale: str) -> int:
    """An editor asks for ``locale`` now: the build starts without a window."""
    with transaction.atomic():
        ids = print_builds_request(
            channel=channel, locales=[locale], delay=timedelta(0)
        )
    return ids[0] if ids else 0


@dataclass
class PrintExportSummary(ExportSummary):
    """A hand-run print export: one result per locale, summed up in one line."""

    results: list[PrintBuildResult] = field(default_factory=list)

    def line(self) -> str:
        parts = [_result_text(result) for result in self.results]
        counts = {
            outcome: sum(1 for r in self.results if r.outcome == outcome)
            for outcome in ("built", "unchanged", "failed", "skipped")
        }
        totals = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
        return f"{self.channel}: {'; '.join(parts) or 'nothing to build'} — {totals}"


def _result_text(result: PrintBuildResult) -> str:
    if result.outcome == "failed":
        return f"{result.locale} failed ({result.error[:120]})"
    if result.outcome == "skipped":
        return f"{result.locale} skipped (another worker is building it)"
    artifact = result.artifact
    if artifact is None:
        return f"{result.locale} {result.outcome}"
    return (
        f"{result.locale} {result.outcome} ({artifact.size / 1024:.0f} KB, "
        f"{artifact.details.get('pages', '?')} pages, {result.seconds:.2f} s)"
    )


def print_export(
    *,
    channel: str,
    locales: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> PrintExportSummary:
    """Build the PDFs of ``locales`` (every print locale when None) in this process.

    Raises UnknownLocale for a locale that is not configured, and ExportRefused for
    one that gets no PDF (not in the channel's ``LOCALES``).
    """
    configured = list(print_options(channel).locales)
    codes = list(locales or configured)
    for code in codes:
        content_locale_get(code)  # UnknownLocale names the configured ones
        if code not in configured:
            raise ExportRefused(
                f"locale {code!r} gets no PDF; LOCALES of {channel!r}: "
                f"{', '.join(configured) or 'none'}"
            )
    summary = PrintExportSummary(channel=channel)
    if progress:
        progress(0, len(codes))
    for done, code in enumerate(codes, start=1):
        build_id = _build_row_due_now(channel=channel, locale=code)
        result = print_build_run(build_id=build_id, force=True)
        summary.results.append(result)
        summary.details.append(_result_text(result))
        if result.outcome == "failed":
            summary.failed += 1
        elif result.outcome == "skipped":
            summary.skipped += 1
        else:
            summary.done += 1
        if progress:
            progress(done, len(codes))
    return summary


def _build_row_due_now(*, channel: str, locale: str) -> int:
    """The locale's build row, pending and due, without telling the broker."""
    now = timezone.now()
    with transaction.atomic():
        build, _created = _build_row_locked(channel=channel, locale=locale, now=now)
        build.requested_at = now
        if build.state != State.RUNNING:
            build.state = State.PENDING
            build.not_before = now
            build.attempts = 0
        build.save()
    return build.pk
