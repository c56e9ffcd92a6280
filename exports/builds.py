"""The lifecycle of a channel that makes one file per locale from the content tree.

A channel built on ``exports.file_channel.FileChannel`` only says how a locale's
tree becomes bytes (``build(tree)``); this module owes, coalesces, claims, builds,
publishes (``exports.artifacts.artifact_publish``: content-addressed, atomic,
announced) and retries, with one generic ``ArtifactBuild`` row per channel and
locale. The life of a row::

    done/failed ──publish──► pending ──window over, claim──► running ──► done
                                ▲                               │
                                └──new request while running────┤
                     failed ◄──exception (backoff, retried)─────┘

Equal bytes are not published again (the artifact's sha256 decides), so a channel
whose output is deterministic never announces a file that did not change. A channel
whose inputs are cheaper to hash than its file is to make (print: Typst) builds in
two steps (``FileBuilding.build_plan``): when the inputs' hash equals the current
file's ``source_hash``, nothing is made at all. A failure leaves the last good file
current and shows its error in the admin overview.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from celery import signature
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as BrokerUnavailable

from cms.collector import collector_paused
from exports.artifacts import (
    artifact_current,
    artifact_file,
    artifact_publish,
    artifacts_current,
    artifacts_prune,
)
from exports.channels import (
    ArtifactFile,
    ExportChannel,
    ExportRefused,
    ExportSummary,
    Progress,
    channel_get,
    channels,
)
from exports.content import (
    HandbookTree,
    build_content_tree,
    content_locale_get,
    handbooks_source,
)
from exports.models import Artifact, ArtifactBuild

logger = logging.getLogger(__name__)

State = ArtifactBuild.State
Outcome = ArtifactBuild.Outcome

# Task names (exports/tasks.py); services enqueue by name.
ARTIFACT_BUILD_TASK = "exports.artifact_build"
ARTIFACT_SWEEP_TASK = "exports.artifact_builds_sweep"
# A build renders one locale of the whole handbook; the task limits stop a runaway
# build long before its lease ends (the hard limit and LEASE_MARGIN). These are the
# defaults; a channel whose builds take longer (audio) sets its own
# (``FileBuilding.build_time_limits``), and every build message carries them.
BUILD_SOFT_LIMIT = 300
BUILD_HARD_LIMIT = 360
LEASE_MARGIN = timedelta(seconds=60)
BACKOFF_BASE = timedelta(seconds=60)
BACKOFF_CAP = timedelta(hours=2)
# Failed builds in a row before they wait for the next publish or an editor.
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class PlannedFile:
    """A locale's file as a channel is about to build it.

    ``source_hash`` addresses everything the file is made of ("" when the channel
    has no such address); ``make`` makes the file (None: nothing to build).
    """

    source_hash: str
    make: Callable[[], ArtifactFile | None]


@dataclass(frozen=True)
class BuildTimeLimits:
    """How long one build of a channel may run, in seconds.

    At ``soft`` the build is interrupted (``SoftTimeLimitExceeded``: recorded as
    a failure and retried with backoff); at ``hard`` the worker's process is
    killed. The lease outlasts ``hard``, so no other worker takes over a build
    that may still be running.
    """

    soft: int = BUILD_SOFT_LIMIT
    hard: int = BUILD_HARD_LIMIT

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.hard) + LEASE_MARGIN


@dataclass(frozen=True)
class OverviewNote:
    """A line a channel adds under a locale's current file in the admin overview
    (print: its page count, how much of it is translated)."""

    text: str
    # The row's ``data-testid`` for this line.
    testid: str = ""
    # Shown as a warning (something an editor should look at before building).
    warning: bool = False


class FileBuilding(ExportChannel):
    """What the build lifecycle needs of a channel (``FileChannel`` provides it).

    Besides ``build(tree)``, a channel may override the optional hooks below; the
    defaults make the plain lifecycle.
    """

    # The admin menu entry and the heading of the overview page.
    menu_label: ClassVar[str | Promise] = ""
    # One sentence above the overview: what the file is.
    menu_help: ClassVar[str | Promise] = ""
    menu_icon: ClassVar[str] = "doc-full"
    # The overview's words for the file (print says "PDF").
    overview_file_heading: ClassVar[str | Promise] = gettext_lazy("Aktuelle Datei")
    overview_no_file: ClassVar[str | Promise] = gettext_lazy("noch keine Datei")
    overview_download: ClassVar[str | Promise] = gettext_lazy("Herunterladen")
    # The overview page's template (a channel's own extends the generic one).
    overview_template: ClassVar[str] = "exports/artifact_builds.html"

    def build_locales(self) -> tuple[str, ...]:
        """Locales that get a file."""
        return ()

    def build_delay(self) -> timedelta:
        """How long publishes are gathered before a build."""
        return timedelta(0)

    def build_keep(self) -> int:
        """Files kept per locale, the current one included."""
        return 3

    def hand_locales(self) -> tuple[str, ...]:
        """Locales an editor may build by hand (the admin's "build now", ``manage.py
        export``): ``build_locales`` unless the channel can make more (audio: every
        locale its voice speaks). The overview lists these."""
        return self.build_locales()

    def build_time_limits(self) -> BuildTimeLimits:
        """How long one build may run (a channel that reads a whole handbook
        aloud needs longer than one that lays it out)."""
        return BuildTimeLimits()

    def build_plan(self, tree: HandbookTree) -> PlannedFile:
        """``tree``'s file in two steps: the address of its inputs, then the making.

        A channel whose file is costly to make returns the hash of its inputs: a
        build whose hash equals the current file's ``source_hash`` makes nothing.
        """
        return PlannedFile(source_hash="", make=lambda: self.build(tree))

    def result_facts(self, artifact: Artifact) -> list[str]:
        """Facts of a built file for the command's line per locale ("12 pages")."""
        return []

    def overview_notes(self, artifact: Artifact) -> list[OverviewNote]:
        """Lines under the current file in the admin overview."""
        return []

    def rebuild_question(self, artifact: Artifact | None) -> str:
        """What an editor must confirm before "build now" ("" when nothing)."""
        return ""

    def build_facts(self, details: Mapping[str, Any]) -> list[str]:
        """Facts of what the last build did (``ArtifactFile.build_details``) for
        the command's line ("3 synthesized, 5 unchanged")."""
        return []

    def build_notes(self, details: Mapping[str, Any]) -> list[OverviewNote]:
        """Lines under the state of the last build in the admin overview, from
        what it did (``ArtifactFile.build_details``)."""
        return []

    def locale_label(self, locale_code: str) -> str:
        """What the overview says under a locale's name beside its code ("" for
        nothing; audio: its voice)."""
        return ""


