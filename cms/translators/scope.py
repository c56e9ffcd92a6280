"""Which locales an admin request acts on, and whether the user's role covers them.

Wagtail scopes pages to a locale through the page permissions on each locale's
roots, but wagtail-localize's own views (the translation editor's REST endpoints,
PO download and upload, machine translation, stop, convert to alias, submit and
sync) check only Wagtail's page or *snippet type* permissions. A snippet type
permission covers every locale, so without this module a translator for ``ar``
could write the strings of a ``fa`` glossary term. The middleware in
:mod:`cms.translators.middleware` asks :func:`locale_action_for` what a request
touches and :func:`locales_refused_for` whether the user may.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import ResolverMatch
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from cms.locales import SOURCE_LOCALE
from cms.translators.selectors import role_locale_codes_for


@dataclass(frozen=True)
class LocaleAction:
    """The locales one admin request writes into (or reads a translation of)."""

    locales: frozenset[str]
    # A submission or a sync: it hands translation work out to ``locales``.
    hands_out_work: bool = False


def _translation_target(kwargs: dict, request: HttpRequest) -> LocaleAction | None:
    translation = (
        Translation.objects.filter(pk=kwargs["translation_id"])
        .select_related("target_locale")
        .first()
    )
    if translation is None:
        return None
    return LocaleAction(frozenset({translation.target_locale.language_code}))


def _page_named(kwarg: str) -> Callable[[dict, HttpRequest], LocaleAction | None]:
    """The locale of the page whose id is in URL argument ``kwarg``."""

    def resolve(kwargs: dict, request: HttpRequest) -> LocaleAction | None:
        page = Page.objects.filter(pk=kwargs[kwarg]).select_related("locale").first()
        if page is None:
            return None
        return LocaleAction(frozenset({page.locale.language_code}))

    return resolve


_page = _page_named("page_id")


def _chosen_locales(request: HttpRequest) -> frozenset[str]:
    if request.method != "POST":
        return frozenset()
    ids = [i for i in request.POST.getlist("locales") if i.isdigit()]
    return frozenset(
        Locale.objects.filter(pk__in=ids).values_list("language_code", flat=True)
    )


def _submission(kwargs: dict, request: HttpRequest) -> LocaleAction | None:
    # The object submitted is only read; the translations go to the chosen locales
    # (none yet while the form is shown).
    return LocaleAction(_chosen_locales(request), hands_out_work=True)


def _sync(kwargs: dict, request: HttpRequest) -> LocaleAction | None:
    source = (
        TranslationSource.objects.filter(pk=kwargs["translation_source_id"])
        .select_related("locale")
        .first()
    )
    if source is None:
        return None
    # A sync re-extracts the source for, and may publish, every translation of it.
    targets = source.translations.filter(enabled=True).values_list(
        "target_locale__language_code", flat=True
    )
    return LocaleAction(frozenset(targets), hands_out_work=True)


# Every wagtail-localize view that changes or reveals one translation, by URL name;
# Wagtail's page views that change a page (wagtail-localize's editor takes over the
# edit view of translated pages; its restart and convert-to-alias actions are posted
# there), and the offline files of cms.translators. Page permissions already keep
# translators out of other locales' pages: listing these views here gives every
# refusal the same answer, one that names the locale. The reports, histories and
# the snippet chooser API only read, across locales, and are left out.
LOCALE_ACTIONS: dict[str, Callable[[dict, HttpRequest], LocaleAction | None]] = {
    "wagtail_localize:edit_string_translation": _translation_target,
    "wagtail_localize:edit_override": _translation_target,
    "wagtail_localize:download_pofile": _translation_target,
    "wagtail_localize:upload_pofile": _translation_target,
    "wagtail_localize:machine_translate": _translation_target,
    "wagtail_localize:preview_translation": _translation_target,
    "wagtail_localize:stop_translation": _translation_target,
    "wagtail_localize:convert_to_alias": _page,
    "wagtail_localize:submit_page_translation": _submission,
    "wagtail_localize:submit_snippet_translation": _submission,
    "wagtail_localize:update_translations": _sync,
    "wagtailadmin_pages:edit": _page,
    "wagtailadmin_pages:preview_on_edit": _page,
    "wagtailadmin_pages:add": _page_named("parent_page_id"),
    "wagtailadmin_pages:add_subpage": _page_named("parent_page_id"),
    "wagtailadmin_pages:delete": _page,
    "wagtailadmin_pages:unpublish": _page,
    "wagtailadmin_pages:convert_alias": _page,
    "wagtailadmin_pages:copy": _page,
    "wagtailadmin_pages:move": _page_named("page_to_move_id"),
    "wagtailadmin_pages:set_privacy": _page,
    "wagtailadmin_pages:lock": _page,
    "wagtailadmin_pages:unlock": _page,
    "wagtailadmin_pages:revisions_revert": _page,
    "wagtailadmin_pages:revisions_unschedule": _page,
    "translators:offline": _page,
    "translators:offline_download": _page,
    "translators:offline_upload": _page,
}


def locale_action_for(
    *, match: ResolverMatch | None, request: HttpRequest
) -> LocaleAction | None:
    """What the request acts on, or None if the URL is not locale-scoped here
    (or names an object that does not exist: the view answers 404 then)."""
    if match is None:
        return None
    resolve = LOCALE_ACTIONS.get(match.view_name)
    return resolve(match.kwargs, request) if resolve is not None else None


def locales_refused_for(*, user, action: LocaleAction) -> list[str]:
    """The locales of ``action`` the user's role does not cover (empty: allowed).

    Users without a role group (and superusers) are not restricted here. The
    editors of the German source hand work out to every locale, so the targets of
    their submissions and syncs are theirs to choose; a translator's are not.
    """
    codes = role_locale_codes_for(user=user)
    if codes is None or (action.hands_out_work and SOURCE_LOCALE in codes):
        return []
    return sorted(action.locales - codes)
