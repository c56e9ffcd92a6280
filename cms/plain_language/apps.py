from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlainLanguageConfig(AppConfig):
    """Leichte Sprache checks and the target-group review step."""

    name = "cms.plain_language"
    label = "plain_language"
    verbose_name = _("Leichte Sprache")

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from wagtail.models import Page

        from cms.plain_language.services import plain_language_workflow_assign

        def assign_workflow(
            sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
        ) -> None:
            # A handbook newly translated into de-x-ls gets a new root there; its
            # pages must go through the Prüfgruppe without anyone running a command.
            if created and not raw and isinstance(instance, Page):
                plain_language_workflow_assign(page=instance)

        post_save.connect(assign_workflow, dispatch_uid="plain-language-workflow")
