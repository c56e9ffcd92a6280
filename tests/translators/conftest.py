"""Fixtures of the translators' workflow: role users and the demo's translations."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile
from wagtail_localize.operations import TranslationCreator

from cms.translators.roles import group_name_for


def role_user(django_user_model, code: str, username: str):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "ein-langes-passwort"
    )
    user.groups.add(Group.objects.get(name=group_name_for(code)))
    # Messages are asserted in English, whatever the default admin language.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def translator_ar(db, django_user_model):
    return role_user(django_user_model, "ar", "uebersetzerin-ar")


@pytest.fixture
def editor_de(db, django_user_model):
    return role_user(django_user_model, "de", "redakteur-de")


@pytest.fixture
def translator_client(client, translator_ar):
    client.force_login(translator_ar)
    return client


def translated(page: Page, code: str) -> Page:
    """``page``'s translation into ``code`` (the demo translates chapter 1)."""
    return Page.objects.get(
        translation_key=page.translation_key, locale__language_code=code
    ).specific


def translate_into(obj, code: str) -> None:
    """Submit ``obj`` (page or snippet) for translation into ``code``."""
    TranslationCreator(
        user=None, target_locales=[Locale.objects.get(language_code=code)]
    ).create_translations(obj)
