from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Exports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from exports import signals
        from exports.channels import channels, channels_notify
        from exports.services import content_events_recorded

        signals.connect()
        # Loading the channels here makes a misconfigured one stop start-up.
        channels()
        content_events_recorded.connect(
            lambda sender, events, **kw: channels_notify(events),
            weak=False,
            dispatch_uid="exports-channels-notify",
        )
