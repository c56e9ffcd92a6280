"""Names and permission sets of the locale-scoped roles.

Wagtail has no per-locale page permission. Every locale has its own copy of the
handbook root under the tree root, so a page permission on the roots of one locale
is a permission on that locale: that is how the roles below are scoped.
"""

from __future__ import annotations

from cms.locales import SOURCE_LOCALE

EDITORS_GROUP_PREFIX = "Editors "
TRANSLATORS_GROUP_PREFIX = "Translators "

# Page permissions (wagtailcore codenames) per role, granted on the locale's roots.
EDITOR_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
# Translating a page means editing its translation and publishing it.
TRANSLATOR_PAGE_PERMISSIONS = ("change_page", "publish_page")

# Model permissions ("app_label.codename") per role.
COMMON_PERMISSIONS = ("wagtailadmin.access_admin",)
TRANSLATABLE_SNIPPET_MODELS = (
    "snippets.topic",
    "snippets.organisation",
    "snippets.contact",
    "snippets.glossaryterm",
    "images.imagealttext",
)
EDITOR_PERMISSIONS = (
    *COMMON_PERMISSIONS,
    "wagtail_localize.submit_translation",
    *(
        f"{model.split('.')[0]}.{action}_{model.split('.')[1]}"
        for model in (*TRANSLATABLE_SNIPPET_MODELS, "snippets.municipality")
        for action in ("add", "change", "delete")
    ),
    # Editors of the source see what reached the website and can send failed
    # deliveries again (Website delivery in the admin).
    "exports.view_webhookdelivery",
    "exports.replay_webhookdelivery",
    # … and check and rebuild the files of every file channel (Druckausgabe,
    # E-Books … in the admin).
    "exports.view_artifactbuild",
    "exports.rebuild_artifactbuild",
)
# Translators edit translated snippets; the before_edit_snippet hook keeps them to
# the rows of their own locale.
TRANSLATOR_PERMISSIONS = (
    *COMMON_PERMISSIONS,
    *(
        f"{model.split('.')[0]}.change_{model.split('.')[1]}"
        for model in TRANSLATABLE_SNIPPET_MODELS
    ),
)


# Whoever keeps the signed consent forms (often the data-protection officer's
# office) records and withdraws consents; choosing a portrait's record also needs
# the page permission of *Editors de*.
CONSENT_GROUP = "Einwilligungen"
CONSENT_PERMISSIONS = (
    *COMMON_PERMISSIONS,
    "pages.view_portraitconsent",
    "pages.add_portraitconsent",
    "pages.change_portraitconsent",
)


def group_name_for(locale_code: str) -> str:
    """``Editors de`` for the source locale, ``Translators <code>`` for the rest."""
    if locale_code == SOURCE_LOCALE:
        return EDITORS_GROUP_PREFIX + locale_code
    return TRANSLATORS_GROUP_PREFIX + locale_code


def locale_code_of_group(name: str) -> str | None:
    """The locale a role group is scoped to, or None for any other group."""
    for prefix in (EDITORS_GROUP_PREFIX, TRANSLATORS_GROUP_PREFIX):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return None
