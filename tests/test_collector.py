"""The garbage collector around builds and in long-lived processes (cms.collector).

A full collection during a build walks every object of the worker (60–200 ms); it
fell on whichever locale was building when the old generation had grown enough.
Builds pause the collector; the web server and the worker freeze what they loaded
at start-up, so later full collections no longer walk it.
"""

from __future__ import annotations

import gc
import weakref

import pytest

from cms.collector import collector_paused, collector_spares_start_up
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


class _Cycle:
    """An object that refers to itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_start_up_leaves_what_is_loaded_out_of_later_collections():
    left_over = _Cycle()
    left_over_ref = weakref.ref(left_over)
    del left_over
    walked_before = len(gc.get_objects())

    collector_spares_start_up()
    try:
        # Garbage from before start-up was collected, not kept for ever …
        assert left_over_ref() is None
        # … and a full collection now walks only what came after (pytest,
        # Django, Wagtail and the project stay out of it).
        assert len(gc.get_objects()) < walked_before / 10
        later = _Cycle()
        later_ref = weakref.ref(later)
        del later
        gc.collect()
        assert later_ref() is None  # what comes later is still collected
    finally:
        gc.unfreeze()
