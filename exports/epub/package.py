"""An ``EpubBook`` packaged as an EPUB 3 file: container, package document (with
the accessibility metadata), navigation document, all in one OCF zip.

The zip is deterministic: entries in a fixed order with a fixed timestamp, so the
same content gives the same bytes, the same sha256, and no new file is announced
when nothing changed.

Media Overlays (read-along, ``exports.epub.overlays``): a ``ContentDocument``
with a ``media_overlay`` gets the ``media-overlay`` attribute in the manifest, the
SMIL and audio files travel as ``Resource``s, and the metadata gets each overlay's
``media:duration``, their total and the ``media:active-class``. A book without
them is exactly as before.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from exports.epub.accessibility import accessibility_metadata
from exports.epub.book import EpubBook, NavEntry
from exports.epub.overlays import ACTIVE_CLASS, clock
from exports.epub.xhtml import E, document_bytes

EPUB_MEDIA_TYPE = "application/epub+zip"
XHTML = "application/xhtml+xml"
# Zip entries get this timestamp (the zip format's earliest), not the build time.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"

CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    "  <rootfiles>\n"
    '    <rootfile full-path="EPUB/package.opf" '
    'media-type="application/oebps-package+xml"/>\n'
    "  </rootfiles>\n"
    "</container>\n"
)


def _item_id(name: str) -> str:
    """A manifest id (an XML name) for the file ``name``."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def nav_document(book: EpubBook) -> bytes:
    """The navigation document: the chapter tree and the landmarks."""

    def entries(items: list[NavEntry]) -> ET.Element:
        return E(
            "ol",
            None,
            *(
                E(
                    "li",
                    None,
                    E(
                        "a",
                        {"href": item.href}
                        | (
                            {
                                "lang": item.lang,
                                "xml:lang": item.lang,
                                "dir": item.direction,
                            }
                            if item.lang != book.lang
                            else {}
                        ),
                        item.title,
                    ),
                    entries(item.children) if item.children else None,
                )
                for item in items
            ),
        )

    body = E(
        "body",
        None,
        E(
            "nav",
            {"epub:type": "toc", "role": "doc-toc", "id": "toc"},
            E("h1", None, book.labels["contents"]),
            entries(book.toc),
        ),
        E(
            "nav",
            {"epub:type": "landmarks", "id": "landmarks", "hidden": "hidden"},
            E("h2", None, book.labels["landmarks"]),
            E(
                "ol",
                None,
                *(
                    E("li", None, E("a", {"epub:type": kind, "href": href}, title))
                    for kind, title, href in book.landmarks
                ),
            ),
        ),
    )
    return document_bytes(
        lang=book.lang,
        direction=book.direction,
        title=book.labels["contents"],
        body=body,
        css=["style.css"],
    )


def package_document(book: EpubBook) -> bytes:
    """The OPF: metadata (accessibility included), manifest, spine."""
    # A handbook page without a translation gives the book a German title.
    title_lang = {"xml:lang": book.title_lang} if book.title_lang != book.lang else {}
    metadata = E(
        "metadata",
        {"xmlns:dc": DC_NS},
        E("dc:identifier", {"id": "book-id"}, book.identifier),
        E("dc:title", {"id": "title"} | title_lang, book.title),
        E("meta", {"refines": "#title", "property": "title-type"}, "main"),
        E("dc:language", None, book.lang),
        E("dc:publisher", None, book.publisher) if book.publisher else None,
        E("dc:description", title_lang, book.subtitle) if book.subtitle else None,
        E(
            "meta",
            {"property": "dcterms:modified"},
            book.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        ),
    )
    for name, value in accessibility_metadata(book):
        if name.startswith("link:"):
            metadata.append(E("link", {"rel": name[5:], "href": value}))
        else:
            metadata.append(E("meta", {"property": name}, value))
    for name, millis in book.overlays:
        metadata.append(
            E(
                "meta",
                {"property": "media:duration", "refines": f"#{_item_id(name)}"},
                clock(millis / 1000),
            )
        )
    if book.overlays:
        total = sum(millis for _name, millis in book.overlays)
        metadata.append(E("meta", {"property": "media:duration"}, clock(total / 1000)))
        metadata.append(E("meta", {"property": "media:active-class"}, ACTIVE_CLASS))
    manifest = E(
        "manifest",
        None,
        E(
            "item",
            {
                "id": "nav",
                "href": "nav.xhtml",
                "media-type": XHTML,
                "properties": "nav",
            },
        ),
    )
    for document in book.documents:
        manifest.append(
            E(
                "item",
                {
                    "id": _item_id(document.name),
                    "href": document.name,
                    "media-type": XHTML,
                    "media-overlay": _item_id(document.media_overlay)
                    if document.media_overlay
                    else "",
                },
            )
        )
    for resource in book.resources:
        manifest.append(
            E(
                "item",
                {
                    "id": _item_id(resource.name),
                    "href": resource.name,
                    "media-type": resource.media_type,
                    "properties": resource.properties,
                },
            )
        )
    spine_items = [book.documents[0].name] if book.documents else []
    spine = E(
        "spine",
        {"page-progression-direction": book.direction},
        *(E("itemref", {"idref": _item_id(name)}) for name in spine_items),
        E("itemref", {"idref": "nav"}),
        *(
            E("itemref", {"idref": _item_id(document.name)})
            for document in book.documents[1:]
        ),
    )
    package = E(
        "package",
        {
            "xmlns": OPF_NS,
            "version": "3.0",
            "unique-identifier": "book-id",
            "xml:lang": book.lang,
            "dir": book.direction,
        },
        metadata,
        manifest,
        spine,
    )
    markup = ET.tostring(package, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + markup + "\n").encode()


def epub_bytes(book: EpubBook) -> bytes:
    """The EPUB file: ``mimetype`` first and stored, everything else deflated."""
    entries: list[tuple[str, bytes]] = [
        ("META-INF/container.xml", CONTAINER.encode()),
        ("EPUB/package.opf", package_document(book)),
        ("EPUB/nav.xhtml", nav_document(book)),
    ]
    entries += [(f"EPUB/{doc.name}", doc.data) for doc in book.documents]
    entries += [(f"EPUB/{res.name}", res.data) for res in book.resources]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_entry("mimetype", zipfile.ZIP_STORED), EPUB_MEDIA_TYPE)
        for name, data in entries:
            archive.writestr(_entry(name, zipfile.ZIP_DEFLATED), data)
    return out.getvalue()


def _entry(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info
