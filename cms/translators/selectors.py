"""Read operations of the translators' workflow (Django-Styleguide selectors)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from cms.translators.offline import OfflineBundle, OfflinePart, OfflineUnit, Scope
from cms.translators.roles import locale_code_of_group


def role_locale_codes_for(*, user) -> set[str] | None:
    """The locales a user's role groups scope them to; None means unrestricted.

    Superusers and users in no role group are not restricted here (their page
    permissions decide). A member of ``Translators ar`` gets ``{"ar"}``.
    """
    if user.is_superuser:
        return None
    names = getattr(user, "_role_group_names", None)
    if names is None:
        names = list(user.groups.values_list("name", flat=True))
        user._role_group_names = names
    codes = {code for code in map(locale_code_of_group, names) if code is not None}
    return codes or None


# --- Offline files ------------------------------------------------------------------


def offline_translations_for(*, page: Page, scope: Scope) -> list[Translation]:
    """The enabled wagtail-localize Translations behind ``page`` (a translated page).

    ``scope="chapter"`` adds the translations of the page's descendants, in tree
    order. Pages authored directly in the locale (no Translation) are left out.
    """
    pages = [page] if scope == "page" else list(page.get_descendants(inclusive=True))
    order = {p.translation_key: i for i, p in enumerate(pages)}
    translations = Translation.objects.filter(
        source__object_id__in=order,
        target_locale_id=page.locale_id,
        enabled=True,
    ).select_related("source", "source__locale", "target_locale")
    return sorted(translations, key=lambda t: order[t.source.object_id])


def offline_bundle_for(*, page: Page, scope: Scope) -> OfflineBundle:
    """What an offline file for ``page`` holds now: every segment, with its
    current translation (errors included, so a translator sees and fixes them)."""
    translations = offline_translations_for(page=page, scope=scope)
    bundle = OfflineBundle(
        page_id=page.pk,
        locale=page.locale.language_code,
        source_locale=(
            translations[0].source.locale.language_code
            if translations
            else Locale.get_default().language_code
        ),
        scope=scope,
    )
    part_of_source = {}
    for n, translation in enumerate(translations, start=1):
        part_of_source[translation.source_id] = n
        bundle.parts.append(
            OfflinePart(
                translation_uuid=str(translation.uuid),
                source_updated=translation.source.last_updated_at.isoformat(),
                title=translation.source.object_repr,
            )
        )
    if not translations:
        return bundle
    machine = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=page.locale_id,
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
    )
    segments = (
        StringSegment.objects.filter(source_id__in=part_of_source)
        .annotate_translation(page.locale, include_errors=True)
        .annotate(is_machine=Exists(machine))
        .select_related("string", "context")
        .order_by("source_id", "order")
    )
    units = [
        OfflineUnit(
            part=part_of_source[segment.source_id],
            path=segment.context.path,
            source=segment.string.data,
            target=segment.translation or "",
            needs_review=segment.is_machine,
        )
        for segment in segments
    ]
    bundle.units = sorted(units, key=lambda u: u.part)
    return bundle
