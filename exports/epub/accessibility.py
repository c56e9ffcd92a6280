"""The EPUB's accessibility metadata, generated from what the book contains.

Nothing here is typed by hand per book: the access modes, features and the summary
follow from the book's parts (pictures and their alt texts, the glossary, the
navigation), so a book with a picture that lacks an alt text does not claim
``alternativeText`` nor that text alone suffices.

Vocabulary: schema.org accessibility properties as the EPUB Accessibility 1.1
specification uses them; the conformance claim is EPUB Accessibility 1.1 with WCAG
2.1 level AA, which the test suite checks with epubcheck and axe-core.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from exports.epub.book import EpubBook

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def accessibility_metadata(book: EpubBook) -> list[tuple[str, str]]:
    """``(property, value)`` pairs for the package document's ``<meta>``s."""
    has_images = book.image_count > 0
    all_alt = book.images_without_alt == 0
    modes = ["textual"] + (["visual"] if has_images else [])
    # Read-along: the text is also heard, synchronised sentence by sentence.
    if book.overlays:
        modes.append("auditory")
    sufficient = ["textual"] if (all_alt or not has_images) else []
    sufficient_sets = [",".join(sufficient)] if sufficient else []
    if has_images:
        sufficient_sets.append("textual,visual")
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ]
    if has_images and all_alt:
        features.append("alternativeText")
    if book.overlays:
        features.append("synchronizedAudioText")
    pairs: list[tuple[str, str]] = [("schema:accessMode", mode) for mode in modes]
    pairs += [("schema:accessModeSufficient", s) for s in sufficient_sets]
    pairs += [("schema:accessibilityFeature", f) for f in features]
    pairs.append(("schema:accessibilityHazard", "none"))
    pairs.append(("schema:accessibilitySummary", accessibility_summary(book)))
    pairs.append(("dcterms:conformsTo", CONFORMS_TO))
    return pairs


def accessibility_summary(book: EpubBook) -> str:
    """A few sentences in the book's language on what makes it accessible."""
    with translation.override(book.locale):
        sentences = [
            _(
                "Dieses E-Book hat ein Inhaltsverzeichnis, Überschriften und eine "
                "feste Lesereihenfolge. Fachwörter sind mit dem Glossar verlinkt."
            )
        ]
        if book.image_count and not book.images_without_alt:
            sentences.append(_("Alle Bilder haben einen Alternativtext."))
        elif book.image_count:
            sentences.append(_("Einige Bilder haben keinen Alternativtext."))
        sentences.append(
            _(
                "Schriftgröße und Farben lassen sich im Lesesystem anpassen. "
                "Es gibt keine blinkenden Inhalte, Töne oder Bewegungen."
            )
        )
        if book.overlays:
            sentences.append(
                _(
                    "Das E-Book kann sich selbst vorlesen und markiert dabei den "
                    "Satz, der gerade gelesen wird. Ton gibt es nur, wenn Sie das "
                    "Vorlesen starten."
                )
            )
        return " ".join(str(s) for s in sentences)