def _building_channel(alias: str) -> FileBuilding:
    channel = channel_get(alias)
    if not isinstance(channel, FileBuilding):
        raise KeyError(f"the {alias!r} channel does not build files per locale")
    return channel


def building_channels() -> dict[str, FileBuilding]:
    """The configured channels that build one file per locale, by alias."""
    return {a: c for a, c in channels().items() if isinstance(c, FileBuilding)}


# --- Requesting (inside the publishing transaction) ---------------------------------


def artifact_builds_request(
    *, channel: str, locales: Sequence[str], delay: timedelta | None = None
) -> list[int]:
    """Owe every locale in ``locales`` a build, folding into one already waiting.

    The first request opens a window of ``delay`` (the channel's ``BUILD_DELAY``);
    later ones inside it only count. The broker is told after commit; if it is
    down, the sweep starts the builds. Returns the ids handed to the broker.
    """
    now = timezone.now()
    window = _building_channel(channel).build_delay() if delay is None else delay
    touched: list[tuple[int, datetime]] = []
    with transaction.atomic():
        for locale in locales:
            build, created = _row_locked(channel=channel, locale=locale, now=now)
            build.requested_at = now
            build.requests += 1
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
                # An editor's "now" overtakes a window or a retry backoff.
                build.not_before = now + window
                opens = True
            build.save()
            if opens:
                touched.append((build.pk, build.not_before))
        if touched:
            transaction.on_commit(
                lambda: artifact_builds_enqueue(channel=channel, builds=touched)
            )
    return [pk for pk, _not_before in touched]


