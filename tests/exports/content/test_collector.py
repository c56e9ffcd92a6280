"""Building print data sets off no garbage collection (exports.content.collector).

A full collection during a build walks every object of the worker (60–200 ms); it
fell on whichever locale was building when the old generation had grown enough.
"""

from __future__ import annotations

import gc

import pytest

from exports.content.collector import collector_paused
from exports.print.data import print_source


def test_building_print_data_runs_no_collection(demo_handbook):
    collections: list[int] = []

    def record(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(record)
    try:
        source = print_source("fa", handbook=demo_handbook)
    finally:
        gc.callbacks.remove(record)

    assert source.data["chapters"]
    # None while the tree was alive; at most the one young collection that runs
    # when the collector is back, after the tree is gone.
    assert collections in ([], [0])
    assert gc.isenabled()


def test_the_collector_runs_again_after_a_failed_build():
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("the build failed")

    assert gc.isenabled()


def test_a_collector_switched_off_by_the_process_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
