"""What the print channel remembers: the builds it owes.

The PDFs themselves are the core's generic ``exports.models.Artifact`` rows.
``PrintBuild`` is the channel's queue: one row per channel and locale. Publishing
marks it ``pending`` with a ``not_before`` a short window ahead, so many publishes
fold into one build; a worker claims it with a lease, so two workers never build the
same locale at once and a killed worker's build is taken over once the lease ends.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
        # The admin's print page shows builds and their PDFs; rebuilding is apart.
        permissions = [("rebuild_printbuild", _("Darf Druck-PDFs neu bauen"))]

    def __str__(self) -> str:
        return f"{self.channel} [{self.locale}] {self.state}"