def _row_locked(
    *, channel: str, locale: str, now: datetime
) -> tuple[ArtifactBuild, bool]:
    """The locale's build row, locked for this transaction; True if just created."""
    rows = ArtifactBuild.objects.select_for_update().filter(
        channel=channel, locale=locale
    )
    build = rows.first()
    if build is not None:
        return build, False
    try:
        with transaction.atomic():
            created = ArtifactBuild.objects.create(
                channel=channel,
                locale=locale,
                state=State.PENDING,
                requested_at=now,
                not_before=now,
                requests=0,
            )
            return created, True
    except IntegrityError:
        return rows.get(), False


def artifact_build_time_limits(channel: str) -> BuildTimeLimits:
    """How long a build of ``channel`` may run (the defaults for one that is no
    longer configured: its build fails and says so)."""
    building = building_channels().get(channel)
    return building.build_time_limits() if building else BuildTimeLimits()


def artifact_builds_enqueue(
    *, channel: str, builds: Sequence[tuple[int, datetime]]
) -> int:
    """Hand builds of ``channel`` to the broker, each to start when its window is
    over, with the channel's time limits (the worker applies a message's limits
    instead of the task's defaults).

    A broker that is down is logged, not raised: the rows stay pending and the
    sweep starts them. Publishing never fails because of a file channel.
    """
    sent = 0
    now = timezone.now()
    limits = artifact_build_time_limits(channel)
    try:
        for build_id, not_before in builds:
            countdown = max(0.0, (not_before - now).total_seconds())
            signature(ARTIFACT_BUILD_TASK, args=(build_id,)).apply_async(
                countdown=countdown,
                retry=False,
                soft_time_limit=limits.soft,
                time_limit=limits.hard,
            )
            sent += 1
    except (BrokerUnavailable, OSError) as exc:
        logger.warning(
            "Broker unavailable, %d file builds wait for the next sweep: %s",
            len(builds) - sent,
            exc,
        )
    return sent


# --- One build ------------------------------------------------------------------------


@dataclass
class ArtifactBuildResult:
    """What one build did (``skipped``: not due, or another worker has it)."""

    locale: str
    outcome: str
    artifact: Artifact | None = None
    seconds: float = 0.0
    error: str = ""
    # What the build did besides its file (``ArtifactFile.build_details``).
    details: Mapping[str, Any] = field(default_factory=dict)


def artifact_build_claim(*, build_id: int, force: bool = False) -> ArtifactBuild | None:
    """Take a due build for this worker (``force``: due or not), or None.

    One conditional UPDATE decides, so two workers never both get the row. The
    lease outlasts the channel's hard time limit.
    """
    channel = (
        ArtifactBuild.objects.filter(pk=build_id).values_list("channel", flat=True)
    ).first()
    if channel is None:
        return None
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
    lease = now + artifact_build_time_limits(channel).lease
    claimed = ArtifactBuild.objects.filter(claimable, pk=build_id).update(
        state=State.RUNNING, started_at=now, lease_expires_at=lease, requests=0
    )
    if not claimed:
        return None
    return ArtifactBuild.objects.filter(
        pk=build_id, state=State.RUNNING, lease_expires_at=lease
    ).first()


def artifact_build_run(*, build_id: int, force: bool = False) -> ArtifactBuildResult:
    """Claim build ``build_id``, build its locale's file and publish it."""
    build = artifact_build_claim(build_id=build_id, force=force)
    if build is None:
        locale = (
            ArtifactBuild.objects.filter(pk=build_id).values_list("locale", flat=True)
        ).first()
        return ArtifactBuildResult(locale=locale or "?", outcome="skipped")
    clock = time.monotonic()
    try:
        return _build(build)
    except Exception as exc:
        seconds = time.monotonic() - clock
        error = f"{type(exc).__name__}: {exc}"
        logger.exception(
            "Build of %s [%s] failed; the last good file stays current",
            build.channel,
            build.locale,
        )
        _finish_failed(build, error=error, seconds=seconds)
        return ArtifactBuildResult(
            locale=build.locale, outcome=Outcome.FAILED, seconds=seconds, error=error
        )


