"""What the pipeline remembers: content events (the outbox) and the content stamp."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentEvent(models.Model):
    """Something changed for one page in one locale: the transactional outbox.

    Rows are written in the same transaction as the publish, unpublish, move, delete
    or consent change that caused them, so a broker that is down at commit time
    loses nothing. An event does not carry the document: readers (channels, the
    changes feed) build the current one, which coalesces quick successive changes
    and means a late delivery can never carry older content than the newest event.

    The primary key is the cursor of the changes feed; it only grows.
    """

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("published")
        UNPUBLISHED = "unpublished", _("unpublished")
        MOVED = "moved", _("moved")
        DELETED = "deleted", _("deleted")
        CONSENT = "consent", _("consent changed")
        VISIBILITY = "visibility", _("privacy changed")

    translation_key = models.UUIDField(_("translation key"), db_index=True)
    # The locale whose document changed (a German publish also changes every locale
    # that falls back to German).
    locale = models.CharField(_("locale"), max_length=20)
    # The page version that changed; kept after deletion for the record.
    page_id = models.PositiveBigIntegerField(_("page id"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    revision_id = models.PositiveBigIntegerField(_("revision"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("content event")
        verbose_name_plural = _("content events")
        indexes = [models.Index(fields=["locale", "id"], name="event_locale_cursor")]

    def __str__(self) -> str:
        return f"{self.kind} {self.translation_key} [{self.locale}] #{self.pk}"


class ContentStamp(models.Model):
    """A single counter that moves whenever shared content changes.

    Page documents embed snippets (topics, glossary terms, contacts), images, alt
    texts and consent; view restrictions decide what is public. When any of those
    change, the counter moves, and every ETag built from it changes with it.
    """

    value = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("content stamp")

    def __str__(self) -> str:
        return f"content stamp {self.value}"


# The website channel's tables belong to this app (one migration history).
# So are the print channel's.
from exports.print.models import PrintArtifact, PrintBuild  # noqa: E402
from exports.website.models import (  # noqa: E402
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

__all__ = [
    "ContentEvent",
    "ContentStamp",
    "PrintArtifact",
    "PrintBuild",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
