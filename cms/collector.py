"""Python's cyclic garbage collector around builds and in long-lived processes.

Building a 200-page handbook allocates some 100,000 small objects (nodes, rich text
runs, a channel's dicts) that live exactly as long as the build. CPython's cyclic
garbage collector runs its young generations after every 700 net allocations; each
run finds the growing tree alive and promotes it, and once the old generation has
grown by a quarter, a full collection walks every object of the process (Django,
Wagtail and their caches: some 200,000) for 60–200 ms. That happened every second
or third build, on whichever locale was building at the time: in ``make bench
PARTS=print``, the Persian and Leichte Sprache print data of the 200-page handbook
took twice as long as the German.

The tree and the data built from it hold no reference cycles; reference counting
frees them as soon as the build lets go. ``collector_paused`` keeps the cyclic
collector off while a build holds its tree, so nothing of it is promoted. The few
thousand objects the ORM leaves in cycles (model instances and their caches) are
collected by the next ordinary collection after the build.

A long run of builds (a resync sends thousands of documents) uses
``collector_spares_loaded`` instead: collections still run, but no longer walk
what was loaded before the run.

The web server and the worker call ``collector_spares_start_up`` once, when they
have loaded what they keep until they exit: the young objects a build or a request
leaves behind are still collected, but a full collection no longer walks Django,
Wagtail and the project (80 ms for 206,000 objects on a 2-core machine, against a
few milliseconds after). The worker does it before it forks its pool, so its
processes share those pages of memory instead of each dirtying its own copy.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_spares_loaded() -> Iterator[None]:
    """Leave every object loaded before the block out of the collector's passes
    (``gc.freeze``) for a long run of builds, such as a resync: Django, Wagtail
    and the project live as long as the process, and each full collection would
    walk them all again. Processes forked inside the block inherit it."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def collector_spares_start_up() -> None:
    """In a long-lived process that has loaded Django, Wagtail and the project:
    collect once (so no garbage is kept), then leave every object alive now out
    of all later collections (``gc.freeze``). Processes forked later inherit it."""
    gc.collect()
    gc.freeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off for the block (a build from a
    tree); as it was afterwards. Nested use is fine."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
