"""Write operations of the translators' workflow (Django-Styleguide services).

Roles: one group per content locale, scoped through page permissions on that
locale's tree roots. Offline files: importing PO/XLIFF uploads into
wagtail-localize's StringTranslations.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
)

from cms.locales import SOURCE_LOCALE
from cms.translators.roles import (
    EDITOR_PAGE_PERMISSIONS,
    EDITOR_PERMISSIONS,
    TRANSLATOR_PAGE_PERMISSIONS,
    TRANSLATOR_PERMISSIONS,
    group_name_for,
)

logger = logging.getLogger(__name__)

IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")


def _permissions(labels: tuple[str, ...]) -> list[Permission]:
    found = []
    for label in labels:
        app_label, codename = label.split(".")
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is None:
            # Only while migrating an app whose permissions aren't created yet;
            # the next migrate (or ensure_translator_roles) adds it.
            logger.warning("permission %s does not exist yet; skipped", label)
            continue
        found.append(permission)
    return found


def _page_permissions(codenames: tuple[str, ...]) -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        )
    )


def locale_roots(locale: Locale) -> list[Page]:
    """The topmost pages of one locale: its copies of the handbook roots."""
    return list(Page.objects.filter(depth=2, locale=locale))


def role_permissions_grant_on_root(*, page: Page) -> int:
    """Give the role group of ``page``'s locale its permissions on ``page``.

    Called for every page created at the top of the tree (a new handbook or its
    translation into a locale), so a locale's group covers pages created after the
    group itself. Returns how many permissions were added.
    """
    if page.depth != 2:
        return 0
    code = page.locale.language_code
    group = Group.objects.filter(name=group_name_for(code)).first()
    if group is None:
        return 0
    codenames = (
        EDITOR_PAGE_PERMISSIONS
        if code == SOURCE_LOCALE
        else TRANSLATOR_PAGE_PERMISSIONS
    )
    added = 0
    for permission in _page_permissions(codenames):
        _, created = GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission
        )
        added += created
    return added


@transaction.atomic
def role_groups_ensure() -> list[Group]:
    """Create or complete ``Editors de`` and ``Translators <code>`` (idempotent).

    One group per configured content locale, with model permissions and page
    permissions on that locale's roots. Permissions an administrator added by hand
    are left alone; groups of locales no longer configured are left alone too.
    """
    groups = []
    root_collection = Collection.get_first_root_node()
    for content_locale in settings.WEGWEISER_LOCALES:
        code = content_locale.code
        group, _ = Group.objects.get_or_create(name=group_name_for(code))
        is_source = code == SOURCE_LOCALE
        group.permissions.add(
            *_permissions(EDITOR_PERMISSIONS if is_source else TRANSLATOR_PERMISSIONS)
        )
        if is_source and root_collection is not None:
            for permission in Permission.objects.filter(
                content_type__app_label="wagtailimages", codename__in=IMAGE_PERMISSIONS
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        locale = Locale.objects.filter(language_code=code).first()
        if locale is not None:
            for root in locale_roots(locale):
                role_permissions_grant_on_root(page=root)
        groups.append(group)
    return groups
