import os
import sys
import threading
from pathlib import Path
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

        if _serves_web():
            # The first panel check would otherwise wait for HanTa's model (about
            # 1.5 s); load it beside the start-up instead.
            from cms.plain_language.morphology import morphology_warm

            threading.Thread(
                target=morphology_warm, name="hanta-warm-up", daemon=True
            ).start()


def _serves_web() -> bool:
    # A web server process (not tests, migrations or one-off commands).
    program = Path(sys.argv[0]).name if sys.argv else ""
    if program in {"gunicorn", "uvicorn", "uwsgi", "daphne"}:
        return True
    if sys.argv[1:2] != ["runserver"]:
        return False
    # runserver's autoreloader: only the child that serves requests.
    return os.environ.get("RUN_MAIN") == "true" or "--noreload" in sys.argv
