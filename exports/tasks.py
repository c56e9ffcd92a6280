"""Celery wiring of the pipeline core; each channel's tasks live in its package.

The channels' ``tasks`` modules are imported at start-up through the registry
(``ExportsConfig.ready``), and their beat entries merged there.
"""

from __future__ import annotations

from celery.signals import worker_ready

from exports.channels import channels_worker_ready


@worker_ready.connect(dispatch_uid="exports-sweep-on-start")
def channels_catch_up_when_worker_starts(
    sender: object = None, **kwargs: object
) -> None:
    """A worker that starts catches up at once instead of waiting for beat.

    Each channel decides what that means (the website resends due deliveries,
    print builds locales that have no PDF yet).
    """
    channels_worker_ready()
