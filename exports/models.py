"""What the pipeline remembers: content events (the outbox) and the content stamp."""

from __future__ import annotations

import mimetypes

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentEvent(models.Model):
    """Something changed for one page in one locale: the transactional outbox.

    Rows are written in the same transaction as the publish, unpublish, move, delete,
    consent, privacy, shared-content or translation change that caused them, so a
    broker that is down at commit time loses nothing. An event does not carry the
    document: readers (channels, the changes feed) build the current one, which
    coalesces quick successive changes and means a late delivery can never carry
    older content than the newest event.

    The primary key is the cursor of the changes feed; it only grows.
    """

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("published")
        UNPUBLISHED = "unpublished", _("unpublished")
        MOVED = "moved", _("moved")
        DELETED = "deleted", _("deleted")
        CONSENT = "consent", _("consent changed")
        VISIBILITY = "visibility", _("privacy changed")
        # A snippet, image, alt text or glossary term the page shows changed.
        REFERENCE = "reference", _("shared content changed")
        # The translation's status changed (its source or its segments).
        TRANSLATION = "translation", _("translation status changed")
        # A date the page's visibility depends on came (a consent withdrawal).
        DUE = "due", _("date came due")
        # What a channel adds to the page's document changed (its audio file).
        CHANNEL = "channel", _("channel's part changed")

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


class Artifact(models.Model):
    """One file a channel built for one locale (a PDF, an EPUB, an audio book …).

    Generic, so the API serves and the website announces every channel's files the
    same way and a new channel needs no table of its own. The file is stored
    content-addressed under the channel's artifact root (``key`` is its name there,
    ``<sha256>.<ext>``), written before the row switches, so a failed build never
    replaces a good file. Exactly one row per channel and locale is ``is_current``;
    older ones stay for a few builds (a download that started before a switch still
    finds its file), then get pruned.
    """

    channel = models.CharField(_("Kanal"), max_length=50)
    locale = models.CharField(_("Sprache"), max_length=20)
    # The file's name under the channel's artifact root, e.g. ``3f…a9.pdf``.
    key = models.CharField(_("Datei"), max_length=255)
    media_type = models.CharField(_("Medientyp"), max_length=100)
    sha256 = models.CharField(_("SHA-256 der Datei"), max_length=64)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"))
    built_at = models.DateTimeField(_("gebaut am"))
    build_seconds = models.FloatField(_("Bauzeit (Sekunden)"))
    # The build's inputs, hashed by the channel: an equal hash needs no rebuild.
    source_hash = models.CharField(_("Quell-Hash"), max_length=64, blank=True)
    # Channel-specific facts for the API item, e.g. a PDF's ``{"pages": 12}``.
    details = models.JSONField(_("Details"), default=dict, blank=True)
    is_current = models.BooleanField(_("aktuell"), default=False)

    class Meta:
        verbose_name = _("Datei eines Kanals")
        verbose_name_plural = _("Dateien der Kanäle")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "locale"],
                condition=models.Q(is_current=True),
                name="one_current_artifact_per_channel_locale",
            )
        ]
        indexes = [
            models.Index(
                fields=["channel", "locale", "-built_at"], name="artifact_built"
            )
        ]

    def __str__(self) -> str:
        if self.is_removal:
            return f"{self.channel} [{self.locale}] removed"
        return f"{self.channel} [{self.locale}] {self.sha256[:12]}"

    @property
    def is_removal(self) -> bool:
        """A marker without a file: the channel's file in this locale was taken
        down (``exports.artifacts.artifacts_withdraw``). Never current; its id
        orders the removal between the file before and the next build."""
        return not self.key

    @property
    def extension(self) -> str:
        """The extension the file is served under (``pdf``), from its media type."""
        return media_type_extension(self.media_type)


class ArtifactBuild(models.Model):
    """The build one locale's file is owed by a file channel, and how the last went.

    Generic (``exports.builds``), so a channel that makes one file per locale (the
    EPUB …) needs no table of its own: publishing marks the row ``pending`` with a
    ``not_before`` a short window ahead, so many publishes fold into one build; a
    worker claims it with a lease, so two workers never build the same locale at
    once and a killed worker's build is taken over when the lease ends.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("wartet")
        RUNNING = "running", _("wird gebaut")
        FAILED = "failed", _("fehlgeschlagen")
        DONE = "done", _("fertig")

    class Outcome(models.TextChoices):
        BUILT = "built", _("neu gebaut")
        UNCHANGED = "unchanged", _("unverändert")
        EMPTY = "empty", _("nichts zu bauen")
        FAILED = "failed", _("fehlgeschlagen")

    channel = models.CharField(_("Kanal"), max_length=50)
    locale = models.CharField(_("Sprache"), max_length=20)
    state = models.CharField(
        _("Zustand"), max_length=20, choices=State.choices, default=State.PENDING
    )
    # The newest request; one that arrives while a build runs sends the row back to
    # pending when that build ends, so the newest content always gets built.
    requested_at = models.DateTimeField(_("angefordert am"))
    # Requests folded into the coming build (reset when a build starts).
    requests = models.PositiveIntegerField(_("Anforderungen"), default=0)
    # The build starts no earlier: the coalescing window, or the retry backoff.
    not_before = models.DateTimeField(_("frühestens am"), db_index=True)
    started_at = models.DateTimeField(_("begonnen am"), null=True, blank=True)
    finished_at = models.DateTimeField(_("beendet am"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("Lease bis"), null=True, blank=True)
    # Failed attempts in a row; reset by a success or a new request.
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    last_outcome = models.CharField(
        _("letztes Ergebnis"), max_length=20, choices=Outcome.choices, blank=True
    )
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    last_seconds = models.FloatField(_("letzte Bauzeit"), null=True, blank=True)
    # What the last successful build did besides its file, as the channel says
    # (``ArtifactFile.build_details``; audio: pages spoken anew and reused).
    last_details = models.JSONField(
        _("Angaben zum letzten Bau"), default=dict, blank=True
    )

    class Meta:
        verbose_name = _("Bau einer Kanal-Datei")
        verbose_name_plural = _("Bauten der Kanal-Dateien")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "locale"], name="one_artifact_build_per_locale"
            )
        ]
        permissions = [("rebuild_artifactbuild", _("Darf Kanal-Dateien neu bauen"))]

    def __str__(self) -> str:
        return f"{self.channel} [{self.locale}] {self.state}"


# The usual extension of the media types channels build; others ask ``mimetypes``.
EXTENSIONS = {
    "application/pdf": "pdf",
    "application/epub+zip": "epub",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "text/plain": "txt",
    "application/json": "json",
}


def media_type_extension(media_type: str) -> str:
    """``application/pdf`` → ``pdf``: the extension of a file's URL and key."""
    base = media_type.split(";")[0].strip().lower()
    if base in EXTENSIONS:
        return EXTENSIONS[base]
    guessed = mimetypes.guess_extension(base)
    return guessed.lstrip(".") if guessed else "bin"


__all__ = ["Artifact", "ArtifactBuild", "ContentEvent", "ContentStamp"]
