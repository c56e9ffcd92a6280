import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Locale

from cms.locales import build_content_locales


def test_default_locales_have_de_as_source_and_rtl_for_arabic_and_persian():
    locales = {loc.code: loc for loc in build_content_locales(["en", "ar", "fa", "de"])}
    assert list(locales) == ["de", "en", "ar", "fa"]
    assert locales["ar"].direction == locales["fa"].direction == "rtl"
    assert locales["en"].direction == "ltr"
    assert locales["en"].fallbacks == ("de",)


def test_leichte_sprache_never_falls_back_to_standard_german():
    (simple,) = [
        loc for loc in build_content_locales(["de", "de-x-ls"]) if loc.code == "de-x-ls"
    ]
    assert simple.fallbacks == ()


def test_fallback_chains_are_configurable():
    locales = build_content_locales(["de", "en", "fa"], "fa:en>de")
    assert {loc.code: loc.fallbacks for loc in locales}["fa"] == ("en", "de")


def test_unknown_locale_names_the_known_ones():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        build_content_locales(["de", "xx"])
    assert "'xx' is not known" in str(excinfo.value)
    assert "de-x-ls" in str(excinfo.value)


def test_fallback_to_unconfigured_locale_is_refused():
    with pytest.raises(ImproperlyConfigured, match="'tr'"):
        build_content_locales(["de", "fa"], "fa:tr")


def test_configured_locales_exist_in_wagtail(db):
    configured = [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES]
    assert configured == ["de", "de-x-ls", "en", "ar", "fa", "tr", "uk", "ro"]
    in_db = set(Locale.objects.values_list("language_code", flat=True))
    assert set(configured) <= in_db
    assert Locale.objects.get(language_code="ar").is_bidi
    assert Locale.objects.get(language_code="fa").is_bidi
    assert not Locale.objects.get(language_code="de-x-ls").is_bidi
