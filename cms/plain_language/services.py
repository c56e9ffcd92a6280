"""Writes for Leichte Sprache: the Prüfgruppe workflow on the de-x-ls tree."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.locales import SIMPLE_LOCALE
from cms.plain_language.models import PlainLanguageReviewTask

REVIEW_GROUP = "Prüfgruppe Leichte Sprache"
REVIEW_TASK = "Prüfgruppe Leichte Sprache"
WORKFLOW_NAME = "Leichte Sprache"


@transaction.atomic
def plain_language_workflow_ensure() -> Workflow:
    """Create or complete the "Leichte Sprache" workflow (idempotent).

    One group "Prüfgruppe Leichte Sprache" (admin access), one review task for it,
    one workflow with that task, assigned to every de-x-ls handbook root, so every
    de-x-ls page is published through the Prüfgruppe. Settings an administrator
    changed (the task's threshold, extra groups) are left alone.
    """
    group, __ = Group.objects.get_or_create(name=REVIEW_GROUP)
    access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access is not None:
        group.permissions.add(access)
    task = PlainLanguageReviewTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        task = PlainLanguageReviewTask.objects.create(name=REVIEW_TASK)
        task.groups.add(group)
    workflow, __ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count()
        )
    for root in Page.objects.filter(depth=2, locale__language_code=SIMPLE_LOCALE):
        plain_language_workflow_assign(page=root, workflow=workflow)
    return workflow


def plain_language_workflow_assign(
    *, page: Page, workflow: Workflow | None = None
) -> bool:
    """Put the de-x-ls root ``page`` under the workflow; True when newly assigned.

    Also gives the Prüfgruppe the publish permission there: approving the last step
    publishes the page as the approving reviewer (editing stays with the writers).
    """
    if page.depth != 2 or page.locale.language_code != SIMPLE_LOCALE:
        return False
    workflow = workflow or Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        return False
    group = Group.objects.filter(name=REVIEW_GROUP).first()
    publish = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename="publish_page"
    ).first()
    if group is not None and publish is not None:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=publish
        )
    if WorkflowPage.objects.filter(page=page).exists():
        return False
    WorkflowPage.objects.create(page=page, workflow=workflow)
    return True
