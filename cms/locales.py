"""Content locales: the languages the handbook is published in, and their fallbacks.

This module is imported by the settings, so it must not import Django models, and
reads ``settings.WEGWEISER_LOCALES`` only when called (through the lazy settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language_info

SOURCE_LOCALE = "de"
SIMPLE_LOCALE = "de-x-ls"

DEFAULT_CONTENT_LOCALES = ["de", "de-x-ls", "en", "ar", "fa", "tr", "uk", "ro"]

# Names in the language itself, as a reader of that language looks for them.
LOCALE_NAMES: dict[str, str] = {
    "de": "Deutsch",
    "de-x-ls": "Leichte Sprache",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "tr": "Türkçe",
    "uk": "Українська",
    "ro": "Română",
    "ru": "Русский",
    "ps": "پښتو",
    "ku": "Kurdî",
    "ti": "ትግርኛ",
    "so": "Soomaali",
    "sq": "Shqip",
    "fr": "Français",
    "pl": "Polski",
    "it": "Italiano",
    "es": "Español",
    "bg": "Български",
    "hr": "Hrvatski",
}

RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "ur", "he", "ckb", "ug"})


@dataclass(frozen=True)
class ContentLocale:
    """One language the handbook is published in."""

    code: str
    name: str
    direction: Literal["ltr", "rtl"]
    # Locales to serve, in order, when a page has no version in this one.
    fallbacks: tuple[str, ...]

    @property
    def is_source(self) -> bool:
        return self.code == SOURCE_LOCALE


def parse_fallbacks(spec: str) -> dict[str, tuple[str, ...]]:
    """Parse ``"fa:en>de;uk:de"`` into ``{"fa": ("en", "de"), "uk": ("de",)}``.

    An empty chain (``"tr:"``) means the locale never falls back.
    """
    chains: dict[str, tuple[str, ...]] = {}
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        code, sep, chain = part.partition(":")
        if not sep:
            raise ImproperlyConfigured(
                f"LOCALE_FALLBACKS entry {part!r} needs the form "
                "'code:fallback>fallback'"
            )
        chains[code.strip()] = tuple(c.strip() for c in chain.split(">") if c.strip())
    return chains


def build_content_locales(
    codes: list[str], fallback_spec: str = ""
) -> list[ContentLocale]:
    """Turn the configured locale codes into ContentLocales, checking everything.

    ``de`` is always first: it is the source every translation starts from. Every
    other locale falls back to ``de``, except Leichte Sprache, whose absence must be
    reported rather than replaced by standard German.
    """
    codes = [c.strip() for c in codes if c.strip()]
    unknown = [c for c in codes if c not in LOCALE_NAMES]
    if unknown:
        raise ImproperlyConfigured(
            f"locale {', '.join(map(repr, unknown))} is not known to Wegweiser; "
            f"known: {', '.join(LOCALE_NAMES)}"
        )
    if len(set(codes)) != len(codes):
        raise ImproperlyConfigured(f"CONTENT_LOCALES lists a locale twice: {codes}")
    if SOURCE_LOCALE in codes:
        codes.remove(SOURCE_LOCALE)
    codes.insert(0, SOURCE_LOCALE)

    overrides = parse_fallbacks(fallback_spec)
    for code, chain in overrides.items():
        missing = [c for c in (code, *chain) if c not in codes]
        if missing:
            raise ImproperlyConfigured(
                f"LOCALE_FALLBACKS names {', '.join(map(repr, missing))}, which "
                f"is not in CONTENT_LOCALES ({', '.join(codes)})"
            )
        if code in chain:
            raise ImproperlyConfigured(f"locale {code!r} cannot fall back to itself")

    locales = []
    for code in codes:
        if code in overrides:
            fallbacks = overrides[code]
        elif code in (SOURCE_LOCALE, SIMPLE_LOCALE):
            fallbacks = ()
        else:
            fallbacks = (SOURCE_LOCALE,)
        direction: Literal["ltr", "rtl"] = (
            "rtl" if code.split("-")[0] in RTL_LANGUAGES else "ltr"
        )
        locales.append(ContentLocale(code, LOCALE_NAMES[code], direction, fallbacks))
    return locales


# --- The registry the rest of the code asks ------------------------------------------


class UnknownLocale(ValueError):
    """A locale code that is not one of the configured content locales."""

    def __init__(self, code: str) -> None:
        self.code = code
        known = ", ".join(loc.code for loc in settings.WEGWEISER_LOCALES)
        super().__init__(f"locale {code!r} is not configured; known: {known}")


def content_locales() -> list[ContentLocale]:
    """The configured content locales, German first."""
    return list(settings.WEGWEISER_LOCALES)


def content_locale_get(code: str) -> ContentLocale:
    """The configured content locale ``code``, or UnknownLocale naming the known."""
    for locale in content_locales():
        if locale.code == code:
            return locale
    raise UnknownLocale(code)


def locale_chain(code: str) -> tuple[str, ...]:
    """``code`` followed by the locales it falls back to, in order."""
    locale = content_locale_get(code)
    return (locale.code, *locale.fallbacks)


def locales_reading(code: str) -> list[str]:
    """Every locale whose documents may come from a page version in ``code``."""
    return [
        loc.code
        for loc in content_locales()
        if code == loc.code or code in loc.fallbacks
    ]


def locale_label(code: str) -> str:
    """The locale's name for the admin, in the admin's language ("Englisch" in the
    German admin); locales Django has no name for (Leichte Sprache) keep their own."""
    if code in LANG_INFO:  # not a variant such as de-x-ls, which Django reads as de
        return str(get_language_info(code)["name_translated"])
    return LOCALE_NAMES.get(code, code)
