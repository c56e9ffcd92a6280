"""`python manage.py ensure_translator_roles`: the locale-scoped groups, again."""

from django.core.management.base import BaseCommand

from cms.plain_language.services import plain_language_workflow_ensure
from cms.translators.services import role_groups_ensure


class Command(BaseCommand):
    help = (
        "Create or complete the groups 'Editors de', 'Translators <code>' and "
        "'Einwilligungen' with "
        "their permissions on each locale's pages (safe to run again; migrate runs "
        "it too)."
    )

    def handle(self, *args, **options):
        groups = role_groups_ensure()
        # The Prüfgruppe Leichte Sprache and its workflow on the de-x-ls tree.
        workflow = plain_language_workflow_ensure()
        self.stdout.write(
            f"{len(groups)} role groups ready: {', '.join(g.name for g in groups)}; "
            f"workflow '{workflow.name}' on the de-x-ls pages"
        )