def _build(build: ArtifactBuild) -> ArtifactBuildResult:
    clock = time.monotonic()
    channel = _building_channel(build.channel)
    handbook = next(iter(handbooks_source()), None)
    built = None
    source_hash = ""
    if handbook is not None:
        with collector_paused():  # a tree and what is laid out from it
            tree = build_content_tree(
                handbook=handbook,
                locale_code=build.locale,
                audience=channel.tree_audience(build.locale),
            )
            planned = channel.build_plan(tree)
        source_hash = planned.source_hash
        current = _current_with_source(build, source_hash=source_hash)
        if current is not None:
            seconds = time.monotonic() - clock
            with transaction.atomic():
                _finish_ok(build, outcome=Outcome.UNCHANGED, seconds=seconds)
            logger.info("%s [%s]: inputs unchanged", build.channel, build.locale)
            return ArtifactBuildResult(
                locale=build.locale,
                outcome=Outcome.UNCHANGED,
                artifact=current,
                seconds=seconds,
            )
        built = planned.make()
    seconds = time.monotonic() - clock
    if built is None:
        with transaction.atomic():
            _finish_ok(build, outcome=Outcome.EMPTY, seconds=seconds)
        return ArtifactBuildResult(
            locale=build.locale, outcome=Outcome.EMPTY, seconds=seconds
        )
    details = dict(built.build_details)
    with transaction.atomic():
        if not _lease_held(build):
            raise BuildTakenOver(
                f"the lease on {build.locale} ran out; another worker builds it"
            )
        published = artifact_publish(
            channel=build.channel,
            locale=build.locale,
            content=built.content,
            media_type=built.media_type,
            build_seconds=seconds,
            source_hash=source_hash,
            details=built.details,
            prune=False,
        )
        outcome = Outcome.BUILT if published.is_new else Outcome.UNCHANGED
        _finish_ok(build, outcome=outcome, seconds=seconds, details=details)
    artifacts_prune(
        channel=build.channel, locale=build.locale, keep=channel.build_keep()
    )
    logger.info(
        "%s [%s]: %s %s (%d bytes) in %.2f s",
        build.channel,
        build.locale,
        outcome,
        published.artifact.sha256[:12],
        published.artifact.size,
        seconds,
    )
    return ArtifactBuildResult(
        locale=build.locale,
        outcome=outcome,
        artifact=published.artifact,
        seconds=seconds,
        details=details,
    )


def _current_with_source(build: ArtifactBuild, *, source_hash: str) -> Artifact | None:
    """The locale's current file if it was made from ``source_hash`` and is there."""
    if not source_hash:
        return None
    current = artifact_current(channel=build.channel, locale=build.locale)
    if (
        current is not None
        and current.source_hash == source_hash
        and artifact_file(current).exists()
    ):
        return current
    return None


class BuildTakenOver(RuntimeError):
    """A build's lease ran out mid-build and another worker claimed it."""


def _mine(build: ArtifactBuild) -> Q:
    return Q(pk=build.pk, state=State.RUNNING, lease_expires_at=build.lease_expires_at)


def _lease_held(build: ArtifactBuild) -> bool:
    """Lock the build row; True while this worker's lease on it still stands."""
    mine = ArtifactBuild.objects.select_for_update().filter(_mine(build))
    return bool(list(mine.values_list("pk", flat=True)[:1]))


