from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """The pipeline app; channels are packages inside it, wired up through the
    registry so that this file names none of them."""

    name = "exports"
    verbose_name = _("Exports")
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self) -> None:
        super().import_models()
        from exports.channels import channel_modules_import

        # A channel's tables belong to this app (one migration history), but only
        # its package knows them: import each configured channel's ``models``.
        channel_modules_import("models")

    def ready(self) -> None:
        from celery import current_app

        from exports import signals
        from exports.artifacts import artifacts_withdraw
        from exports.channels import (
            channel_modules_import,
            channels,
            channels_beat_schedule,
            channels_check_roots,
            channels_notify,
        )
        from exports.services import content_events_recorded

        signals.connect()
        # Loading the channels here makes a misconfigured one stop start-up.
        for channel in channels().values():
            channel.ready()
        channels_check_roots()
        # Each channel's tasks register with Celery under their stable names.
        channel_modules_import("tasks")
        # The beat entries of the settings win over a channel's of the same name.
        current_app.conf.beat_schedule = {
            **channels_beat_schedule(),
            **(current_app.conf.beat_schedule or {}),
        }
        content_events_recorded.connect(
            lambda sender, events, **kw: channels_notify(events),
            weak=False,
            dispatch_uid="exports-channels-notify",
        )
        # Files that may show a withdrawn portrait or a private page go at once.
        content_events_recorded.connect(
            lambda sender, events, **kw: artifacts_withdraw(events=events),
            weak=False,
            dispatch_uid="exports-artifacts-withdraw",
        )
