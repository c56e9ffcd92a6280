"""Production shape: settings pass Django's deploy checklist; compose services start.

There is no Docker engine here, so the compose test reads docker-compose.yml and runs
each Python service's command natively against the local PostgreSQL and Redis.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, USING_REAL_SERVICES, free_port, subprocess_database_url

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
VENV_BIN = Path(sys.executable).parent


def production_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="handbuch.example.org,127.0.0.1",
        PATH=f"{VENV_BIN}:{env.get('PATH', '')}",
        **extra,
    )
    return env


def deploy_check(**extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=production_env(**extra),
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_the_deploy_checklist():
    # includeSubDomains and preload are opt-in (a shared district domain): their
    # W005 and W021 are the deliberate exceptions, gone once the district opts in.
    result = deploy_check()
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (2 silenced)" in result.stdout
    opted_in = deploy_check(
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true"
    )
    assert "System check identified no issues (0 silenced)" in opted_in.stdout


def test_hsts_covers_only_this_host_unless_the_district_opts_in():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    run = [sys.executable, "-c", script]
    default = subprocess.run(
        run, cwd=REPO, env=production_env(), capture_output=True, text=True
    )
    assert default.stdout.split() == ["False", "False", "1"], default.stderr
    opted_in = subprocess.run(
        run,
        cwd=REPO,
        env=production_env(
            SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true"
        ),
        capture_output=True,
        text=True,
    )
    assert opted_in.stdout.split()[:2] == ["True", "True"], opted_in.stderr


def test_production_refuses_to_start_without_a_secret():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_compose_describes_the_production_services():
    services = COMPOSE["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        assert services[name]["env_file"] == ".env"
    assert services["web"]["command"][0] == "gunicorn"
    # The throttle and login lockout count clients behind the proxy (one: TLS).
    app = COMPOSE["x-app"]["environment"]
    assert app["API_NUM_PROXIES"] == "${API_NUM_PROXIES:-1}"
    assert "API_NUM_PROXIES=1" in (REPO / ".env.example").read_text()


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def _wait_for(check, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[0]} exited:\n{log.read_text()[-3000:]}")
        if check():
            return
        time.sleep(0.3)
    pytest.fail(f"{proc.args[0]} did not come up:\n{log.read_text()[-3000:]}")


def _healthcheck(service: str) -> list[str]:
    test = COMPOSE["services"][service]["healthcheck"]["test"]
    if test[0] == "CMD-SHELL":
        return ["sh", "-c", test[1].replace("$$", "$")]
    return test[1:]


@pytest.mark.skipif(
    not USING_REAL_SERVICES, reason="compose services need PostgreSQL and Redis"
)
def test_compose_services_come_up_natively(
    django_db_setup, django_db_blocker, tmp_path
):
    with django_db_blocker.unblock():
        database_url = subprocess_database_url()
    port = free_port()
    hostname = socket.gethostname()
    env = production_env(
        DATABASE_URL=database_url,
        REDIS_URL=os.environ["REDIS_URL"],
        SECURE_SSL_REDIRECT="false",
        HOSTNAME=hostname,
    )
    services = COMPOSE["services"]
    web_cmd = [
        f"--bind=127.0.0.1:{port}" if arg.startswith("--bind") else arg
        for arg in services["web"]["command"]
    ]
    beat_cmd = [
        arg.replace("/tmp/", f"{tmp_path}/") for arg in services["beat"]["command"]
    ]
    procs = {
        "web": _start(web_cmd, env, tmp_path / "web.log"),
        "worker": _start(services["worker"]["command"], env, tmp_path / "worker.log"),
        "beat": _start(beat_cmd, env, tmp_path / "beat.log"),
    }
    try:
        # web: the compose healthcheck, pointed at the port we bound.
        web_check = [
            a.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
            for a in _healthcheck("web")
        ]

        def web_healthy() -> bool:
            return (
                subprocess.run(web_check, env=env, capture_output=True).returncode == 0
            )

        _wait_for(web_healthy, procs["web"], tmp_path / "web.log")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.read() == b'{"status": "ok"}'

        # worker: the compose healthcheck pings it by name through Redis.
        def worker_healthy() -> bool:
            check = subprocess.run(
                _healthcheck("worker"), cwd=REPO, env=env, capture_output=True
            )
            return check.returncode == 0

        _wait_for(worker_healthy, procs["worker"], tmp_path / "worker.log", 90)

        # beat: the compose healthcheck reads its pidfile.
        beat_check = [a.replace("/tmp/", f"{tmp_path}/") for a in _healthcheck("beat")]

        def beat_healthy() -> bool:
            return subprocess.run(beat_check, capture_output=True).returncode == 0

        _wait_for(beat_healthy, procs["beat"], tmp_path / "beat.log")
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