def _finish_ok(
    build: ArtifactBuild,
    *,
    outcome: str,
    seconds: float,
    details: Mapping[str, Any] | None = None,
) -> None:
    now = timezone.now()
    mine = ArtifactBuild.objects.filter(_mine(build))
    common = {
        "finished_at": now,
        "lease_expires_at": None,
        "attempts": 0,
        "last_outcome": outcome,
        "last_error": "",
        "last_seconds": seconds,
        "last_details": dict(details or {}),
    }
    # A request that arrived while this build ran may have changed the content.
    again = mine.filter(requested_at__gt=build.started_at).update(
        state=State.PENDING, not_before=now, **common
    )
    if again:
        transaction.on_commit(
            lambda: artifact_builds_enqueue(
                channel=build.channel, builds=[(build.pk, now)]
            )
        )
    else:
        mine.update(state=State.DONE, **common)


def _finish_failed(build: ArtifactBuild, *, error: str, seconds: float) -> None:
    now = timezone.now()
    attempts = build.attempts + 1
    ArtifactBuild.objects.filter(_mine(build)).update(
        state=State.FAILED,
        finished_at=now,
        lease_expires_at=None,
        attempts=attempts,
        not_before=now + backoff_delay(attempts),
        last_outcome=Outcome.FAILED,
        last_error=error[:5000],
        last_seconds=seconds,
        last_details={},
    )


