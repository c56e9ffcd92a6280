"""Read operations of the translators' workflow (Django-Styleguide selectors)."""

from __future__ import annotations

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
