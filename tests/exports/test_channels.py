"""Channels are backends from settings; a wrong entry stops start-up with a reason."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from exports.channels import channels_load
from tests.conftest import REPO, WEBHOOK_SECRET

WEBSITE = "exports.website.channel.WebsiteChannel"


def website_options(**overrides):
    options = {
        "ENDPOINTS": [
            {
                "NAME": "website",
                "URL": "https://web.example.org/hook",
                "SECRETS": [WEBHOOK_SECRET],
            }
        ],
        "ALLOWED_URLS": ["https://web.example.org/"],
    }
    options.update(overrides)
    return {"website": {"BACKEND": WEBSITE, "OPTIONS": options}}


def test_a_valid_website_channel_loads():
    channel = channels_load(website_options())["website"]
    assert channel.name == "website"
    assert list(channel.endpoints) == ["website"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"print": {"BACKEND": "exports.nowhere.Channel"}}, "cannot import"),
        (
            {"print": {"BACKEND": "exports.channels.ExportSummary"}},
            "not an ExportChannel",
        ),
        ({"print": {"OPTIONS": {}}}, "needs a 'BACKEND'"),
        (
            website_options(ALLOWED_URLS=["https://other.example.org/"]),
            "not in the allow-list",
        ),
        (
            # Same host as a prefix of a longer, hostile host name.
            website_options(
                ENDPOINTS=[
                    {
                        "URL": "https://web.example.org.evil.test/hook",
                        "SECRETS": [WEBHOOK_SECRET],
                    }
                ]
            ),
            "not in the allow-list",
        ),
        (
            website_options(
                ENDPOINTS=[{"URL": "https://web.example.org/hook", "SECRETS": []}]
            ),
            "no signing secret",
        ),
        (
            website_options(
                ENDPOINTS=[{"URL": "https://web.example.org/hook", "SECRETS": ["abc"]}]
            ),
            "whsec_",
        ),
        (website_options(RETRY_HOURS=24), "at least 72"),
        (
            website_options(ENDPOINTS=[{"URL": "ftp://web.example.org/hook"}]),
            "not an http(s) URL",
        ),
    ],
)
def test_a_misconfigured_channel_names_what_to_fix(config, message):
    with pytest.raises(
        ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        channels_load(config)


def test_start_up_stops_on_a_webhook_url_outside_the_allow_list(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "WEBSITE_WEBHOOK_URL": "http://169.254.169.254/latest/meta-data",
        "WEBSITE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "WEBSITE_WEBHOOK_ALLOWED_URLS": "https://web.example.org/",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "not in the allow-list" in result.stderr
    assert "WEBSITE_WEBHOOK_ALLOWED_URLS" in result.stderr


def test_channels_bring_their_tasks_and_beat_entries_to_celery():
    from celery import current_app

    from exports.channels import channels_beat_schedule

    schedule = channels_beat_schedule()
    assert schedule["sweep-website-deliveries"]["task"] == "exports.sweep_deliveries"
    # Print builds on the generic file-channel queue.
    assert schedule["sweep-print-builds"]["task"] == "exports.artifact_builds_sweep"
    assert schedule["sweep-print-builds"]["kwargs"] == {"channel": "print"}
    # Merged into Celery's schedule at start-up; settings name no channel entry.
    assert set(schedule) <= set(current_app.conf.beat_schedule)
    # The tasks keep the names queued messages carry (print's former ones too).
    for name in (
        "exports.deliver_webhook",
        "exports.sweep_deliveries",
        "exports.artifact_build",
        "exports.artifact_builds_sweep",
        "exports.print_build",
        "exports.print_sweep",
    ):
        assert name in current_app.tasks, name


def test_a_starting_worker_asks_every_channel_to_catch_up(settings, monkeypatch):
    from exports.channels import channels
    from exports.tasks import channels_catch_up_when_worker_starts

    settings.EXPORT_CHANNELS = {
        "toy": {"BACKEND": "tests.exports.toy_channel.ToyChannel"},
        "toy2": {"BACKEND": "tests.exports.toy_channel.ToyChannel"},
    }
    asked = []
    for channel in channels().values():
        monkeypatch.setattr(
            channel, "on_worker_ready", lambda c=channel: asked.append(c.alias)
        )
    channels_catch_up_when_worker_starts()
    assert asked == ["toy", "toy2"]


@pytest.mark.django_db
def test_the_print_channel_adds_its_preview_mode_to_the_pages():
    from cms.pages.models import ChapterPage

    assert ("print", "Druckansicht") in [
        (name, str(label)) for name, label in ChapterPage().preview_modes
    ]


def test_two_channels_of_one_type_share_their_type_wide_screens(settings):
    # A district runs a staging website next to the live one, and a second EPUB
    # (say, a large-print edition): the deliveries screen covers both websites and
    # is mounted once; each EPUB keeps its own overview. Django needs unique URL
    # namespaces, and Celery runs the shared sweep once.
    from exports.channels import (
        channels_admin_menu_items,
        channels_admin_urls,
        channels_beat_schedule,
    )

    staging = website_options()["website"]
    epub = settings.EXPORT_CHANNELS["epub"]
    base = dict(settings.EXPORT_CHANNELS)
    settings.EXPORT_CHANNELS = {
        **base,
        "website-staging": staging,
        "epub-large": {**epub, "OPTIONS": {**epub.get("OPTIONS", {})}},
    }

    namespaces = [url.namespace for url in channels_admin_urls()]
    assert len(namespaces) == len(set(namespaces)), namespaces
    assert namespaces.count("website_deliveries") == 1
    assert {"epub_artifacts", "epub-large_artifacts"} <= set(namespaces)

    schedule = channels_beat_schedule()
    assert schedule["sweep-website-deliveries"]["task"] == "exports.sweep_deliveries"

    # One menu entry for both websites (the menu reverses URLs this process has
    # mounted, so the second EPUB, mounted only at start-up, is left out here).
    settings.EXPORT_CHANNELS = {**base, "website-staging": staging}
    labels = [str(item.label) for item in channels_admin_menu_items()]
    assert len(labels) == len(set(labels)), labels
