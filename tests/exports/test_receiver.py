"""The reference receiver over real HTTP on 127.0.0.1, as the website would run it."""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from exports.management.commands.webhook_receiver import receiver_secrets
from exports.website.receiver.request_handler import MAX_BODY_BYTES
from exports.website.receiver.server import receiver_server
from exports.website.signing import webhook_headers
from tests.conftest import REPO, free_port, wait_until

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
OLD_SECRET = "whsec_" + base64.b64encode(bytes(range(50, 82))).decode()


def message(
    *,
    sequence: int = 1,
    type: str = "page.updated",
    translation_key: str = "3f2c9a4e-0000-4000-8000-000000000001",
    locale: str = "de",
    title: str = "Ankommen",
) -> dict[str, Any]:
    """A payload in the sender's contract."""
    removed = type == "page.removed"
    return {
        "type": type,
        "timestamp": "2026-11-24T10:00:00+00:00",
        "data": {
            "translation_key": translation_key,
            "locale": locale,
            "page_id": 42,
            "sequence": sequence,
            "revision": None if removed else 100 + sequence,
            "document": None if removed else {"title": title, "body": []},
        },
    }


class Receiver:
    """A receiver serving in a thread, and a client signing like the CMS does."""

    def __init__(self, store_dir: Path, secrets: list[str]) -> None:
        self.server = receiver_server(
            host="127.0.0.1", port=0, secrets=secrets, store_dir=store_dir
        )
        self.url = self.server.url
        self.database = store_dir / "received.sqlite3"
        # A short poll interval only makes stop() quick.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}
        )
        self.thread.start()

    def post(
        self,
        payload: dict[str, Any] | bytes,
        *,
        secrets: tuple[str, ...] = (SECRET,),
        msg_id: str | None = None,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        signed = webhook_headers(
            secrets=list(secrets),
            msg_id=msg_id or f"msg_{uuid.uuid4().hex}",
            timestamp=int(time.time()) if timestamp is None else timestamp,
            body=body,
        )
        return http_post(f"{self.url}/webhooks/wegweiser", body, headers or signed)

    def get(self, path: str, token: str | None = SECRET) -> tuple[int, str]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        request = urllib.request.Request(self.url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def rows(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql).fetchall()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def http_post(
    url: str, body: bytes, headers: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def receiver(tmp_path):
    receiver = Receiver(tmp_path / "store", [SECRET])
    yield receiver
    receiver.stop()


def test_a_signed_message_is_stored_and_becomes_current(receiver):
    status, answer = receiver.post(message(sequence=3), msg_id="msg_first")

    assert (status, answer["status"]) == (200, "received")
    assert receiver.rows(
        "SELECT webhook_id, type, translation_key, locale, sequence, revision, "
        "applied FROM messages"
    ) == [
        (
            "msg_first",
            "page.updated",
            "3f2c9a4e-0000-4000-8000-000000000001",
            "de",
            3,
            103,
            1,
        )
    ]
    [(body,)] = receiver.rows("SELECT body FROM current")
    assert json.loads(body) == message(sequence=3)


@pytest.mark.parametrize(
    ("spoil", "code"),
    [
        (lambda h: {**h, "webhook-signature": "v1,AAAA"}, "bad_signature"),
        (
            lambda h: {k: v for k, v in h.items() if k != "webhook-id"},
            "missing_headers",
        ),
        (lambda h: {}, "missing_headers"),
    ],
)
def test_a_bad_or_missing_signature_is_refused_and_nothing_stored(
    receiver, spoil, code
):
    body = json.dumps(message()).encode()
    good = webhook_headers(
        secrets=[SECRET], msg_id="msg_x", timestamp=int(time.time()), body=body
    )

    status, answer = http_post(receiver.url + "/webhooks/wegweiser", body, spoil(good))

    assert status == 401
    assert answer["error"]["code"] == code
    assert answer["error"]["message"]
    assert receiver.rows("SELECT count(*) FROM messages") == [(0,)]
    assert receiver.rows("SELECT count(*) FROM current") == [(0,)]


def test_a_message_signed_with_an_unknown_secret_is_refused(receiver):
    status, answer = receiver.post(message(), secrets=(OLD_SECRET,))

    assert (status, answer["error"]["code"]) == (401, "bad_signature")
    assert receiver.rows("SELECT count(*) FROM messages") == [(0,)]


@pytest.mark.parametrize(
    ("offset", "code"), [(-301, "stale_timestamp"), (+301, "future_timestamp")]
)
def test_a_timestamp_outside_the_tolerance_is_refused(receiver, offset, code):
    status, answer = receiver.post(message(), timestamp=int(time.time()) + offset)

    assert (status, answer["error"]["code"]) == (400, code)
    assert receiver.rows("SELECT count(*) FROM messages") == [(0,)]


def test_a_replayed_id_is_refused_with_409_and_stored_once(receiver):
    first = receiver.post(message(sequence=1), msg_id="msg_again")
    replay = receiver.post(message(sequence=1), msg_id="msg_again")
    # Even with a newer body, an id seen once is not taken again.
    replay_newer = receiver.post(message(sequence=2), msg_id="msg_again")

    assert first[0] == 200
    assert replay[0] == replay_newer[0] == 409
    assert replay[1]["error"]["code"] == "replayed_id"
    assert receiver.rows("SELECT webhook_id, sequence FROM messages") == [
        ("msg_again", 1)
    ]
    assert receiver.rows("SELECT sequence FROM current") == [(1,)]


def test_the_same_id_sent_twice_at_once_is_stored_once(receiver):
    body = json.dumps(message()).encode()
    headers = webhook_headers(
        secrets=[SECRET], msg_id="msg_race", timestamp=int(time.time()), body=body
    )
    statuses: list[int] = []

    def send() -> None:
        statuses.append(http_post(receiver.url + "/", body, headers)[0])

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] + [409] * 5
    assert receiver.rows("SELECT count(*) FROM messages") == [(1,)]


def test_during_rotation_a_message_signed_only_with_the_previous_secret_is_taken(
    tmp_path,
):
    receiver = Receiver(tmp_path, [SECRET, OLD_SECRET])
    try:
        status, _ = receiver.post(message(), secrets=(OLD_SECRET,))
    finally:
        receiver.stop()

    assert status == 200
    assert receiver.rows("SELECT count(*) FROM messages") == [(1,)]


def test_a_late_retry_with_an_older_sequence_does_not_overwrite_newer_content(
    receiver,
):
    receiver.post(message(sequence=5, title="Neu"), msg_id="msg_new")
    status, answer = receiver.post(message(sequence=4, title="Alt"), msg_id="msg_old")

    assert (status, answer["applied"]) == (200, False)
    [(sequence, body)] = receiver.rows("SELECT sequence, body FROM current")
    assert sequence == 5
    assert json.loads(body)["data"]["document"]["title"] == "Neu"
    assert receiver.rows("SELECT webhook_id, applied FROM messages") == [
        ("msg_new", 1),
        ("msg_old", 0),
    ]


def test_a_removal_with_a_newer_sequence_replaces_the_page_and_stays(receiver):
    receiver.post(message(sequence=1))
    receiver.post(message(sequence=2, type="page.removed"))
    receiver.post(message(sequence=1, title="Wiedergänger"))

    assert receiver.rows("SELECT type, sequence FROM current") == [("page.removed", 2)]


def test_locales_of_one_page_are_kept_apart(receiver):
    receiver.post(message(sequence=7, locale="de"))
    receiver.post(message(sequence=2, locale="ar"))

    assert receiver.rows("SELECT locale, sequence FROM current ORDER BY locale") == [
        ("ar", 2),
        ("de", 7),
    ]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"<html>not json</html>", "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        (b"[1, 2]", "invalid_payload"),
        (json.dumps({**message(), "type": "page.moved"}).encode(), "invalid_payload"),
        (
            json.dumps(
                {**message(), "data": {**message()["data"], "sequence": "7"}}
            ).encode(),
            "invalid_payload",
        ),
        (
            json.dumps({**message(), "data": {"locale": "de"}}).encode(),
            "invalid_payload",
        ),
        (json.dumps({**message(), "timestamp": "gestern"}).encode(), "invalid_payload"),
    ],
)
def test_a_body_outside_the_contract_is_refused_with_400(receiver, body, code):
    status, answer = receiver.post(body)

    assert (status, answer["error"]["code"]) == (400, code)
    assert receiver.rows("SELECT count(*) FROM messages") == [(0,)]


