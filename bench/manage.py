"""Running ``manage.py`` for a bench part, in the part's own environment."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def manage(*args: str, env: Mapping[str, str]) -> str:
    """Run ``manage.py <args>`` with ``env``; its stdout, or CalledProcessError."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=dict(env),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
