"""Machine translation settings from the environment.

Imported by the settings, so it must not import Django models. wagtail-localize
loads the translator named in ``WAGTAILLOCALIZE_MACHINE_TRANSLATOR``; segments it
fills are stored with ``translation_type="machine"`` and shown as such.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

MACHINE_TRANSLATORS = {
    "deepl": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
    "libretranslate": (
        "wagtail_localize.machine_translators.libretranslate.LibreTranslator"
    ),
}


def machine_translator_setting(
    *,
    name: str,
    deepl_auth_key: str = "",
    libretranslate_url: str = "",
    libretranslate_api_key: str = "",
    timeout: int = 10,
) -> dict[str, Any] | None:
    """``WAGTAILLOCALIZE_MACHINE_TRANSLATOR`` for ``MACHINE_TRANSLATOR=name``.

    An empty name turns machine translation off. A name without its key or URL
    stops start-up with a message that says which variable is missing.
    """
    name = name.strip().lower()
    if not name:
        return None
    if name not in MACHINE_TRANSLATORS:
        raise ImproperlyConfigured(
            f"MACHINE_TRANSLATOR={name!r} is not known; use one of: "
            f"{', '.join(MACHINE_TRANSLATORS)} (or leave it empty)"
        )
    if name == "deepl":
        if not deepl_auth_key:
            raise ImproperlyConfigured("MACHINE_TRANSLATOR=deepl needs DEEPL_AUTH_KEY")
        options: dict[str, Any] = {"AUTH_KEY": deepl_auth_key, "TIMEOUT": timeout}
    else:
        if not libretranslate_url:
            raise ImproperlyConfigured(
                "MACHINE_TRANSLATOR=libretranslate needs LIBRETRANSLATE_URL "
                "(e.g. http://127.0.0.1:5000)"
            )
        options = {
            "LIBRETRANSLATE_URL": libretranslate_url.rstrip("/"),
            "API_KEY": libretranslate_api_key,
            "TIMEOUT": timeout,
        }
    return {"CLASS": MACHINE_TRANSLATORS[name], "OPTIONS": options}
