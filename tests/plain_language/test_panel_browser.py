"""A writer types in a de-x-ls page and sees the checker's finding; a reviewer of the
Prüfgruppe approves from the review screen (real chromium)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from wagtail.models import Locale, TaskState
from wagtail_localize.models import StringTranslation, Translation
from wagtail_localize.operations import TranslationCreator

from cms.plain_language.services import REVIEW_GROUP, plain_language_workflow_ensure
from tests.conftest import REPO, admin_browser_page
from tests.factories.pages import chapter_factory, handbook_factory

OUTPUT = REPO / "test-output"

pytestmark = pytest.mark.django_db(transaction=True)

SENTENCE = (
    "Der Antrag auf einen Platz im Sprachkurs wird von den Mitarbeiterinnen der "
    "Ausländerbehörde nach der Prüfung aller eingereichten Unterlagen genehmigt"
)


def _translated_chapter():
    handbook = handbook_factory(title="Handbuch Integration")
    chapter = chapter_factory(
        handbook,
        title="Sprachkurse",
        slug="sprachkurse",
        intro="<p>Im Kurs lernen Sie Deutsch.</p>",
    )
    ls = Locale.objects.get(language_code="de-x-ls")
    creator = TranslationCreator(user=None, target_locales=[ls])
    creator.create_translations(handbook)
    creator.create_translations(chapter)
    return chapter.get_translation(ls)


@pytest.fixture
def ls_page(wagtail_tree):
    """A chapter translated into de-x-ls and converted to manual editing.

    Transactional tests start from a flushed database (no demo handbook), so the
    page is made here.
    """
    page = _translated_chapter()
    Translation.objects.filter(target_locale=page.locale).update(enabled=False)
    return page


@pytest.fixture
def synced_ls_page(wagtail_tree):
    """A chapter in de-x-ls still synced: it opens in wagtail-localize's editor."""
    return _translated_chapter()


def _writer(django_user_model) -> None:
    django_user_model.objects.create_superuser(
        "schreiberin", "ls@example.org", "ein-langes-passwort"
    )


def test_typing_a_long_passive_sentence_shows_the_finding(
    browser, live_server, django_user_model, ls_page
):
    _writer(django_user_model)
    with admin_browser_page(browser, live_server, "schreiberin") as page:
        page.goto(f"{live_server.url}/admin/pages/{ls_page.pk}/edit/")
        panel = page.get_by_role("region", name="Leichte Sprache: Prüfung")
        panel.wait_for()
        findings = panel.locator("[aria-live=polite]")

        title = page.locator("#id_title")
        title.fill("")
        title.press_sequentially(SENTENCE + ".")
        typed = findings.locator("li[data-sentence]", has_text=SENTENCE)
        passive = typed.locator('[data-rule="passive"]')
        passive.wait_for()
        assert "Schreiben Sie aktiv" in passive.inner_text()
        assert typed.locator('[data-rule="sentence-length"]').count() == 1
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=OUTPUT / "plain-language-panel.png", full_page=True)

        # Rewritten in Leichte Sprache, the finding goes away.
        title.fill("")
        title.press_sequentially("Das Amt prüft Ihren Antrag.")
        typed.wait_for(state="detached")
        assert (
            findings.locator("li[data-sentence]", has_text="Das Amt prüft").count() == 0
        )


def test_typing_in_the_translation_editor_shows_the_finding_before_saving(
    browser, live_server, django_user_model, synced_ls_page
):
    plain_language_workflow_ensure()
    _writer(django_user_model)
    with admin_browser_page(browser, live_server, "schreiberin") as page:
        page.goto(f"{live_server.url}/admin/pages/{synced_ls_page.pk}/edit/")
        panel = page.get_by_role("region", name="Leichte Sprache: Prüfung")
        panel.wait_for()
        findings = panel.locator("[aria-live=polite]")

        segment = (
            page.locator(".js-translation-editor")
            .get_by_role("listitem")
            .filter(has_text="Im Kurs lernen Sie Deutsch.")
            .last
        )
        segment.get_by_role("button", name="Übersetzen").click()
        segment.locator("textarea").press_sequentially(SENTENCE + ".")

        typed = findings.locator("li[data-sentence]", has_text=SENTENCE)
        passive = typed.locator('[data-rule="passive"]')
        passive.wait_for()
        assert "Schreiben Sie aktiv" in passive.inner_text()
        # Nothing was saved: the finding comes from the open text area.
        assert segment.get_by_role("button", name="Speichern").is_visible()
        assert not StringTranslation.objects.filter(
            locale=synced_ls_page.locale, data__contains="Ausländerbehörde"
        ).exists()
        # The page goes through the Prüfgruppe: the editor's publish button says so.
        editor = page.locator(".js-translation-editor")
        expect(
            editor.get_by_role("button", name="Zur Prüfung einreichen")
        ).to_be_visible()
        assert editor.get_by_role("button", name="Veröffentlichen in").count() == 0


