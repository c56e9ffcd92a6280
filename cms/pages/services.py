"""Writes of the page models that are not page revisions: the consent record."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a portrait's consent record was switched, with ``translation_key``:
# the pipeline records the change for every locale of the portrait.
portrait_consent_switched = Signal()


def portrait_consent_switch(*, page, consent) -> None:
    """Point every locale of portrait ``page`` at ``consent`` (checked by the
    form's validation), make the record the portrait's, and announce it."""
    type(page).objects.filter(translation_key=page.translation_key).update(
        consent=consent
    )
    if consent is not None:
        type(consent).objects.filter(pk=consent.pk, portrait_key__isnull=True).update(
            portrait_key=page.translation_key
        )
    portrait_consent_switched.send(
        sender=type(page), translation_key=page.translation_key
    )
