"""`make run` as a newcomer runs it: SQLite, embedded broker, web + worker, twice.

This test deliberately ignores DATABASE_URL/REDIS_URL: it checks the set-up that
needs nothing but Python.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, free_port


class MakeRun:
    """`make run` in its own process group, its output in a file."""

    def __init__(self, var_dir: Path, port: int, log: Path, receiver_port: int) -> None:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
            and not k.startswith(("PYTEST", "CELERY_"))
        }
        env.update(
            VAR_DIR=str(var_dir), PORT=str(port), RECEIVER_PORT=str(receiver_port)
        )
        self.log = log
        self.base = f"http://127.0.0.1:{port}"
        with log.open("w") as out:
            self.proc = subprocess.Popen(
                ["make", "run"], cwd=REPO, env=env, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text()

    # The demo is translated into seven locales (about 100 s, more on a busy 2-core
    # machine, SQLite) before the server starts.
    def wait_until_up(self, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"make run exited:\n{self.output()[-4000:]}")
            if "ready." in self.output():
                try:
                    with urllib.request.urlopen(f"{self.base}/healthz", timeout=2):
                        return
                except OSError:
                    pass
            time.sleep(0.5)
        pytest.fail(f"make run did not come up:\n{self.output()[-4000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def _admin_session(base: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/admin/login/")
    _post(opener, f"{base}/admin/login/", {"username": "admin", "password": password})
    return opener


def _post(opener, url: str, data: dict) -> str:
    html = opener.open(url).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}, doseq=True)
    request = urllib.request.Request(url, data=body.encode(), headers={"Referer": url})
    with opener.open(request) as response:
        return response.read().decode()


def test_make_run_serves_admin_runs_jobs_and_can_run_again(tmp_path):
    var_dir = tmp_path / "var"
    port, receiver_port = free_port(), free_port()
    first = MakeRun(var_dir, port, tmp_path / "first.log", receiver_port)
    try:
        first.wait_until_up()
        out = first.output()
        assert "Loaded demo handbook" in out
        password = re.search(r"password '([^']+)'", out).group(1)
        assert f"{first.base}/admin/" in out
        receiver = f"http://127.0.0.1:{receiver_port}"
        assert f"{receiver}/" in out

        # The demo handbook's publishes reach the reference receiver, signed and
        # verified, through the worker on the embedded broker.
        def pushes() -> list:
            try:
                secret = (var_dir / "dev-webhook-secret").read_text().strip()
                request = urllib.request.Request(
                    f"{receiver}/received.json",
                    headers={"Authorization": f"Bearer {secret}"},
                )
                with urllib.request.urlopen(request) as response:
                    return json.load(response)["messages"]
            except OSError:
                return []

        def locales() -> set[str]:
            # Pages' pushes, not the PDFs' artifact.updated, which may come first.
            return {m["locale"] for m in pushes() if m["type"].startswith("page.")}

        # Every locale's pushes arrive within a minute of the worker's start (one
        # broker message per waiting page and locale); the wait allows for a busy
        # machine, not for the sweep's five-minute re-enqueue.
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not {"de", "ar", "de-x-ls"} <= locales():
            time.sleep(1)
        received = pushes()
        assert len(received) >= 20, first.output()[-3000:]
        assert {"de", "ar", "de-x-ls"} <= locales()

        opener = _admin_session(first.base, password)
        dashboard = opener.open(f"{first.base}/admin/").read().decode()
        assert 'lang="de"' in dashboard

        # The worker builds the demo's print PDFs and announces them to the website.
        assert f"{first.base}/admin/print/" in out

        def pdfs() -> set[str]:
            url = f"{first.base}/api/v1/artifacts/"
            with urllib.request.urlopen(url) as response:
                return {item["locale"] for item in json.load(response)["items"]}

        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not {"de", "ar"} <= pdfs():
            time.sleep(1)
        assert {"de", "ar"} <= pdfs(), first.output()[-3000:]
        with urllib.request.urlopen(
            f"{first.base}/api/v1/artifacts/print/ar.pdf"
        ) as pdf:
            assert pdf.read(5) == b"%PDF-"
        print_page = opener.open(f"{first.base}/admin/print/").read().decode()
        assert 'data-locale="ar"' in print_page

        # A translator sends chapter 6 with its pages to Romanian (the demo leaves
        # it untranslated there on purpose): the chapter is translated in the
        # request, its pages by the worker via the embedded broker.
        db = sqlite3.connect(var_dir / "wegweiser.sqlite3")
        (chapter_id,) = db.execute(
            "SELECT p.id FROM wagtailcore_page p JOIN pages_chapterpage c "
            "ON c.page_ptr_id = p.id JOIN wagtailcore_locale l ON l.id = p.locale_id "
            "WHERE c.number = 6 AND l.language_code = 'de'"
        ).fetchone()
        (romanian,) = db.execute(
            "SELECT id FROM wagtailcore_locale WHERE language_code = 'ro'"
        ).fetchone()

        def romanian_pages() -> int:
            return db.execute(
                "SELECT count(*) FROM wagtailcore_page WHERE locale_id = ?",
                (romanian,),
            ).fetchone()[0]

        before = romanian_pages()
        _post(
            opener,
            f"{first.base}/admin/localize/submit/page/{chapter_id}/",
            {"locales": [romanian], "include_subtree": "on"},
        )

        job_done = re.compile(r"Task cms\.run_localize_job\[[^\]]+\] succeeded")
        # The job queues behind the worker's first PDF builds of eight locales.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not (
            romanian_pages() >= before + 4 and job_done.search(first.output())
        ):
            time.sleep(0.5)
        # The chapter and its three pages, and the worker's log shows the job ran
        # there, not in the web process.
        assert romanian_pages() >= before + 4
        assert job_done.search(first.output())
        assert "in-process" not in first.output()
        pages_after_first = db.execute(
            "SELECT count(*) FROM wagtailcore_page"
        ).fetchone()
    finally:
        first.stop()

    second = MakeRun(var_dir, port, tmp_path / "second.log", receiver_port)
    try:
        second.wait_until_up()
        out = second.output()
        assert "Demo handbook already loaded" in out
        assert f"password '{password}'" in out
        pages = db.execute("SELECT count(*) FROM wagtailcore_page").fetchone()
        assert pages == pages_after_first
    finally:
        second.stop()
