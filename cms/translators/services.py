"""Write operations of the translators' workflow (Django-Styleguide services).

Roles: one group per content locale, scoped through page permissions on that
locale's tree roots. Offline files: importing PO/XLIFF uploads into
wagtail-localize's StringTranslations.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
)
from wagtail_localize.models import (
    String,
    StringSegment,
    StringTranslation,
    Translation,
)

from cms.locales import SOURCE_LOCALE
from cms.translators.offline import (
    OfflineFileError,
    OfflineUnit,
    bundle_from_upload,
    po_target,
)
from cms.translators.roles import (
    CONSENT_GROUP,
    CONSENT_PERMISSIONS,
    EDITOR_PAGE_PERMISSIONS,
    EDITOR_PERMISSIONS,
    TRANSLATOR_PAGE_PERMISSIONS,
    TRANSLATOR_PERMISSIONS,
    group_name_for,
)
from cms.translators.selectors import offline_bundle_for, offline_translations_for

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
        __, created = GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission
        )
        added += created
    return added


@transaction.atomic
def role_groups_ensure() -> list[Group]:
    """Create or complete ``Editors de``, ``Translators <code>`` and
    ``Einwilligungen`` (idempotent).

    One group per configured content locale, with model permissions and page
    permissions on that locale's roots. Permissions an administrator added by hand
    are left alone; groups of locales no longer configured are left alone too.
    """
    groups = []
    root_collection = Collection.get_first_root_node()
    for content_locale in settings.WEGWEISER_LOCALES:
        code = content_locale.code
        group, __ = Group.objects.get_or_create(name=group_name_for(code))
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
    # Not scoped to a locale: a consent record belongs to the person.
    consent_group, __ = Group.objects.get_or_create(name=CONSENT_GROUP)
    consent_group.permissions.add(*_permissions(CONSENT_PERMISSIONS))
    groups.append(consent_group)
    return groups


# --- Offline files ------------------------------------------------------------------


@dataclass
class OfflineImportResult:
    """What an upload did, for the message the translator sees."""

    imported: int = 0
    unchanged: int = 0
    left_empty: int = 0
    needs_review_skipped: int = 0
    with_errors: list[str] = field(default_factory=list)
    # One message per entry that was not stored (the editor's rules, or a newer
    # translation in the database).
    refused: list[str] = field(default_factory=list)


def offline_file_import(
    *, page: Page, user, data: bytes, overwrite_newer: bool = False
) -> OfflineImportResult:
    """Import an uploaded PO or XLIFF file into ``page``'s translations.

    Everything is checked before anything is written, and then written in one
    transaction: a file for another page or locale, a malformed file, or one made
    from an older German text (its source was re-extracted since) is refused with
    :class:`OfflineFileError`. Empty targets never delete a translation, and
    entries still marked for review (PO ``fuzzy``, XLIFF ``state="initial"``) are
    not imported unless they match what is stored.

    Each entry is then held to the rules the translation editor applies: no longer
    than its field allows, and no markup but the German text's own (``<b>``,
    ``<a id="a1">``…). An entry whose stored translation was saved after the file
    was made is newer than the file's and stays, unless ``overwrite_newer``. Each
    refused entry gets a message in ``refused``; the others are imported.
    """
    uploaded = bundle_from_upload(data)
    if uploaded.page_id != page.pk:
        other = Page.objects.filter(pk=uploaded.page_id).first()
        raise OfflineFileError(
            _(
                "this file was made for “%(other)s” (page %(other_id)s), not for "
                "“%(title)s” (page %(id)s): upload it on the page it was made for"
            )
            % {
                "other": other.title if other else "?",
                "other_id": uploaded.page_id,
                "title": page.title,
                "id": page.pk,
            }
        )
    code = page.locale.language_code
    if uploaded.locale != code:
        raise OfflineFileError(
            _(
                "this file translates into %(file_locale)s, but this page is in "
                "%(locale)s: upload it on the page in %(file_locale)s"
            )
            % {"file_locale": uploaded.locale, "locale": code}
        )
    current = offline_bundle_for(page=page, scope=uploaded.scope)
    current_parts = {p.translation_uuid: n for n, p in enumerate(current.parts, 1)}
    part_map: dict[int, int] = {}
    for n, part in enumerate(uploaded.parts, start=1):
        now = current_parts.get(part.translation_uuid)
        if now is None:
            raise OfflineFileError(
                _(
                    "part %(number)s of this file belongs to a translation that is "
                    "no longer part of this page: download a new file and copy your "
                    "translations into it"
                )
                % {"number": n}
            )
        fresh = current.parts[now - 1]
        if fresh.source_updated != part.source_updated:
            raise OfflineFileError(
                _(
                    "the German text of “%(title)s” changed after this file was "
                    "made (file: %(file_time)s, now: %(now)s). Nothing was "
                    "imported: download a new file and copy your translations "
                    "into it"
                )
                % {
                    "title": fresh.title,
                    "file_time": part.source_updated,
                    "now": fresh.source_updated,
                }
            )
        part_map[n] = now
    segments = {(u.part, u.path, u.source): u for u in current.units}
    for index, unit in enumerate(uploaded.units, start=1):
        key = (part_map.get(unit.part), unit.path, unit.source)
        if key not in segments:
            raise OfflineFileError(
                _(
                    "entry %(number)s (%(field)s) does not match the German text of "
                    "this page: was the source text in the file changed? Nothing "
                    "was imported: leave the German text (msgid, <source>) as it "
                    "was, or download a new file"
                )
                % {"number": index, "field": unit.path}
            )

    translations = offline_translations_for(page=page, scope=uploaded.scope)
    result = OfflineImportResult()
    with transaction.atomic():
        for unit in uploaded.units:
            stored = segments[(part_map[unit.part], unit.path, unit.source)]
            if not unit.target:
                result.left_empty += 1
                continue
            # Compared as the PO file carries it (see po_target).
            if po_target(unit.source, unit.target) == po_target(
                unit.source, stored.target
            ) and (unit.needs_review or not stored.needs_review):
                result.unchanged += 1
                continue
            if unit.needs_review:
                result.needs_review_skipped += 1
                continue
            translation = translations[part_map[unit.part] - 1]
            refusal = _entry_refusal(
                translation=translation,
                unit=unit,
                file_created=uploaded.created_at,
                overwrite_newer=overwrite_newer,
            )
            if refusal:
                result.refused.append(refusal)
                continue
            string_translation = _string_translation_save(
                translation=translation, unit=unit, user=user, data=unit.target
            )
            if string_translation.has_error:
                result.with_errors.append(unit.path)
            result.imported += 1
    return result


_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def _tags(html: str) -> set[str]:
    """The markup of a segment, each tag as written (whitespace normalised)."""
    return {" ".join(tag.split()) for tag in _TAG.findall(html)}


def _segment(translation: Translation, unit: OfflineUnit) -> StringSegment | None:
    return (
        StringSegment.objects.filter(
            source_id=translation.source_id,
            context__path=unit.path,
            string__data_hash=String._get_data_hash(unit.source),
        )
        .select_related("string", "context")
        .first()
    )


def _entry_refusal(
    *,
    translation: Translation,
    unit: OfflineUnit,
    file_created: str,
    overwrite_newer: bool,
) -> str | None:
    """Why ``unit`` may not be stored, in the translator's words; None if it may."""
    where = f"“{unit.source[:60]}” ({unit.path})"
    extra = sorted(_tags(unit.target) - _tags(unit.source))
    if extra:
        return _(
            "%(entry)s was not imported: the translation contains markup the editor "
            "does not allow here (%(tags)s). Use only the markup of the German text."
        ) % {"entry": where, "tags": ", ".join(extra)}
    model = translation.source.specific_content_type.model_class()
    if "." not in unit.path and model is not None:
        try:
            limit = getattr(model._meta.get_field(unit.path), "max_length", None)
        except FieldDoesNotExist:
            limit = None
        if limit and len(unit.target) > limit:
            return _(
                "%(entry)s was not imported: the translation has %(length)s "
                "characters, the field allows %(limit)s. Shorten it."
            ) % {"entry": where, "length": len(unit.target), "limit": limit}
    if file_created and not overwrite_newer:
        segment = _segment(translation, unit)
        stored = (
            StringTranslation.objects.filter(
                translation_of=segment.string,
                locale_id=translation.target_locale_id,
                context=segment.context,
            ).first()
            if segment
            else None
        )
        try:
            made = datetime.fromisoformat(file_created)
        except ValueError:
            made = None
        if stored is not None and made is not None and stored.updated_at > made:
            return _(
                "%(entry)s was not imported: the translation stored on %(stored)s "
                "is newer than this file (made %(made)s). Download a new file, or "
                "upload again with “overwrite newer translations” to replace it."
            ) % {
                "entry": where,
                "stored": stored.updated_at.strftime("%Y-%m-%d %H:%M"),
                "made": made.strftime("%Y-%m-%d %H:%M"),
            }
    return None


def _string_translation_save(
    *, translation: Translation, unit: OfflineUnit, user, data: str
) -> StringTranslation:
    segment = _segment(translation, unit)
    assert segment is not None  # matched against the stored segments before
    string_translation, __ = StringTranslation.objects.update_or_create(
        translation_of=segment.string,
        locale_id=translation.target_locale_id,
        context=segment.context,
        defaults={
            "data": data,
            "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            "tool_name": "Offline file",
            "last_translated_by": user,
            "has_error": False,
            "field_error": "",
        },
    )
    return string_translation
