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
