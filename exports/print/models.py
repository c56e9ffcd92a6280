"""What the print channel remembers: the PDFs it built and the builds it owes.

``PrintArtifact`` rows are the built PDFs, one row per file, newest last; exactly
one per channel and locale is ``is_current``. Old rows stay for a few builds so a
download that started before a switch still finds its file, then get pruned.

``PrintBuild`` is the channel's queue: one row per channel and locale. Publishing
marks it ``pending`` with a ``not_before`` a short window ahead, so many publishes
fold into one build; a worker claims it with a lease, so two workers never build the
same locale at once and a killed worker's build is taken over once the lease ends.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PrintArtifact(models.Model):
    """One built PDF, stored content-addressed under ``PRINT_ROOT``."""

    channel = models.CharField(_("Kanal"), max_length=50)
    locale = models.CharField(_("Sprache"), max_length=20)
    sha256 = models.CharField(_("SHA-256 der PDF-Datei"), max_length=64)
    # The build's content address (template + data + files): equal hash, no rebuild.
    source_hash = models.CharField(_("Quell-Hash"), max_length=64)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"))
    page_count = models.PositiveIntegerField(_("Seiten"))
    build_seconds = models.FloatField(_("Bauzeit (Sekunden)"))
    built_at = models.DateTimeField(_("gebaut am"))
    # Relative to PRINT_ROOT, e.g. ``3f…a9.pdf``.
    path = models.CharField(_("Datei"), max_length=255)
    is_current = models.BooleanField(_("aktuell"), default=False)

    class Meta:
        verbose_name = _("Druck-PDF")
        verbose_name_plural = _("Druck-PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "locale"],
                condition=Q(is_current=True),
                name="one_current_artifact_per_locale",
            )
        ]
        indexes = [
            models.Index(fields=["channel", "locale", "-built_at"], name="artifact_age")
        ]
        permissions = [("rebuild_printartifact", _("Darf Druck-PDFs neu bauen"))]

    def __str__(self) -> str:
        return f"{self.channel} [{self.locale}] {self.sha256[:12]}"

    @property
    def filename(self) -> str:
        """The name a download is saved under (``wegweiser-handbuch-ar.pdf``)."""
        return f"wegweiser-handbuch-{self.locale}.pdf"


class PrintBuild(models.Model):
    """The build a locale's PDF is owed, and how the last one went."""

    class State(models.TextChoices):
        PENDING = "pending", _("wartet")
        RUNNING = "running", _("wird gebaut")
        FAILED = "failed", _("fehlgeschlagen")
        DONE = "done", _("fertig")

    class Outcome(models.TextChoices):
        BUILT = "built", _("neu gebaut")
        UNCHANGED = "unchanged", _("unverändert")
        FAILED = "failed", _("fehlgeschlagen")

    channel = models.CharField(_("Kanal"), max_length=50)
    locale = models.CharField(_("Sprache"), max_length=20)
    state = models.CharField(
        _("Zustand"), max_length=20, choices=State.choices, default=State.PENDING
    )
    # The newest request (a publish, an editor's "rebuild now"); a request that
    # arrives while a build runs sends the row back to pending when it ends.
    requested_at = models.DateTimeField(_("angefordert am"))
    # Requests folded into the coming build (reset when a build starts).
    requests = models.PositiveIntegerField(_("Anforderungen"), default=0)
    # The build starts no earlier: the coalescing window, or the retry backoff.
    not_before = models.DateTimeField(_("frühestens am"), db_index=True)
    started_at = models.DateTimeField(_("begonnen am"), null=True, blank=True)
    finished_at = models.DateTimeField(_("beendet am"), null=True, blank=True)
    # A running build whose lease has expired belongs to a worker that died.
    lease_expires_at = models.DateTimeField(_("Lease bis"), null=True, blank=True)
    # Failed attempts in a row; reset by a success or a new request.
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    last_outcome = models.CharField(
        _("letztes Ergebnis"), max_length=20, choices=Outcome.choices, blank=True
    )
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    last_seconds = models.FloatField(_("letzte Bauzeit"), null=True, blank=True)

    class Meta:
        verbose_name = _("Druck-Bau")
        verbose_name_plural = _("Druck-Bauten")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "locale"], name="one_print_build_per_locale"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} [{self.locale}] {self.state}"
