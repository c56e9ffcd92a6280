"""Benchmarks: ``make bench`` runs every part; ``python -m bench api`` runs one.

Each part is a module ``bench/<part>.py`` with ``run() -> dict``; the runner writes
the result to ``bench/results/<part>.json`` and the part prints its own table. A part
that cannot measure on this checkout raises :class:`PartUnavailable`.
"""


class PartUnavailable(RuntimeError):
    """A part cannot run here; the message says what is missing.

    The runner prints it, goes on with the other parts and exits non-zero, so a
    missing prerequisite is never mistaken for a result.
    """