def backoff_delay(failures: int) -> timedelta:
    """Full-jitter exponential backoff after the ``failures``-th failure in a row."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(max(failures - 1, 0), 20))
    low = BACKOFF_BASE.total_seconds() / 2
    return timedelta(seconds=random.uniform(low, max(low, ceiling.total_seconds())))


# --- Sweep (Celery beat, and when a worker starts) ----------------------------------


def artifact_builds_sweep(
    *, channel: str | None = None, ensure_missing: bool = False
) -> int:
    """Start every due build of ``channel`` (all file channels when None).

    ``ensure_missing`` also requests a build for every locale that has no file and
    no build yet (a fresh installation, a newly configured locale). Returns the
    builds handed to the broker.
    """
    building = building_channels()
    aliases = [channel] if channel is not None else list(building)
    if ensure_missing:
        for alias in aliases:
            have = set(
                ArtifactBuild.objects.filter(channel=alias).values_list(
                    "locale", flat=True
                )
            ) | set(artifacts_current(channel=alias).values_list("locale", flat=True))
            missing = [c for c in building[alias].build_locales() if c not in have]
            if missing:
                artifact_builds_request(
                    channel=alias, locales=missing, delay=timedelta(0)
                )
    now = timezone.now()
    due = ArtifactBuild.objects.filter(
        Q(state=State.PENDING, not_before__lte=now)
        | Q(state=State.FAILED, not_before__lte=now, attempts__lt=MAX_ATTEMPTS)
        | Q(state=State.RUNNING, lease_expires_at__lt=now),
        channel__in=aliases,
    ).values_list("channel", "pk")
    by_channel: dict[str, list[tuple[int, datetime]]] = {}
    for alias, pk in due:
        by_channel.setdefault(alias, []).append((pk, now))
    return sum(
        artifact_builds_enqueue(channel=alias, builds=builds)
        for alias, builds in by_channel.items()
    )


# --- Reads for the admin overview -----------------------------------------------------


@dataclass(frozen=True)
class ArtifactLocaleState:
    """One row of a file channel's admin page: a locale's file and its build."""

    locale: str
    name: str
    artifact: Artifact | None
    build: ArtifactBuild | None
    # The channel's lines under the current file (``FileBuilding.overview_notes``).
    notes: tuple[OverviewNote, ...] = ()
    # What "build now" asks to confirm ("" when nothing).
    question: str = ""
    # Built after every publish (not only by hand).
    automatic: bool = True
    # What the overview says under the locale's name (``locale_label``).
    label: str = ""
    # The channel's lines on what the last build did (``build_notes``).
    build_notes: tuple[OverviewNote, ...] = ()


def artifact_builds_overview(*, channel: str) -> list[ArtifactLocaleState]:
    """Every locale of ``channel`` with its current file and build row."""
    building = _building_channel(channel)
    names = {loc.code: loc.name for loc in settings.WEGWEISER_LOCALES}
    artifacts = {a.locale: a for a in artifacts_current(channel=channel)}
    builds = {b.locale: b for b in ArtifactBuild.objects.filter(channel=channel)}
    automatic = set(building.build_locales())
    rows = []
    for code in building.hand_locales():
        artifact = artifacts.get(code)
        build = builds.get(code)
        rows.append(
            ArtifactLocaleState(
                locale=code,
                name=str(names.get(code, code)),
                artifact=artifact,
                build=build,
                notes=tuple(building.overview_notes(artifact)) if artifact else (),
                question=building.rebuild_question(artifact),
                automatic=code in automatic,
                label=building.locale_label(code),
                build_notes=(
                    tuple(building.build_notes(build.last_details))
                    if build is not None and build.last_details
                    else ()
                ),
            )
        )
    return rows


# --- By hand (the admin's "rebuild now", `manage.py export <alias>`) -----------------


def artifact_build_now(*, channel: str, locale: str) -> int:
    """An editor asks for ``locale`` now: the build starts without a window."""
    ids = artifact_builds_request(channel=channel, locales=[locale], delay=timedelta(0))
    return ids[0] if ids else 0


@dataclass
class ArtifactExportSummary(ExportSummary):
    """A hand-run export of a file channel: one result per locale."""

    results: list[ArtifactBuildResult] = field(default_factory=list)

    def line(self) -> str:
        counts = {
            outcome: sum(1 for r in self.results if r.outcome == outcome)
            for outcome in ("built", "unchanged", "empty", "failed", "skipped")
        }
        totals = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
        return f"{self.channel}: {totals or 'nothing to build'}"


def artifact_result_text(
    result: ArtifactBuildResult, *, channel: FileBuilding | None = None
) -> str:
    """One line per locale for the command's output (with the channel's facts)."""
    if result.outcome == "failed":
        return f"{result.locale} failed ({result.error[:200]})"
    if result.outcome == "skipped":
        return f"{result.locale} skipped (another worker is building it)"
    artifact = result.artifact
    if artifact is None:
        return f"{result.locale} {result.outcome}"
    facts = [f"{artifact.size / 1024:.0f} KB"]
    if channel is not None:
        facts += channel.result_facts(artifact)
        facts += channel.build_facts(result.details) if result.details else []
    return (
        f"{result.locale} {result.outcome} ({', '.join(facts)}, {result.seconds:.2f} s)"
    )


def artifact_builds_export(
    *,
    channel: str,
    locales: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> ArtifactExportSummary:
    """Build the files of ``locales`` (every locale of the channel when None) here.

    Raises UnknownLocale for a locale that is not configured, and ExportRefused for
    one the channel makes no file for (``hand_locales``).
    """
    building = _building_channel(channel)
    configured = list(building.build_locales())
    codes = list(locales or configured or building.hand_locales())
    for code in codes:
        content_locale_get(code)  # UnknownLocale names the configured ones
        if code not in building.hand_locales():
            raise ExportRefused(
                f"locale {code!r} gets no file from {channel!r}; its LOCALES: "
                f"{', '.join(configured) or 'none'}"
            )
    summary = ArtifactExportSummary(channel=channel)
    if progress:
        progress(0, len(codes))
    for done, code in enumerate(codes, start=1):
        build_id = _row_due_now(channel=channel, locale=code)
        result = artifact_build_run(build_id=build_id, force=True)
        summary.results.append(result)
        summary.details.append(artifact_result_text(result, channel=building))
        if result.outcome == "failed":
            summary.failed += 1
        elif result.outcome == "skipped":
            summary.skipped += 1
        else:
            summary.done += 1
        if progress:
            progress(done, len(codes))
    return summary


def _row_due_now(*, channel: str, locale: str) -> int:
    """The locale's build row, pending and due, without telling the broker."""
    now = timezone.now()
    with transaction.atomic():
        build, _created = _row_locked(channel=channel, locale=locale, now=now)
        build.requested_at = now
        if build.state != State.RUNNING:
            build.state = State.PENDING
            build.not_before = now
            build.attempts = 0
        build.save()
    return build.pk
