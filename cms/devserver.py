"""`make run`: the web server and a Celery worker side by side, stopped together.

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

    processes = [
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
        "  Press Ctrl-C to stop both.\n",
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
    names = ("web server", "Celery worker")
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
