"""The check endpoint behind the live panel in the page editor."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from wagtail.models import Page

pytestmark = pytest.mark.django_db

URL = "/admin/plain-language/check/"


def post(client, payload, **kwargs):
    return client.post(
        URL, data=json.dumps(payload), content_type="application/json", **kwargs
    )


def test_url_is_the_admin_one():
    assert reverse("plain_language_check") == URL


def test_findings_for_a_de_x_ls_page(admin_client, ls_chapter):
    response = post(
        admin_client, {"text": "Der Antrag wurde geprüft.", "page_id": ls_chapter.pk}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["applies"] is True
    assert {f["rule"] for f in data["findings"]} == {"passive", "praeteritum"}
    assert data["sentences"][0]["text"] == "Der Antrag wurde geprüft."
    assert data["scores"]["sentences"] == 1


def test_other_locales_are_not_checked(admin_client):
    german = Page.objects.filter(locale__language_code="de", depth=3).first()
    response = post(
        admin_client, {"text": "Der Antrag wurde geprüft.", "page_id": german.pk}
    )
    assert response.json() == {"applies": False}


def test_bad_input_gets_a_clear_4xx(admin_client):
    response = admin_client.post(URL, data="kein json", content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and "text" in error["message"]
    response = post(admin_client, {"text": "Wort " * 30_000})
    assert response.status_code == 413
    assert "zu lang" in response.json()["error"]["message"]


def test_only_admin_users_with_csrf_token(client, django_user_model, ls_chapter):
    response = post(client, {"text": "Hallo."})
    assert response.status_code in (302, 403)  # to the login page
    user = django_user_model.objects.create_superuser("ls", "ls@example.org", "pw")
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    assert post(csrf_client, {"text": "Hallo."}).status_code == 403


def test_editor_loads_the_panel_script(admin_client, ls_chapter):
    response = admin_client.get(f"/admin/pages/{ls_chapter.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="plain-language-config"' in html
    assert "plain_language/panel.js" in html


def test_translation_editor_panel_checks_the_saved_segments(admin_client, ls_chapter):
    from wagtail_localize.models import StringTranslation, Translation

    Translation.objects.filter(
        source__object_id=ls_chapter.translation_key, target_locale=ls_chapter.locale
    ).update(enabled=True)
    title = StringTranslation.objects.get(
        locale=ls_chapter.locale, context__path="title", data=ls_chapter.title
    )
    title.data = "Der Antrag wurde geprüft."
    title.save()
    response = post(admin_client, {"source": "translation", "page_id": ls_chapter.pk})
    data = response.json()
    assert data["applies"] is True
    assert data["sentences"][0]["text"] == "Der Antrag wurde geprüft."
    assert "passive" in {
        f["rule"] for f in data["findings"] if f["sentence_index"] == 0
    }
