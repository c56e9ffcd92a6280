"""The website channel's SSRF guard: which URLs webhooks may be sent to."""

from __future__ import annotations

import contextlib
import http.server
import socket
import ssl
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from exports.channels import channels_load
from exports.website.endpoints import internal_target, url_allowed
from exports.website.posting import PostFailed, webhook_post
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
        "http://100.64.0.1/hook",  # carrier-grade NAT: a provider's inside
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


# --- DNS rebinding: the address that was checked is the one connected to ----------
#
# A resolver is passed in because no DNS server can run here: a name whose answer
# changes between two lookups can only be played by a stub. Everything after the
# lookup is real: local HTTP(S) servers, real sockets, real TLS verification.


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers 204 and remembers the Host header and path of every request, and
    counts the connections."""

    seen: list[tuple[str, str]]

    def setup(self):
        super().setup()
        self.server.connections += 1

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.server.seen.append((self.headers.get("host"), self.path))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


class KeepAliveRecorder(Recorder):
    protocol_version = "HTTP/1.1"


@contextlib.contextmanager
def local_server(tls: ssl.SSLContext | None = None, *, keep_alive: bool = False):
    """A real server on 127.0.0.1; yields it with ``seen``, ``sni`` and
    ``connections``. ``keep_alive``: HTTP/1.1, a connection carries many requests."""
    handler = KeepAliveRecorder if keep_alive else Recorder
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.seen, server.sni, server.connections = [], [], 0
    if tls is not None:
        tls.sni_callback = lambda sock, name, ctx: server.sni.append(name)
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def certificate_for(name: str, tmp_path) -> tuple[ssl.SSLContext, str]:
    """A server context with a certificate for ``name`` from a fresh test CA, and
    the CA's file for the client to trust."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)

    def cert(subject, issuer, key, signer, *, ca: bool, san=None):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), True)
        )
        if san:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(san)]), False
            )
        return builder.sign(signer, hashes.SHA256())

    ca_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = cert("Wegweiser test CA", "Wegweiser test CA", ca_key, ca_key, ca=True)
    leaf = cert(name, "Wegweiser test CA", leaf_key, ca_key, ca=False, san=name)
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp_path / "leaf.pem").write_bytes(
        leaf.public_bytes(pem)
        + leaf_key.private_bytes(
            pem,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "leaf.pem")
    return context, str(tmp_path / "ca.pem")


def rebinding_resolver(*answers: str):
    """A name that answers ``answers[0]`` to the first lookup, then the next …"""
    calls: list[str] = []

    def resolve(host: str) -> list[str]:
        calls.append(host)
        return [answers[min(len(calls), len(answers)) - 1]]

    resolve.calls = calls
    return resolve


def post_once(url: str, resolver, **options):
    from exports.website.endpoints import WebsiteConfig
    from exports.website.models import WebhookDelivery
    from exports.website.sending import _post, _route

    config = WebsiteConfig.parse(
        alias="website",
        options={
            "ENDPOINTS": [{"URL": url, "SECRETS": [website_secret()]}],
            "ALLOWED_URLS": [url],
            "TIMEOUT": 1,
            **options,
        },
    )
    delivery = WebhookDelivery(pk=1, sequence=1)  # unsaved: only its id is signed
    endpoint = config.endpoints["website"]
    return _post(_route(config, endpoint), delivery, b"{}", resolver)[0]


def test_a_name_that_turns_internal_after_the_check_is_not_connected_to():
    # The check is told a public address, a second lookup would say 127.0.0.1,
    # where a server listens: the attempt must go to the public address only.
    with local_server() as inside:
        port = inside.server_address[1]
        resolver = rebinding_resolver("93.184.215.14", "127.0.0.1")
        result = post_once(f"http://rebind.test:{port}/hook", resolver)
        assert resolver.calls == ["rebind.test"]  # looked up once, for the check
        assert inside.seen == []
        assert result.outcome != "delivered"


def test_a_name_that_is_internal_at_the_check_fails_without_a_request():
    with local_server() as inside:
        port = inside.server_address[1]
        result = post_once(
            f"http://rebind.test:{port}/hook", rebinding_resolver("127.0.0.1")
        )
        assert result.outcome == "failed"
        assert "internal address 127.0.0.1" in result.error
        assert inside.seen == []


def test_a_name_that_does_not_resolve_is_retried_later_without_a_request():
    def no_answer(host):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    result = post_once("https://site.test/hook", no_answer)
    assert result.outcome == "retry"
    assert "site.test does not resolve" in result.error


def test_with_private_targets_allowed_the_url_is_used_as_before():
    with local_server() as inside:
        port = inside.server_address[1]

        def unused(host):
            raise AssertionError("no pinning lookup with ALLOW_PRIVATE_TARGETS")

        url = f"http://127.0.0.1:{port}/hook"
        result = post_once(url, unused, ALLOW_PRIVATE_TARGETS=True)
        assert result.outcome == "delivered"
        assert inside.seen == [(f"127.0.0.1:{port}", "/hook")]


def pinned_post(url: str, **options):
    """An empty POST to ``url``, connected to 127.0.0.1 whatever its host."""
    return webhook_post(
        url,
        body=b"{}",
        headers={},
        connect_timeout=1,
        timeout=5,
        address="127.0.0.1",
        **options,
    )


def test_a_pinned_connection_keeps_the_host_name_for_http():
    with local_server(keep_alive=True) as server:
        port = server.server_address[1]
        for _ in range(2):
            answer = pinned_post(f"http://site.test:{port}/hook?x=1")
            assert answer.status == 204
        assert server.seen == [(f"site.test:{port}", "/hook?x=1")] * 2
        # Keep-alive: the second POST went over the first one's connection.
        assert server.connections == 1


def test_a_pinned_tls_connection_verifies_the_certificate_for_the_host_name(
    tmp_path,
):
    context, ca_file = certificate_for("site.test", tmp_path)
    with local_server(tls=context) as server:
        port = server.server_address[1]

        def post(host: str):
            return pinned_post(f"https://{host}:{port}/hook", ca_certs=ca_file)

        assert post("site.test").status == 204
        # The handshake named the host, not the address it connected to.
        assert server.sni == ["site.test"]
        # A certificate for site.test is no good for another name at that address.
        with pytest.raises(PostFailed, match=r"TLS failed: .*other\.test"):
            post("other.test")
        assert len(server.seen) == 1


def test_a_refused_connection_says_nothing_was_sent():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(PostFailed, match="connection failed") as failed:
        pinned_post(f"http://site.test:{port}/hook")
    assert not failed.value.connected