def test_a_sender_posts_many_messages_over_one_kept_alive_connection(receiver):
    # What a resync does: thousands of POSTs over a few connections. A refused
    # message (bad signature) does not cost the connection either.
    host, port = receiver.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    local_ports, answers = set(), []
    for sequence in range(1, 6):
        body = json.dumps(message(sequence=sequence)).encode()
        headers = webhook_headers(
            secrets=[SECRET],
            msg_id=f"msg_{uuid.uuid4().hex}",
            timestamp=int(time.time()),
            body=body if sequence != 3 else b"tampered",
        )
        connection.request("POST", "/webhooks/wegweiser", body, headers)
        response = connection.getresponse()
        answers.append((response.status, response.getheader("Connection")))
        response.read()
        local_ports.add(connection.sock.getsockname()[1] if connection.sock else None)
    connection.close()

    assert [status for status, _ in answers] == [200, 200, 401, 200, 200]
    assert all(header != "close" for _, header in answers)
    assert len(local_ports) == 1 and None not in local_ports  # never reconnected
    assert receiver.rows("SELECT max(sequence) FROM current") == [(5,)]


def test_a_body_over_5_mb_is_refused_with_413(receiver):
    padding = "x" * (MAX_BODY_BYTES - len(json.dumps(message())) - 20)
    fits = message()
    fits["data"]["document"]["padding"] = padding
    too_big = message()
    too_big["data"]["document"]["padding"] = padding + "x" * 100

    assert receiver.post(fits)[0] == 200
    status, answer = receiver.post(too_big)

    assert (status, answer["error"]["code"]) == (413, "body_too_large")
    assert receiver.rows("SELECT count(*) FROM messages") == [(1,)]


