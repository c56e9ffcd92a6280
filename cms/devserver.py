"""`make run`: web server, Celery worker (with beat) and the reference webhook
receiver side by side, stopped together.

Runs on the embedded SQLite database and the filesystem broker unless DATABASE_URL /
REDIS_URL say otherwise.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev"}
    python = sys.executable
    var_dir = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
    password_file = var_dir / "dev-admin-password"
    password = password_file.read_text().strip() if password_file.exists() else "?"
    broker = "Redis" if os.environ.get("REDIS_URL") else f"embedded ({var_dir}/broker)"
    receiver_port = os.environ.get("RECEIVER_PORT", "8010")
    secret_file = var_dir / "dev-webhook-secret"
    receiver_env = {**env, "WEBSITE_WEBHOOK_SECRET": secret_file.read_text().strip()}

    processes = [
        # First, so the demo handbook's pushes find it listening.
        subprocess.Popen(
            [
                python,
                "manage.py",
                "webhook_receiver",
                "--host",
                "127.0.0.1",
                "--port",
                receiver_port,
                "--store",
                str(var_dir / "receiver"),
            ],
            cwd=BASE_DIR,
            env=receiver_env,
        ),
        subprocess.Popen(
            [python, "manage.py", "runserver", "--noreload", f"{host}:{port}"],
            cwd=BASE_DIR,
            env=env,
        ),
        subprocess.Popen(
            [
                python,
                "-m",
                "celery",
                "-A",
                "cms",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--pool",
                "threads",
                # Embedded beat: the sweep that re-sends due deliveries every 30 s.
                "--beat",
                "--schedule",
                str(var_dir / "celerybeat-schedule"),
            ],
            cwd=BASE_DIR,
            env=env,
        ),
    ]
    base = f"http://{host}:{port}"
    print(
        "\n"
        "  Wegweiser is starting.\n"
        f"    Admin:    {base}/admin/   (user 'admin', password '{password}')\n"
        f"    Health:   {base}/healthz\n"
        f"    Worker:   Celery, broker {broker}\n"
        f"    Webhooks: http://127.0.0.1:{receiver_port}/   (what the website "
        "would receive)\n"
        f"    API:      {base}/api/v1/   (docs: {base}/api/v1/docs/)\n"
        f"    Print:    {base}/admin/print/   (the PDFs, built by the worker)\n"
        "  Press Ctrl-C to stop all.\n",
        flush=True,
    )

    def stop(*_args: object) -> None:
        for proc in processes:
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(proc.poll() is None for proc in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for proc in processes:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    names = ("webhook receiver", "web server", "Celery worker")
    failed = [
        name
        for name, proc in zip(names, processes, strict=True)
        if proc.returncode not in (0, -signal.SIGTERM, None)
    ]
    if failed:
        print(
            f"\n  Stopped: the {' and the '.join(failed)} exited with an error (above)."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