INTRO_SENTENCE = "Die Kurse wurden vom Amt bezahlt"


def test_a_finding_in_the_second_field_stays_in_view_and_marks_its_sentence(
    browser, live_server, django_user_model, ls_page
):
    _writer(django_user_model)
    with admin_browser_page(browser, live_server, "schreiberin") as page:
        page.goto(f"{live_server.url}/admin/pages/{ls_page.pk}/edit/")
        panel = page.get_by_role("region", name="Leichte Sprache: Prüfung")
        panel.wait_for()

        # The second field a writer sees: the chapter's introduction (Draftail).
        intro = page.locator(".public-DraftEditor-content").first
        intro.click()
        page.keyboard.press("End")
        intro.press_sequentially(" " + INTRO_SENTENCE + ".")
        page.mouse.wheel(0, 1500)

        group = panel.locator("section[data-field]", has_text="Feld: Einleitung")
        finding = group.locator("li[data-sentence]", has_text=INTRO_SENTENCE)
        finding.locator('[data-rule="passive"]').wait_for()
        # Found in the introduction, not the title; the panel floats in view.
        assert group.get_attribute("data-field") == "Einleitung"
        expect(finding).to_be_in_viewport()

        finding.get_by_role("button").click()
        marked = page.evaluate("document.body.dataset.plainLanguageHighlight")
        assert marked == INTRO_SENTENCE + "."
        assert page.evaluate("CSS.highlights.has('plain-language-sentence')")
        expect(intro).to_be_in_viewport()


def test_a_reviewer_approves_from_the_review_screen_with_a_comment_per_finding(
    browser, live_server, django_user_model, ls_page
):
    plain_language_workflow_ensure()
    writer = django_user_model.objects.create_superuser(
        "schreiberin", "ls@example.org", "ein-langes-passwort"
    )
    reviewer = django_user_model.objects.create_user(
        "pruefer", "pruefer@example.org", "ein-langes-passwort"
    )
    reviewer.groups.add(Group.objects.get(name=REVIEW_GROUP))
    ls_page.title = INTRO_SENTENCE + "."
    revision = ls_page.save_revision(user=writer)
    ls_page.get_workflow().start(ls_page, writer)

    with admin_browser_page(browser, live_server, "pruefer") as page:
        # The dashboard lists the page; the editor's header says it is in review.
        page.get_by_test_id("plain-language-review-panel").wait_for()
        page.goto(f"{live_server.url}/admin/pages/{ls_page.pk}/edit/")
        status = page.get_by_role("status").filter(
            has_text="In Prüfung (Prüfgruppe Leichte Sprache)"
        )
        status.wait_for()
        status.get_by_role("link", name="Prüfen und freigeben").click()

        review = page.get_by_test_id("plain-language-review")
        passive = review.locator('li[data-rule="passive"]')
        passive.wait_for()
        assert INTRO_SENTENCE in passive.inner_text()
        passive.get_by_role("textbox").fill("Bitte aktiv: Das Amt bezahlt die Kurse.")
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=OUTPUT / "plain-language-review.png", full_page=True)
        page.get_by_role("button", name="Freigeben").click()
        page.get_by_text("ist freigegeben").wait_for()

    ls_page.refresh_from_db()
    assert ls_page.live_revision_id == revision.pk
    state = TaskState.objects.get(revision=revision)
    assert state.status == TaskState.STATUS_APPROVED
    assert "Bitte aktiv: Das Amt bezahlt die Kurse." in state.get_comment()
