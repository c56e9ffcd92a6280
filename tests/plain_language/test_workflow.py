"""Publishing a de-x-ls page goes through the Prüfgruppe, which sees the checker."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import TaskState, Workflow, WorkflowPage
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from cms.plain_language.models import PlainLanguageReviewTask
from cms.plain_language.services import (
    REVIEW_GROUP,
    WORKFLOW_NAME,
    plain_language_workflow_ensure,
)

pytestmark = pytest.mark.django_db

PASSIVE = "Der Antrag wurde von dem Amt geprüft."


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("pruefer", password="pw")
    user.groups.add(Group.objects.get(name=REVIEW_GROUP))
    return user


def submit(page, writer):
    """What "Submit to Leichte Sprache" in the editor does."""
    page.title = PASSIVE
    revision = page.save_revision(user=writer)
    page.get_workflow().start(page, writer)
    return revision


def approve(client, page):
    task_state = page.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)
    )
    return client, url


def test_demo_set_up_puts_the_de_x_ls_tree_under_the_workflow(ls_chapter):
    workflow = ls_chapter.get_workflow()
    assert workflow is not None and workflow.name == WORKFLOW_NAME
    task = workflow.tasks.get().specific
    assert isinstance(task, PlainLanguageReviewTask)
    assert list(task.groups.values_list("name", flat=True)) == [REVIEW_GROUP]
    german = ls_chapter.get_translation(ls_chapter.locale.get_default())
    assert german.get_workflow().name != WORKFLOW_NAME
    # Idempotent: running the set-up again creates nothing new.
    out = io.StringIO()
    call_command("ensure_translator_roles", stdout=out)
    assert "workflow 'Leichte Sprache'" in out.getvalue()
    plain_language_workflow_ensure()
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    assert PlainLanguageReviewTask.objects.count() == 1
    assert WorkflowPage.objects.filter(workflow=workflow).count() == 1


def test_editor_offers_the_workflow_instead_of_a_plain_publish(
    admin_client, ls_chapter
):
    html = admin_client.get(f"/admin/pages/{ls_chapter.pk}/edit/").content.decode()
    assert "action-submit" in html
    assert WORKFLOW_NAME in html


def test_reviewer_sees_the_checker_result_before_approving(
    client, reviewer, admin_user, ls_chapter
):
    submit(ls_chapter, admin_user)
    client.force_login(reviewer)
    __, url = approve(client, ls_chapter)
    response = client.get(url)
    assert response.status_code == 200
    html = response.json()["html"]
    assert "Leichte Sprache: Prüfung" in html
    assert PASSIVE in html
    assert "Schreiben Sie aktiv" in html


def test_threshold_blocks_approval_with_a_clear_message(
    client, reviewer, admin_user, ls_chapter
):
    task = PlainLanguageReviewTask.objects.get()
    task.max_findings = 0
    task.save()
    revision = submit(ls_chapter, admin_user)
    client.force_login(reviewer)
    __, url = approve(client, ls_chapter)
    response = client.post(
        url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    html = response.json()["html"]
    assert "Freigabe nicht möglich" in html
    assert "Befunde der Prüfung: " in html
    assert "erlaubt sind höchstens 0" in html
    ls_chapter.refresh_from_db()
    assert ls_chapter.live_revision_id != revision.pk
    assert ls_chapter.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS

    # Without the threshold, the Prüfgruppe's approval publishes the page.
    task.max_findings = None
    task.save()
    client.post(url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
    ls_chapter.refresh_from_db()
    assert ls_chapter.live_revision_id == revision.pk
    assert ls_chapter.title == PASSIVE


def test_publish_in_the_page_editor_submits_to_the_pruefgruppe(
    admin_client, ls_chapter
):
    edit_url = f"/admin/pages/{ls_chapter.pk}/edit/"
    assert 'name="action-publish"' not in admin_client.get(edit_url).content.decode()
    live_before = ls_chapter.live_revision_id
    # A publish POST (an old tab, a script) is turned into a submission.
    data = nested_form_data(
        {
            "title": PASSIVE,
            "slug": ls_chapter.slug,
            "number": ls_chapter.number,
            "intro": rich_text("<p>Sie lernen Deutsch.</p>"),
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )
    response = admin_client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    ls_chapter.refresh_from_db()
    assert ls_chapter.live_revision_id == live_before
    assert ls_chapter.workflow_in_progress
    assert ls_chapter.get_latest_revision_as_object().title == PASSIVE


def test_publish_in_the_translation_editor_submits_to_the_pruefgruppe(
    admin_client, ls_chapter
):
    from wagtail_localize.models import Translation

    Translation.objects.filter(
        source__object_id=ls_chapter.translation_key, target_locale=ls_chapter.locale
    ).update(enabled=True)
    live_before = ls_chapter.live_revision_id
    response = admin_client.post(
        f"/admin/pages/{ls_chapter.pk}/edit/", {"action": "publish"}, follow=True
    )
    assert response.status_code == 200
    assert "an die Prüfgruppe Leichte Sprache geschickt" in response.content.decode()
    ls_chapter.refresh_from_db()
    assert ls_chapter.live_revision_id == live_before
    assert ls_chapter.workflow_in_progress


def test_the_editor_submits_to_review_and_the_dialog_says_approve(
    admin_client, client, reviewer, admin_user, ls_chapter
):
    html = admin_client.get(f"/admin/pages/{ls_chapter.pk}/edit/").content.decode()
    assert "Zur Prüfung einreichen" in html
    assert "Veröffentlichen in" not in html
    submit(ls_chapter, admin_user)
    client.force_login(reviewer)
    __, url = approve(client, ls_chapter)
    dialog = client.get(url).json()["html"]
    assert "Freigeben" in dialog
    assert "Mit Kommentar genehmigen" not in dialog
    # Scores with a German decimal comma, as in the panel and the command.
    assert re.search(r"Wörter pro Satz: \d+,\d", dialog)


def test_dashboard_lists_the_page_and_the_review_screen_asks_for_a_reason(
    client, reviewer, admin_user, ls_chapter
):
    submit(ls_chapter, admin_user)
    client.force_login(reviewer)
    dashboard = client.get("/admin/").content.decode()
    review_url = reverse("plain_language_review", args=[ls_chapter.pk])
    assert review_url in dashboard
    assert "Seiten zur Prüfung" in dashboard

    screen = client.get(review_url).content.decode()
    assert PASSIVE in screen and "Schreiben Sie aktiv" in screen
    assert "In Prüfung (Prüfgruppe Leichte Sprache)" in screen

    # "Änderungen anfordern" without any comment: refused, nothing changes.
    refused = client.post(review_url, {"action": "reject", "comment": ""})
    assert refused.status_code == 400
    assert "Schreiben Sie kurz, was sich ändern soll" in refused.content.decode()
    assert ls_chapter.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS

    # With a comment on a finding, the writer gets the page back with it.
    client.post(
        review_url,
        {"action": "reject", "comment": "", "finding-0": "Bitte kürzer."},
    )
    state = TaskState.objects.filter(
        workflow_state__base_content_type__isnull=False
    ).latest("started_at")
    assert state.status == TaskState.STATUS_REJECTED
    assert "Bitte kürzer." in state.get_comment()
    assert PASSIVE in state.get_comment()


def test_review_screen_keeps_the_threshold_and_the_typed_comments(
    client, reviewer, admin_user, ls_chapter
):
    task = PlainLanguageReviewTask.objects.get()
    task.max_findings = 0
    task.save()
    submit(ls_chapter, admin_user)
    client.force_login(reviewer)
    review_url = reverse("plain_language_review", args=[ls_chapter.pk])
    response = client.post(
        review_url, {"action": "approve", "finding-0": "Mein Hinweis bleibt."}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Freigabe nicht möglich" in html
    assert "Mein Hinweis bleibt." in html
    assert ls_chapter.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_someone_outside_the_pruefgruppe_gets_no_review_screen(
    client, django_user_model, admin_user, ls_chapter
):
    submit(ls_chapter, admin_user)
    outsider = django_user_model.objects.create_user("aussen", password="pw")
    client.force_login(outsider)
    url = reverse("plain_language_review", args=[ls_chapter.pk])
    assert client.get(url).status_code in {302, 403, 404}


def test_make_run_writes_notification_mail_to_var_mail(tmp_path):
    # The dev settings `make run` uses (the test settings build on them; pytest
    # swaps the backend for its outbox, so the dev one is used by name here).
    from django.core.mail import EmailMessage, get_connection

    from cms.settings import dev

    assert dev.EMAIL_BACKEND.endswith("filebased.EmailBackend")
    assert str(dev.EMAIL_FILE_PATH) == str(dev.VAR_DIR / "mail")
    connection = get_connection(dev.EMAIL_BACKEND, file_path=str(tmp_path))
    EmailMessage(
        "Zur Prüfung", "Eine Seite wartet.", to=["p@example.org"], connection=connection
    ).send()
    (mail,) = tmp_path.iterdir()
    assert "Eine Seite wartet." in mail.read_text(encoding="utf-8")
