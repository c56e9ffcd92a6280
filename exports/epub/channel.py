"""The EPUB channel backend: one accessible EPUB 3 per locale, Leichte Sprache
included, built from the content tree on publish.

Everything but the book itself is the generic file-channel lifecycle
(``exports.file_channel.FileChannel``): publishes are coalesced over
``BUILD_DELAY``, the file is content-addressed, written atomically, announced to
the website and listed at ``/api/v1/artifacts/epub/<locale>.epub``; the admin page
*E-Books* shows each locale's state, last error, download and rebuild;
``manage.py export epub --locale X`` builds by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from django.utils.translation import gettext_lazy

from cms.locales import SIMPLE_LOCALE
from exports.builds import artifact_builds_request
from exports.channels import ArtifactFile
from exports.content import Audience, HandbookTree
from exports.epub.book import epub_book
from exports.epub.package import EPUB_MEDIA_TYPE, epub_bytes
from exports.file_channel import FileChannel
from exports.models import Artifact
from exports.read_along import artifact_is_read_along, read_along_current


class EpubChannel(FileChannel):
    """The handbook as an EPUB 3 per locale (OPTIONS: see ``FileChannel``).

    Portraits follow the print consent, as the PDF does; the Leichte Sprache book
    follows the Leichte Sprache consent, as the Leichte Sprache PDF does.

    Where a channel reads the locale aloud (audio, ``exports.read_along``) the
    book reads along: Media Overlays per sentence, rebuilt whenever a new
    recording of the locale is published.
    """

    # The channel type, as shown in the admin and logs.
    name: ClassVar[str] = "epub"
    audience: ClassVar[Audience] = "print"
    menu_label = gettext_lazy("E-Books (EPUB)")
    menu_help = gettext_lazy(
        "Für jede Sprache gibt es ein barrierefreies E-Book (EPUB 3) des ganzen "
        "Handbuchs, zum Lesen ohne Internet auf Telefon, Tablet oder E-Reader."
    )
    menu_icon = "doc-full-inverse"
    menu_order = 865

    def tree_audience(self, locale_code: str) -> Audience:
        return "simple" if locale_code == SIMPLE_LOCALE else self.audience

    def build(self, tree: HandbookTree) -> ArtifactFile | None:
        read_along = read_along_current(locale=tree.requested_locale)
        # One folder per locale: a build prunes only its locale's.
        cache = self.artifact_root() / "read-along" / tree.requested_locale
        book = epub_book(tree, read_along=read_along, audio_cache=cache)
        if book is None:
            return None
        used = {
            Path(r.name).name for r in book.resources if r.name.startswith("audio/")
        }
        for old in cache.glob("*.mp3"):
            if old.name not in used:
                old.unlink(missing_ok=True)  # a superseded recording's MP3
        return ArtifactFile(
            content=epub_bytes(book),
            media_type=EPUB_MEDIA_TYPE,
            details={
                "filename": f"wegweiser-handbuch-{tree.requested_locale}.epub",
                "documents": len(book.documents) + 1,
            }
            | (
                {"overlays_from": read_along.artifact.channel}
                if read_along and book.overlays
                else {}
            ),
        )

    def artifact_published(self, artifact: Artifact) -> None:
        # A new recording of a locale: its book reads along with the new one.
        if artifact_is_read_along(artifact) and artifact.locale in self.locales:
            artifact_builds_request(channel=self.alias, locales=[artifact.locale])
