"""Test set-up shared by the whole suite.

Without REDIS_URL, Celery tasks run eagerly in the test process. With REDIS_URL (and
DATABASE_URL, as CI sets them) one real Celery worker process is started per session
against the test database, for the tests that ask for ``celery_worker_process``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parent.parent
USING_REAL_SERVICES = bool(
    os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")
)

# The session's demo handbook is translated into these locales, and only its
# handbook page, snippets and chapter 1: every other locale and page would add
# minutes per session, and the tests of fallbacks need locales and chapters
# without translations. `make run` loads everything the files translate.
TEST_DEMO_LOCALES = ("en", "ar", "de-x-ls")
TEST_DEMO_CHAPTERS = (1,)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo handbook once per session; tests roll back around it."""
    from django.core.cache import cache

    from cms.demo.loader import demo_handbook_load

    # With Redis, API bodies cached by an earlier session outlive its database. A
    # fresh database repeats the same ids, so the same ETags, and a listing would
    # be answered with the earlier session's body (seen: a stale artifact sha256).
    cache.clear()
    with django_db_blocker.unblock():
        demo_handbook_load(locales=TEST_DEMO_LOCALES, chapters=TEST_DEMO_CHAPTERS)


def subprocess_database_url() -> str:
    """A DATABASE_URL for subprocesses, pointing at the test database."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        raise RuntimeError("subprocesses cannot share the in-memory SQLite test DB")
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    host = s["HOST"] or "127.0.0.1"
    port = s["PORT"] or "5432"
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


# The session's webhook receiver address and secret. The worker process reads them
# from its environment; tests that push (tests/exports) configure the same values
# in the test process and start the reference receiver on this port.
WEBHOOK_PORT = None
WEBHOOK_SECRET = (
    "whsec_" + base64.b64encode(b"wegweiser-test-secret-0123456789").decode()
)


def webhook_url() -> str:
    global WEBHOOK_PORT
    if WEBHOOK_PORT is None:
        WEBHOOK_PORT = free_port()
    return f"http://127.0.0.1:{WEBHOOK_PORT}/webhooks/wegweiser"


class WorkerProcess:
    """The session's Celery worker and its log; tests may kill and restart it."""

    def __init__(self, env: dict, log: Path) -> None:
        self.env = env
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        # When a test last killed it: what it had reserved then never finishes.
        self.killed_at = 0.0

    def start(self, *, purge: bool) -> None:
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "cms", "worker",
                    "--pool=solo", "--loglevel=INFO",
                    *(["--purge"] if purge else []),
                    "--hostname=pytest-worker@%h",
                ],
                cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while self.log.read_text().count("ready.") < self.starts + 1:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.proc.kill()
                tail = self.log.read_text()[-3000:]
                pytest.fail(f"Celery worker did not start:\n{tail}")
            time.sleep(0.2)
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a pulled plug would."""
        self.proc.kill()
        self.proc.wait(timeout=20)
        self.killed_at = time.time()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def finished(self, task_name: str) -> int:
        """How many ``task_name`` tasks have finished (succeeded or failed)."""
        text = self.log.read_text()
        pattern = re.escape(task_name) + r"\[[^\]]+\] (succeeded|raised)"
        return len(re.findall(pattern, text))


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """One real Celery worker process for the session (only with real services)."""
    if not USING_REAL_SERVICES:
        pytest.skip("a real worker needs REDIS_URL and DATABASE_URL")
    with django_db_blocker.unblock():
        database_url = subprocess_database_url()
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    log.touch()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "WEBSITE_WEBHOOK_URL": webhook_url(),
        "WEBSITE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "WEBSITE_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
    }
    global RUNNING_WORKER
    worker = WorkerProcess(env, log)
    worker.start(purge=True)
    RUNNING_WORKER = worker
    yield worker
    RUNNING_WORKER = None
    worker.stop()


# The session's worker once a test has started it; see ``worker_idle``.
RUNNING_WORKER: WorkerProcess | None = None


# How long a test's teardown waits for the worker before flushing anyway.
WORKER_IDLE_TIMEOUT = 15


def worker_idle() -> bool:
    """No task waits in the broker and none is running.

    With late acks a running task's message sits in kombu's ``unacked_index``
    (scored by delivery time) until it finishes. A killed worker's entry stays
    there for the visibility timeout, so only entries since the last kill and
    within the last two minutes count (longer than any task the tests run).

    A task sent with a countdown (a print build after its window, a delivery's
    retry) sits there too, reserved but not running, until its time comes. One due
    after the teardown would give up waiting anyway is not waited for: it cannot
    be writing now, and waiting for it only cost each test the whole timeout.
    """
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    if client.llen("celery"):
        return False
    # Reserved by a worker a test killed: never acked, and nobody is writing.
    since = max(time.time() - 120, RUNNING_WORKER.killed_at if RUNNING_WORKER else 0)
    reserved = client.zrangebyscore("unacked_index", since, "+inf")
    if not reserved:
        return True
    not_before = time.time() + WORKER_IDLE_TIMEOUT
    return all(
        _due_after(message, not_before) for message in client.hmget("unacked", reserved)
    )


def _due_after(unacked: bytes | None, moment: float) -> bool:
    """Whether a reserved message's ETA is later than ``moment`` (a timestamp)."""
    if unacked is None:  # acked since the index was read
        return True
    message = json.loads(unacked)[0]
    eta = (message.get("headers") or {}).get("eta")
    if not eta:
        return False
    return datetime.fromisoformat(eta).timestamp() > moment


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout: float = 60, interval: float = 0.2) -> bool:
    """Poll ``condition`` until it is true or ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


@pytest.fixture
def demo_handbook(db):
    """The German demo handbook loaded for the session."""
    from wagtail.models import Locale

    from cms.pages.models import HandbookPage

    return HandbookPage.objects.get(
        locale=Locale.get_default(), slug="handbuch-integration"
    )


@pytest.fixture
def wagtail_tree(transactional_db):
    """For transactional tests: the rows Wagtail's migrations create.

    Transactional tests flush every table afterwards, including the tree root, the
    root collection and the locales, so whichever runs later puts them back.
    """
    from wagtail.models import Collection, Locale, Page, Site

    from cms.services import locales_ensure_configured

    # Wagtail caches the sites' root paths; after a flush they name deleted sites.
    Site.clear_site_root_paths_cache()
    locales_ensure_configured()
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(
            instance=Page(title="Root", slug="root", locale=Locale.get_default())
        )
    yield
    # The flush after the test locks every table; a worker still writing would
    # deadlock with it and leave rows for the next test. Let it finish first.
    if RUNNING_WORKER is not None and RUNNING_WORKER.proc.poll() is None:
        wait_until(worker_idle, timeout=WORKER_IDLE_TIMEOUT)


# --- Browser tests ----------------------------------------------------------------
# One headless chromium per session, shared by every browser test: Playwright's sync
# API allows one instance per thread at a time.

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a closed network: no background calls home, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def admin_browser_page(
    browser,
    live_server,
    username: str,
    *,
    password: str = "ein-langes-passwort",
    locale: str | None = "de-DE",
    width: int = 1280,
):
    """A headless browser page logged in to the Wagtail admin; closed afterwards."""
    options = {"viewport": {"width": width, "height": 900}}
    if locale:
        options["locale"] = locale
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
