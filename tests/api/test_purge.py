"""The frontend-cache purge gives up on a purger that never answers."""

from __future__ import annotations

import socket
import threading

from cms.api.purge import purge_frontend_cache_task


def test_a_purger_that_never_answers_does_not_hold_the_worker(settings, caplog):
    # A real socket that accepts connections and never says a word.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    settings.WAGTAILFRONTENDCACHE = {
        "website": {
            "BACKEND": "cms.api.purge.TimedHTTPBackend",
            "LOCATION": f"http://127.0.0.1:{port}",
            "TIMEOUT": 0.5,
        }
    }
    purge = threading.Thread(
        target=purge_frontend_cache_task,
        args=(["https://handbuch.example.org/api/v1/pages/1/?locale=de"],),
        daemon=True,
    )
    try:
        purge.start()
        purge.join(30)  # without a timeout the thread would still be waiting
        assert not purge.is_alive()
    finally:
        silent.close()
    assert "Purging https://handbuch.example.org/api/v1/pages/1/" in caplog.text
    assert purge_frontend_cache_task.time_limit
    assert purge_frontend_cache_task.soft_time_limit