def test_the_overview_lists_messages_and_escapes_html(receiver):
    receiver.post(message(title="<script>alert('x')</script> & Co"))

    status, page = receiver.get("/")

    assert status == 200
    assert "Empfangene Webhooks" in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co #42" in page
    assert "<script>" not in page


def test_received_json_lists_messages_and_current_content(receiver):
    receiver.post(message(sequence=2), msg_id="msg_a")
    receiver.post(message(sequence=1), msg_id="msg_b")

    status, text = receiver.get("/received.json")
    listing = json.loads(text)

    assert status == 200
    assert [(m["webhook_id"], m["applied"]) for m in listing["messages"]] == [
        ("msg_a", True),
        ("msg_b", False),
    ]
    assert listing["messages"][0]["payload"] == message(sequence=2)
    assert [(c["locale"], c["sequence"]) for c in listing["current"]] == [("de", 2)]


def test_received_json_needs_the_webhook_secret(receiver):
    receiver.post(message(title="Ankommen in Ehingen"))
    for token in (None, "whsec_falsch", OLD_SECRET):
        status, text = receiver.get("/received.json", token=token)
        assert status == 401, token
        assert "Ankommen" not in text
    assert receiver.get("/received.json", token=SECRET)[0] == 200


def test_a_removed_page_takes_its_earlier_documents_with_it(receiver):
    # A portrait whose consent was withdrawn is removed from the website; the
    # receiver's log must not go on serving the person's story.
    receiver.post(message(sequence=1, title="Amira K. erzählt"))
    receiver.post(message(sequence=2, title="Amira K. erzählt weiter"))
    receiver.post(message(sequence=1, locale="en", title="Amira K. tells"))
    receiver.post(message(sequence=3, type="page.removed"))
    text = receiver.get("/received.json")[1]
    listing = json.loads(text)
    assert "Amira K. erzählt" not in text
    assert "Amira K. tells" in text  # another locale, not removed
    assert [m["type"] for m in listing["messages"]] == [
        "page.updated",
        "page.updated",
        "page.updated",
        "page.removed",
    ]
    assert "Amira K. erzählt" not in receiver.get("/", token=None)[1]


def test_a_body_shorter_than_announced_is_a_400(receiver, monkeypatch):
    from exports.website.receiver.request_handler import WebhookRequestHandler

    monkeypatch.setattr(WebhookRequestHandler, "timeout", 1)
    host, port = receiver.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST /webhooks/wegweiser HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            b'{"type": '
        )
        answer = connection.recv(4096).decode()
    assert answer.startswith("HTTP/1.0 400") or answer.startswith("HTTP/1.1 400")
    assert "incomplete_body" in answer


def test_healthz_answers_200(receiver):
    assert receiver.get("/healthz") == (200, '{"status": "ok"}')


@pytest.mark.parametrize(
    ("secrets", "complaint"),
    [([], "at least one webhook secret"), (["not-a-secret"], "whsec_")],
)
def test_the_server_will_not_start_without_a_usable_secret(
    tmp_path, secrets, complaint
):
    with pytest.raises(ValueError, match=complaint):
        receiver_server(host="127.0.0.1", port=0, secrets=secrets, store_dir=tmp_path)


