"""Words and orders that depend on the locale: dates, numbers, alphabetical order.

Print writes these itself (the website formats them in the browser), so they come
from CLDR (Babel) and ICU, which know each language's rules: Ukrainian months are
written in lower case ("березень 2020 р."), Persian uses its own digits, and German
sorts "Ö" with "O" rather than after "Z".
"""

from __future__ import annotations

from datetime import date
from functools import cache

import icu
from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.numbers import format_decimal as _format_decimal

__all__ = ["babel_locale", "format_decimal", "glossary_collator", "month_year"]


def _language_tag(locale_code: str) -> str:
    """The CLDR language of a content locale: ``de-x-ls`` (Leichte Sprache) is
    German; private-use subtags mean nothing to CLDR."""
    return locale_code.split("-x-")[0].replace("-", "_")


@cache
def babel_locale(locale_code: str) -> Locale:
    """The Babel locale for a content locale; German for one CLDR does not know."""
    try:
        return Locale.parse(_language_tag(locale_code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("de")


def month_year(day: date, locale_code: str) -> str:
    """Month and year as the locale writes them on a title page ("März 2020",
    "березень 2020 р.", "مارس ۲۰۲۰")."""
    return format_skeleton("yMMMM", day, locale=babel_locale(locale_code))


def format_decimal(number: int | float, *, locale: Locale) -> str:
    """A number with the locale's digits and grouping ("2.000", "2,000")."""
    return _format_decimal(number, locale=locale)


@cache
def glossary_collator(locale_code: str) -> icu.Collator:
    """ICU's collator for the locale's alphabetical order (cached: building one
    loads the locale's tailoring rules)."""
    return icu.Collator.createInstance(icu.Locale(_language_tag(locale_code)))
