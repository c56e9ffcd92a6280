"""Reads of the Prüfgruppe workflow: which revisions people of the target group
approved (Wagtail's workflow rows, read here so a channel never queries them).

A module of its own, not ``selectors``: the task model imports the checker's
selectors, so a selector that reads the task model would close a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable

from wagtail.models import TaskState

from cms.plain_language.models import PlainLanguageReviewTask


def revisions_approved_by_review(*, revision_ids: Iterable[int | None]) -> set[int]:
    """Of ``revision_ids``, those a Prüfgruppe approved: a ``PlainLanguageReviewTask``
    of a Wagtail workflow ended approved on that revision. One query (none for no
    revisions)."""
    ids = [i for i in revision_ids if i]
    if not ids:
        return set()
    return set(
        TaskState.objects.filter(
            status=TaskState.STATUS_APPROVED,
            revision_id__in=ids,
            task_id__in=PlainLanguageReviewTask.objects.values("pk"),
        ).values_list("revision_id", flat=True)
    )
