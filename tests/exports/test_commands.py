"""The pipeline's commands as an operator runs them: resync, export, endpoint."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.models import Page

from exports.content import locale_chain, public_pages
from exports.website.models import WebhookDelivery
from exports.website.signing import webhook_secret_key
from tests.conftest import wait_until, worker_idle
from tests.exports.conftest import settled
from tests.factories.pages import chapter_factory, handbook_factory


def public_keys(locale: str) -> set[str]:
    pages = public_pages(
        Page.objects.filter(locale__language_code__in=locale_chain(locale), depth__gt=1)
    )
    return {str(key) for key in pages.values_list("translation_key", flat=True)}


@pytest.mark.django_db
def test_resync_pushes_every_public_page_of_a_locale(website):
    website.up()
    out = StringIO()
    call_command("resync_website", "--locale", "en", "--jobs", "1", stdout=out)

    expected = public_keys("en")
    messages = website.messages()
    assert {m["translation_key"] for m in messages} == expected
    assert {m["locale"] for m in messages} == {"en"}
    assert all(json.loads(m["body"])["data"]["document"] for m in messages)
    summary = out.getvalue()
    assert f"{len(expected)} documents" in summary
    assert f"{len(expected)} delivered, 0 failed" in summary


@pytest.mark.django_db
def test_resync_to_a_website_that_is_down_leaves_everything_queued(website):
    out = StringIO()
    call_command("resync_website", "--locale", "ar", "--jobs", "1", stdout=out)
    expected = len(public_keys("ar"))
    assert f"0 delivered, {expected} failed (queued for retry)" in out.getvalue()
    assert WebhookDelivery.objects.filter(status="pending", locale="ar").count() == (
        expected
    )


@pytest.mark.django_db
def test_resync_names_the_known_locales_for_an_unknown_one(website):
    with pytest.raises(CommandError, match="'xx' is not configured; known: de"):
        call_command("resync_website", "--locale", "xx")


@pytest.mark.django_db
def test_resync_without_an_endpoint_says_what_to_set():
    with pytest.raises(CommandError, match="WEBSITE_WEBHOOK_URL"):
        call_command("resync_website")


@pytest.mark.django_db(transaction=True)
def test_export_runs_a_channel_by_name(website, pipeline):
    handbook = handbook_factory()
    chapter_factory(handbook)
    assert wait_until(settled)
    website.up()
    out = StringIO()
    call_command("export", "website", "--locale", "uk", stdout=out)
    expected = len(public_keys("uk"))
    assert expected >= 2
    assert f"website: {expected} done, 0 failed" in out.getvalue()
    with pytest.raises(CommandError, match="no export channel 'fax'; configured: web"):
        call_command("export", "fax")


@pytest.mark.django_db(transaction=True)
def test_resync_sends_in_parallel_on_postgresql(website, pipeline):
    if connection.vendor != "postgresql":
        pytest.skip("parallel senders need PostgreSQL")
    handbook = handbook_factory()
    for _ in range(5):
        chapter_factory(handbook)
    assert wait_until(settled)
    assert wait_until(worker_idle)
    WebhookDelivery.objects.all().delete()
    website.up()
    out = StringIO()
    call_command("resync_website", "--jobs", "3", stdout=out)
    expected = sum(
        len(public_keys(code))
        for code in ("de", "de-x-ls", "en", "ar", "fa", "tr", "uk", "ro")
    )
    assert f"{expected} documents" in out.getvalue()
    assert f"{expected} delivered, 0 failed" in out.getvalue()
    # Every page in every locale arrived once from the resync. The worker may
    # still send what the chapters' publishing set in motion (a delivery queued
    # after the delete above, a print file's announcement): not the resync's.
    resynced = [
        m
        for m in website.messages()
        if json.loads(m["body"])["data"]["event"] == "resync"
    ]
    assert len(resynced) == expected
    assert len({(m["translation_key"], m["locale"]) for m in resynced}) == expected


def test_website_endpoint_prints_a_usable_secret():
    out = StringIO()
    call_command("website_endpoint", "--new-secret", stdout=out)
    secret = out.getvalue().strip()
    assert secret.startswith("whsec_")
    assert len(webhook_secret_key(secret)) == 32


@pytest.mark.django_db
def test_website_endpoint_shows_health(website):
    website.up()
    call_command("resync_website", "--locale", "tr", "--jobs", "1", stdout=StringIO())
    out = StringIO()
    call_command("website_endpoint", stdout=out)
    assert "website: ok" in out.getvalue()
