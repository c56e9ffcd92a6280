"""What the website channel remembers: endpoints, deliveries and their attempts.

Deliveries are the website channel's outbox. They are written in the transaction that
publishes (through ``content_events_recorded``), one per endpoint, page and locale,
and a worker sends them. A delivery names *what* changed, not the document: the
document is built when the attempt is made, so a retry always carries the latest
state and several quick publishes coalesce into one pending delivery.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exports.models import ContentEvent


class WebhookEndpoint(models.Model):
    """A receiver of the website channel's webhooks, and how it is doing.

    URL and secrets come from settings (``EXPORT_CHANNELS``); this row keeps the
    state an editor needs to see: health, last answer, and whether the receiver
    asked to be disabled (410 Gone).
    """

    name = models.SlugField(_("name"), max_length=50, unique=True)
    url = models.URLField(_("URL"), max_length=500)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=255, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(
        _("failures in a row"), default=0
    )
    last_status_code = models.PositiveSmallIntegerField(
        _("last response code"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"

    @property
    def health(self) -> str:
        """``disabled``, ``failing``, ``ok`` or ``unknown`` (nothing sent yet)."""
        if not self.is_enabled:
            return "disabled"
        if self.consecutive_failures:
            return "failing"
        return "ok" if self.last_success_at else "unknown"


class WebhookDelivery(models.Model):
    """One page in one locale that one endpoint must learn about.

    ``sequence`` is the newest content event (the changes-feed cursor) folded into
    this delivery. It travels in the payload, so a receiver can drop anything older
    than what it has, and it is part of the webhook id, so a retry of the same state
    has the same id and a newer state a new one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        DELIVERED = "delivered", _("delivered")
        SUPERSEDED = "superseded", _("superseded by a newer delivery")
        FAILED = "failed", _("failed (gave up)")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    translation_key = models.UUIDField(_("translation key"))
    locale = models.CharField(_("locale"), max_length=20)
    page_id = models.PositiveBigIntegerField(_("page id"), null=True, blank=True)
    page_title = models.CharField(_("page title"), max_length=255, blank=True)
    event_kind = models.CharField(_("what happened"), max_length=20)
    # Set for an ``artifact.updated`` delivery: the channel whose file (a print PDF)
    # changed in ``locale``; empty for a page. ``translation_key`` is then a fixed
    # UUID per channel (``artifact_translation_key``) so coalescing works the same.
    artifact_channel = models.CharField(
        _("Datei des Kanals"), max_length=50, blank=True, default=""
    )
    sequence = models.PositiveBigIntegerField(_("sequence"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The retry window is counted from the first failed attempt.
    first_failure_at = models.DateTimeField(_("first failure"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    # When the delivery was last handed to the broker; the sweep re-enqueues rows
    # that were never handed over (broker down) or got lost.
    enqueued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    # A worker that dies mid-delivery leaves the row in ``sending``; after this
    # moment the sweep hands it to another worker.
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last response code"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("website delivery")
        verbose_name_plural = _("website deliveries")
        constraints = [
            # Coalescing: at most one waiting delivery per endpoint, page and locale.
            models.UniqueConstraint(
                fields=["endpoint", "translation_key", "locale"],
                condition=Q(status="pending"),
                name="one_pending_delivery_per_page_locale",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(
                fields=["endpoint", "translation_key", "locale", "status"],
                name="delivery_page_locale",
            ),
        ]
        permissions = [("replay_webhookdelivery", _("Can replay website deliveries"))]

    def __str__(self) -> str:
        return f"{self.translation_key} [{self.locale}] → {self.endpoint.name}"

    @property
    def event_label(self) -> str:
        """What happened, in the admin's language (a resync is shown as is)."""
        if self.is_artifact:
            return str(_("neue Datei"))
        if self.event_kind in ContentEvent.Kind.values:
            return str(ContentEvent.Kind(self.event_kind).label)
        return self.event_kind

    @property
    def is_artifact(self) -> bool:
        """True when this delivery announces a file, not a page."""
        return bool(self.artifact_channel)

    @property
    def webhook_id(self) -> str:
        """The ``webhook-id``: the same for retries of one state, new for a newer."""
        return f"msg_{self.pk}_{self.sequence}"


class WebhookAttempt(models.Model):
    """One HTTP request made for a delivery, and what came back."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name=_("delivery"),
    )
    started_at = models.DateTimeField(_("started"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    webhook_id = models.CharField(_("webhook id"), max_length=80)
    status_code = models.PositiveSmallIntegerField(
        _("response code"), null=True, blank=True
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.webhook_id}: {self.status_code or self.error}"
