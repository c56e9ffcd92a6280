"""Benchmarks: ``make bench`` runs every part; ``python -m bench api`` runs one.

Each part is a module ``bench/<part>.py`` with ``run() -> dict``; the runner writes
the result to ``bench/results/<part>.json`` and the part prints its own table.
"""
