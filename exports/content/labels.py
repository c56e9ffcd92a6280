"""The handbook's fixed words: what every file of the whole handbook (the PDF, the
EPUB) calls its parts, in the active language.

One table for all channels, so the PDF and the EPUB of a locale never name the same
part differently; a channel adds the words only its layout has.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def handbook_labels() -> dict[str, str]:
    """The words for the handbook's parts, by key, in the active language."""
    return {
        "handbook": _("Handbuch"),
        "contents": _("Inhalt"),
        "chapter": _("Kapitel"),
        "imprint": _("Impressum"),
        "publisher": _("Herausgeber"),
        "partners": _("Partner"),
        "funding": _("Förderung"),
        "edition": _("Stand"),
        "recommendation": _("Handlungsempfehlung"),
        "practice": _("Praxisbeispiel"),
        "why": _("Warum das wichtig ist"),
        "steps": _("So gehen Sie vor"),
        "who_acts": _("Wer handelt"),
        "municipalities": _("Kommunen"),
        "whole_district": _("Ganzer Landkreis"),
        "what": _("Was"),
        "how": _("Wie"),
        "outcome": _("Ergebnis"),
        "contact": _("Kontakt"),
        "origin": _("Herkunft"),
        "arrived": _("Angekommen"),
        "example": _("Fiktives Beispiel"),
        "glossary": _("Glossar"),
        "credits": _("Bildnachweis"),
        "tip": _("Tipp"),
        "info": _("Hinweis"),
        "important": _("Wichtig"),
        "term": _("Begriff"),
    }
