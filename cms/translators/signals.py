"""Signal handlers: thin, they call services."""

from django.apps import apps
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver
from wagtail.models import Page

from cms.translators.services import role_groups_ensure, role_permissions_grant_on_root


@receiver(post_save)
def grant_role_on_new_locale_root(sender, instance, created, raw=False, **kwargs):
    # A handbook translated into a new locale gets a new root in that locale; its
    # translators must be able to reach it without anyone re-running a command.
    if created and not raw and isinstance(instance, Page) and instance.depth == 2:
        role_permissions_grant_on_root(page=instance)


def ensure_role_groups(**kwargs):
    role_groups_ensure()


# After wagtailcore's migrations (and those of every app listed before it, whose
# permissions the roles use), like the locales in cms.apps.
post_migrate.connect(
    ensure_role_groups, sender=apps.get_app_config("wagtailcore"), weak=False
)
