"""The website channel's SSRF guard: which URLs webhooks may be sent to."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from exports.channels import channels_load
from exports.website.endpoints import internal_target, url_allowed
from tests.exports.test_channels import website_options

ALLOWED = ["https://www.example-landkreis.de/webhooks/wegweiser"]


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://www.example-landkreis.de/webhooks/wegweiser", True),
        ("https://www.example-landkreis.de/webhooks/wegweiser/", True),
        ("https://www.example-landkreis.de/webhooks/wegweiser/neu", True),
        ("https://www.example-landkreis.de:443/webhooks/wegweiser", True),
        # A longer last segment is another path, not a sub-path.
        ("https://www.example-landkreis.de/webhooks/wegweiser-evil", False),
        # Climbing out of the allowed path, plainly or percent-encoded.
        ("https://www.example-landkreis.de/webhooks/wegweiser/../../admin/", False),
        ("https://www.example-landkreis.de/webhooks/wegweiser/%2e%2e/x", False),
        ("https://www.example-landkreis.de/webhooks/wegweiser/a%2Fb", False),
        ("https://www.example-landkreis.de/webhooks", False),
        ("http://www.example-landkreis.de/webhooks/wegweiser", False),
        ("https://www.example-landkreis.de:8443/webhooks/wegweiser", False),
        ("https://www.example-landkreis.de.evil.test/webhooks/wegweiser", False),
        ("https://user@www.example-landkreis.de/webhooks/wegweiser", False),
    ],
)
def test_the_allow_list_compares_parsed_parts_and_path_segments(url, allowed):
    assert url_allowed(url, ALLOWED) is allowed


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # a cloud metadata service
        "http://127.0.0.1:8010/webhooks/wegweiser",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://[::1]/hook",
        "http://[::ffff:169.254.169.254]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_internal_targets_are_refused_unless_explicitly_allowed(url):
    assert internal_target(url, resolve=False)
    options = website_options(
        ENDPOINTS=[{"URL": url, "SECRETS": [website_secret()]}],
        ALLOWED_URLS=[url],
    )
    with pytest.raises(ImproperlyConfigured, match="internal address"):
        channels_load(options)
    options["website"]["OPTIONS"]["ALLOW_PRIVATE_TARGETS"] = True
    assert channels_load(options)["website"]


def test_a_public_host_passes_and_a_name_is_checked_by_its_address(monkeypatch):
    import socket

    assert internal_target("https://93.184.215.14/hook", resolve=False) is None
    # No DNS here: the lookup is replaced by one that answers like a name someone
    # pointed at the metadata service.
    addresses = {
        "www.example-landkreis.de": "93.184.215.14",
        "evil.test": "169.254.169.254",
    }

    def getaddrinfo(host, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (addresses[host], 0))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    assert internal_target(ALLOWED[0], resolve=True) is None
    assert internal_target("https://evil.test/hook", resolve=True) == "169.254.169.254"


def website_secret() -> str:
    from tests.conftest import WEBHOOK_SECRET

    return WEBHOOK_SECRET
