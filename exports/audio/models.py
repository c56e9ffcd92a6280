"""What the audio channel keeps in the database: the pronunciation lexicon.

Editors correct how the synthesizer says a name or a term ("Ehingen" → "Eeingen",
"Alb-Donau-Kreis" → "Alb Donau Kreis") per language. The correction changes what is
spoken, never what is shown: the page text and the sentence timings keep the word
as written. Like the generic build rows, the table belongs to the ``exports`` app
(one migration history; the core imports each channel's ``models``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


def _language_choices() -> list[tuple[str, str]]:
    return [
        (loc.code, f"{loc.name} ({loc.code})") for loc in settings.WEGWEISER_LOCALES
    ]


@register_snippet
class Pronunciation(models.Model):
    """One word and how the read-aloud voice should say it, in one language."""

    language = models.CharField(
        _("Sprache"),
        max_length=20,
        choices=_language_choices,
        help_text=_(
            "Einträge für Deutsch gelten auch für Leichte Sprache, solange es dort "
            "keinen eigenen Eintrag gibt."
        ),
    )
    word = models.CharField(
        _("Wort"),
        max_length=100,
        help_text=_("So, wie es im Text steht (Groß- und Kleinschreibung zählt)."),
    )
    spoken = models.CharField(
        _("Aussprache"),
        max_length=200,
        help_text=_(
            "So geschrieben, wie die Stimme es sagen soll, z. B. „Eeingen“ für "
            "„Ehingen“. Die Vorleseaudio der Seiten mit diesem Wort wird neu erzeugt."
        ),
    )

    panels = [FieldPanel("language"), FieldPanel("word"), FieldPanel("spoken")]

    class Meta:
        ordering = ["language", "word"]
        verbose_name = _("Aussprache")
        verbose_name_plural = _("Aussprache (Vorlesen)")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "word"], name="unique_pronunciation_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.word} → {self.spoken} ({self.language})"


def lexicon_for(language: str) -> dict[str, str]:
    """Word → spoken form for ``language``; Leichte Sprache inherits German's."""
    languages = [language]
    base = language.split("-")[0]
    if base != language:
        languages.insert(0, base)  # the variant's own entries win (applied last)
    rows = Pronunciation.objects.filter(language__in=languages).values_list(
        "language", "word", "spoken"
    )
    ordered = sorted(rows, key=lambda row: languages.index(row[0]))
    return {word: spoken for _lang, word, spoken in ordered}