def test_a_failure_inside_the_receiver_answers_500_so_the_sender_retries(
    receiver, monkeypatch
):
    def broken_record(**kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(receiver.server.store, "message_record", broken_record)

    status, answer = receiver.post(message())

    assert (status, answer["error"]["code"]) == (500, "receiver_error")
    assert "disk I/O error" in answer["error"]["message"]


# --- The management command -----------------------------------------------------


def test_the_command_receives_pushes_as_a_separate_process(tmp_path):
    port = free_port()
    store = tmp_path / "store"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("WEBSITE_WEBHOOK_SECRET")
    }
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    command = [
        sys.executable, "manage.py", "webhook_receiver", "--port", str(port),
        "--secret", SECRET, "--secret", OLD_SECRET, "--store", str(store),
    ]  # fmt: skip
    proc = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return proc.poll() is not None  # stop waiting if it died

    try:
        assert wait_until(healthy, timeout=60), "receiver did not start"
        assert proc.poll() is None, proc.stdout.read()
        body = json.dumps(message(sequence=9)).encode()
        headers = webhook_headers(
            secrets=[OLD_SECRET],
            msg_id="msg_cli",
            timestamp=int(time.time()),
            body=body,
        )
        status, _ = http_post(url + "/webhooks/wegweiser", body, headers)
        replay_status, _ = http_post(url + "/webhooks/wegweiser", body, headers)
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)

    assert (status, replay_status) == (200, 409)
    with sqlite3.connect(store / "received.sqlite3") as connection:
        assert connection.execute("SELECT sequence FROM current").fetchall() == [(9,)]
        assert connection.execute(
            "SELECT webhook_id, sequence FROM messages"
        ).fetchall() == [("msg_cli", 9)]
    assert proc.returncode == 0, output
    assert f"Receiving webhooks at {url}/" in output
    assert str(store / "received.sqlite3") in output
    assert "1 accepted (1 applied, 0 older than stored), 1 refused" in output


def test_the_command_refuses_to_start_without_a_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("WEBSITE_WEBHOOK_SECRET", raising=False)
    monkeypatch.delenv("WEBSITE_WEBHOOK_SECRET_PREVIOUS", raising=False)

    with pytest.raises(CommandError, match="--secret whsec_… or set WEBSITE_WEBHOOK"):
        call_command("webhook_receiver", "--port", "0", "--store", str(tmp_path))


def test_the_command_names_a_malformed_secret(tmp_path):
    with pytest.raises(CommandError, match="must start with 'whsec_'"):
        call_command(
            "webhook_receiver", "--port", "0", "--secret", "s3cret", "--store",
            str(tmp_path),
        )  # fmt: skip


def test_the_command_says_when_the_port_is_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        with pytest.raises(CommandError, match=f"port {port} on 127.0.0.1 is taken"):
            call_command(
                "webhook_receiver", "--port", str(port), "--secret", SECRET,
                "--store", str(tmp_path),
            )  # fmt: skip


def test_secrets_come_from_the_environment_unless_given():
    environ = {
        "WEBSITE_WEBHOOK_SECRET": SECRET,
        "WEBSITE_WEBHOOK_SECRET_PREVIOUS": OLD_SECRET,
    }

    assert receiver_secrets([], environ) == [SECRET, OLD_SECRET]
    assert receiver_secrets([], {"WEBSITE_WEBHOOK_SECRET": SECRET}) == [SECRET]
    assert receiver_secrets(
        [], {"WEBSITE_WEBHOOK_SECRET": SECRET, "WEBSITE_WEBHOOK_SECRET_PREVIOUS": ""}
    ) == [SECRET]
    assert receiver_secrets([OLD_SECRET], environ) == [OLD_SECRET]
    assert receiver_secrets([], {}) == []


def test_the_receiver_runs_without_django():
    """The web team copies it as an example: it must not need the CMS around it."""
    probe = (
        "import sys, exports.website.receiver.server; "
        "print(' '.join(sorted(m for m in sys.modules "
        "if m.startswith(('django', 'cms', 'exports')))))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, check=True,
        capture_output=True, text=True,
    ).stdout.split()  # fmt: skip

    outside = [
        m
        for m in loaded
        if not m.startswith("exports.website.receiver")
        and m not in ("exports", "exports.website")
    ]
    assert outside == ["exports.website.signing"]


def test_stopping_hangs_up_on_idle_kept_alive_connections(tmp_path, monkeypatch):
    # A sender keeps its connection open between messages. Stopping the receiver
    # (Ctrl-C under make run, a deploy) must not wait for that connection's idle
    # timeout: here the timeout is taken away, so a stop that waited would hang.
    from exports.website.receiver.request_handler import WebhookRequestHandler

    monkeypatch.setattr(WebhookRequestHandler, "timeout", None)
    receiver = Receiver(tmp_path / "store", [SECRET])
    sender = http.client.HTTPConnection("127.0.0.1", receiver.server.server_port)
    body = json.dumps(message()).encode()
    headers = webhook_headers(
        secrets=[SECRET], msg_id="msg_idle", timestamp=int(time.time()), body=body
    )
    sender.request("POST", "/webhooks/wegweiser", body, headers)
    assert sender.getresponse().read() and sender.sock is not None  # kept alive

    stopping = threading.Thread(target=receiver.stop, daemon=True)
    stopping.start()
    stopping.join(timeout=30)
    hung = stopping.is_alive()
    hang_up = None if hung else sender.sock.recv(1)
    sender.close()  # lets a stop that hung finish, so the suite goes on
    assert not hung, "the receiver waited for an idle connection"
    # The sender sees a hang-up, and the stored message survived the stop.
    assert hang_up == b""
    assert receiver.rows("SELECT webhook_id FROM messages") == [("msg_idle",)]
