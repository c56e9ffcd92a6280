"""One locale's content tree as the parts of an EPUB: content documents in reading
order, the navigation tree, images and fonts, and the facts the accessibility
metadata is generated from.

Reads the tree and nothing else (image files come through the core's
``image_files``): portraits are in it only with consent for the tree's audience.

Reading order::

    cover (title, subtitle, intro, cover picture)
    navigation document
    chapter → its recommendations and practice examples
    portraits section → each portrait
    glossary (every term, with links back to each place it is used)
    picture credits
    imprint

Every document carries the ``lang`` and ``dir`` of the text it holds: a page that
falls back to German in the Persian book is German, left to right.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from uuid import NAMESPACE_URL, uuid5

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from exports.content import HandbookTree, PageNode, content_locale_get
from exports.content.labels import handbook_labels
from exports.content.nodes import Block, ImageBlock, ImageRef
from exports.content.pages import (
    BestPracticeNode,
    ChapterNode,
    HandbookNode,
    PortraitIndexNode,
    PortraitNode,
    RecommendationNode,
)
from exports.content.references import image_files
from exports.epub.overlays import (
    ACTIVE_CSS,
    AUDIO_MEDIA_TYPE,
    SMIL_MEDIA_TYPE,
    Clip,
    overlay_audio,
    sentences_wrap,
    smil_document,
)
from exports.epub.xhtml import (
    GLOSSARY_FILE,
    Child,
    E,
    Uses,
    Writer,
    document_bytes,
    mediopunkt_mark,
)
from exports.read_along import ReadAlong

# Pictures go into the book at this size at most: sharp on a phone or tablet,
# small enough for a download over a slow connection.
EPUB_RENDITION = "max-1000x1000|format-jpeg|jpegquality-80"
STYLESHEET = "style.css"
FONTS = Path(__file__).resolve().parents[1] / "print" / "fonts"
# Latin, Greek and Cyrillic (every locale); Arabic script only where it is needed.
LATIN_FONTS = (
    ("Noto Sans", "normal", "normal", "NotoSans-Regular.ttf"),
    ("Noto Sans", "bold", "normal", "NotoSans-Bold.ttf"),
    ("Noto Sans", "normal", "italic", "NotoSans-Italic.ttf"),
    ("Noto Sans", "bold", "italic", "NotoSans-BoldItalic.ttf"),
)
ARABIC_FONTS = (
    ("Noto Naskh Arabic", "normal", "normal", "NotoNaskhArabic-Regular.ttf"),
    ("Noto Naskh Arabic", "bold", "normal", "NotoNaskhArabic-Bold.ttf"),
)
STYLE = Path(__file__).resolve().parent / "style.css"


@dataclass(frozen=True)
class Resource:
    """A file in the EPUB that is not a content document (image, font, style)."""

    name: str
    media_type: str
    data: bytes
    # OPF manifest properties, e.g. ``cover-image``.
    properties: str = ""


@dataclass(frozen=True)
class ContentDocument:
    """One XHTML file of the spine."""

    name: str
    title: str
    data: bytes
    # The language and direction of its text (its own, when it falls back).
    lang: str
    direction: str
    # EPUB Media Overlays: the SMIL file that reads this document aloud.
    media_overlay: str | None = None


@dataclass
class NavEntry:
    """An entry of the navigation document's table of contents."""

    title: str
    href: str
    lang: str
    direction: str
    children: list[NavEntry] = field(default_factory=list)


@dataclass
class EpubBook:
    """Everything one EPUB is made of, before it is packaged."""

    identifier: str
    locale: str
    lang: str
    direction: str
    title: str
    # The language of the title and subtitle (the handbook page's; may fall back).
    title_lang: str
    subtitle: str
    publisher: str
    modified: datetime
    labels: dict[str, str]
    documents: list[ContentDocument]
    resources: list[Resource]
    toc: list[NavEntry]
    # Landmarks: (epub:type, title, href).
    landmarks: list[tuple[str, str, str]]
    image_count: int
    images_without_alt: int
    # Media Overlays (read-along): each SMIL file and how long it plays, in ms.
    overlays: list[tuple[str, int]] = field(default_factory=list)


def _language(code: str) -> tuple[str, str]:
    """The ``lang`` and ``dir`` of text in locale ``code`` (``de-x-ls`` → ``de``)."""
    return code.split("-")[0], content_locale_get(code).direction


def _labels() -> dict[str, str]:
    """The book's fixed words, in the active language: the handbook's, and the
    EPUB's own (its navigation)."""
    return {
        **handbook_labels(),
        "cover": _("Titelseite"),
        "used_in": _("Verwendet in"),
        "landmarks": _("Orientierungspunkte"),
        "start": _("Beginn des Textes"),
    }


class _Assembler:
    """Walks the tree once, writing each document; collects uses and images."""

    def __init__(
        self,
        tree: HandbookTree,
        root: HandbookNode,
        *,
        read_along: ReadAlong | None = None,
        audio_cache: Path | None = None,
    ) -> None:
        self.tree = tree
        self.read_along = read_along
        self.audio_cache = audio_cache
        # Per spoken page, its first sentence no document has shown yet.
        self.spoken_next: dict[int, int] = {}
        self.overlays: list[tuple[str, int]] = []
        self.overlay_files: dict[str, bytes] = {}
        self.audio_files: dict[str, bytes] = {}
        self.root = root
        self.locale = tree.requested_locale
        self.lang, self.direction = _language(self.locale)
        self.labels = _labels()
        self._labels: dict[str, dict[str, str]] = {self.locale: self.labels}
        # The language of each document's text, for links to it from elsewhere.
        self.files_lang: dict[str, str] = {}
        self.uses = Uses()
        self.documents: list[ContentDocument] = []
        self.toc: list[NavEntry] = []
        self.images = self._images()
        # Where each picture appears: id → titles of the documents.
        self.image_places: dict[int, list[str]] = {}
        self.files_titles: dict[str, str] = {}
        self.css = [STYLESHEET]

    # -- images ------------------------------------------------------------------------

    def _image_refs(self) -> dict[int, ImageRef]:
        found: dict[int, ImageRef] = {}

        def add(image: ImageRef | None) -> None:
            if image is not None:
                found.setdefault(image.id, image)

        add(self.root.cover_image)
        for node in self.tree.nodes():
            if isinstance(node, PortraitNode):
                add(node.photo)
            for block in _blocks_of(node):
                if isinstance(block, ImageBlock):
                    add(block.image)
        return found

    def _images(self) -> dict[int, str]:
        self.image_refs = self._image_refs()
        files = image_files(set(self.image_refs), EPUB_RENDITION)
        self.image_files = {
            image_id: path.read_bytes() for image_id, path in sorted(files.items())
        }
        return {image_id: f"images/{image_id}.jpg" for image_id in self.image_files}

    def _placed(self, image: ImageRef | None, title: str) -> None:
        if image is not None and image.id in self.images:
            places = self.image_places.setdefault(image.id, [])
            if title not in places:
                places.append(title)

    # -- documents ---------------------------------------------------------------------

    def labels_for(self, code: str) -> dict[str, str]:
        """The fixed words in locale ``code``: a page that falls back to German is
        German throughout, its headings and labels included."""
        if code not in self._labels:
            with translation.override(code):
                self._labels[code] = _labels()
        return self._labels[code]

    def _writer(self, name: str, code: str) -> Writer:
        return Writer(
            file=name, uses=self.uses, images=self.images, labels=self.labels_for(code)
        )

    def _add(
        self,
        *,
        name: str,
        title: str,
        node_locale: str,
        section: ET.Element,
        spoken_id: int | None = None,
    ) -> None:
        lang, direction = _language(node_locale)
        body = E("body", None, E("main", None, section))
        overlay = self._overlay(name=name, lang=lang, body=body, page_id=spoken_id)
        self.documents.append(
            ContentDocument(
                name=name,
                title=title,
                data=document_bytes(
                    lang=lang,
                    direction=direction,
                    title=title,
                    body=body,
                    css=self.css,
                ),
                lang=lang,
                direction=direction,
                media_overlay=overlay,
            )
        )
        self.files_titles[name] = title
        self.files_lang[name] = node_locale

    def _overlay(
        self, *, name: str, lang: str, body: ET.Element, page_id: int | None
    ) -> str | None:
        """Wrap the sentences of page ``page_id`` that ``body`` shows and write
        their Media Overlay; its name, or None without a recording of the page."""
        spoken = (
            self.read_along.pages.get(page_id)
            if self.read_along is not None and page_id is not None
            else None
        )
        if spoken is None or self.audio_cache is None:
            return None
        if lang == "de":
            mediopunkt_mark(body)  # as document_bytes will: the splits are not read
        wrapped, self.spoken_next[spoken.page_id] = sentences_wrap(
            body,
            spoken.sentences,
            first=self.spoken_next.get(spoken.page_id, 0),
            id_prefix=f"s-{spoken.page_id}-",
        )
        if not wrapped:
            return None
        audio = f"audio/{spoken.sha256}.mp3"
        if audio not in self.audio_files:
            self.audio_files[audio] = overlay_audio(spoken, cache=self.audio_cache)
        clips = [
            Clip(
                element_id=element_id,
                audio=audio,
                start=spoken.sentences[index].start,
                end=spoken.sentences[index].end,
            )
            for index, element_id in wrapped
        ]
        smil = name.removesuffix(".xhtml") + ".smil"
        self.overlay_files[smil] = smil_document(document=name, clips=clips)
        self.overlays.append(
            (smil, sum(round(c.end * 1000) - round(c.start * 1000) for c in clips))
        )
        return smil

    def _language_attrs(self, code: str) -> dict[str, str]:
        """``lang``/``dir`` for text of locale ``code`` inside the book's language
        (none when they are the same)."""
        lang, direction = _language(code)
        if lang == self.lang:
            return {}
        return {"lang": lang, "xml:lang": lang, "dir": direction}

    def _entry(self, *, title: str, href: str, node_locale: str) -> NavEntry:
        lang, direction = _language(node_locale)
        return NavEntry(title=title, href=href, lang=lang, direction=direction)

    def cover(self) -> None:
        labels = self.labels_for(self.root.locale)
        root = self.root
        name = "cover.xhtml"
        writer = self._writer(name, self.root.locale)
        self._placed(root.cover_image, labels["cover"])
        edition = date_format(root.edition_date, "F Y") if root.edition_date else ""
        section = E(
            "section",
            {"epub:type": "titlepage", "class": "titlepage"},
            E("h1", None, root.title),
            E("p", {"class": "subtitle"}, root.subtitle) if root.subtitle else None,
            writer.figure(root.cover_image) if root.cover_image else None,
            *writer.rich(root.intro),
            E("p", {"class": "publisher"}, root.publisher) if root.publisher else None,
            E("p", {"class": "edition"}, f"{labels['edition']}: {edition}")
            if edition
            else None,
        )
        self._add(
            name=name,
            title=root.title,
            node_locale=root.locale,
            section=section,
            spoken_id=root.id,
        )

    def chapters(self) -> None:
        for child in self.root.children:
            if isinstance(child, PortraitIndexNode):
                self.portraits(child)
            elif isinstance(child, ChapterNode):
                self.chapter(child)

    def chapter(self, node: ChapterNode) -> None:
        labels = self.labels_for(node.locale)
        name = f"chapter-{node.id}.xhtml"
        writer = self._writer(name, node.locale)
        heading = (
            f"{labels['chapter']} {node.number}: {node.title}"
            if node.number
            else node.title
        )
        self._images_in(node, node.title)
        section = E(
            "section",
            {"epub:type": "chapter", "role": "doc-chapter", "id": f"page-{node.id}"},
            E("h1", None, heading),
            *writer.rich(node.intro),
            *writer.blocks(node.body),
        )
        self._add(
            name=name,
            title=node.title,
            node_locale=node.locale,
            section=section,
            spoken_id=node.id,
        )
        entry = self._entry(title=heading, href=name, node_locale=node.locale)
        for page in node.children:
            sub = self.page(page)
            if sub is not None:
                entry.children.append(sub)
        self.toc.append(entry)

    def page(self, node: PageNode) -> NavEntry | None:
        labels = self.labels_for(node.locale)
        name = f"page-{node.id}.xhtml"
        writer = self._writer(name, node.locale)
        self._images_in(node, node.title)
        body: list[Child]
        if isinstance(node, RecommendationNode):
            kind = labels["recommendation"]
            places = [m.name for m in node.municipalities if m is not None]
            body = [
                E("p", {"class": "summary"}, node.summary) if node.summary else None,
                _facts(
                    [
                        (
                            labels["municipalities"],
                            ", ".join(places) or labels["whole_district"],
                        ),
                    ]
                ),
                *_titled(labels["why"], writer.rich(node.why)),
                *_titled(
                    labels["steps"],
                    [writer.steps(node.steps)] if node.steps else [],
                ),
                *_titled(labels["who_acts"], writer.rich(node.who_acts)),
            ]
        elif isinstance(node, BestPracticeNode):
            kind = labels["practice"]
            body = [
                _facts(
                    [
                        (
                            labels["municipalities"],
                            node.municipality.name if node.municipality else "",
                        )
                    ]
                ),
                *_titled(labels["what"], writer.rich(node.what)),
                *_titled(labels["how"], writer.rich(node.how)),
                *_titled(labels["outcome"], writer.rich(node.outcome)),
                writer.contact(node.contact),
            ]
        else:
            return None
        section = E(
            "section",
            {"id": f"page-{node.id}", "class": node.type},
            E("p", {"class": "kind"}, kind),
            E("h1", None, node.title),
            *body,
        )
        self._add(
            name=name,
            title=node.title,
            node_locale=node.locale,
            section=section,
            spoken_id=node.id,
        )
        return self._entry(title=node.title, href=name, node_locale=node.locale)

    def portraits(self, index: PortraitIndexNode) -> None:
        name = f"portraits-{index.id}.xhtml"
        writer = self._writer(name, index.locale)
        section = E(
            "section",
            {"epub:type": "part", "role": "doc-part", "id": f"page-{index.id}"},
            E("h1", None, index.title),
            *writer.rich(index.intro),
        )
        self._add(
            name=name,
            title=index.title,
            node_locale=index.locale,
            section=section,
            spoken_id=index.id,
        )
        entry = self._entry(title=index.title, href=name, node_locale=index.locale)
        for child in index.children:
            if isinstance(child, PortraitNode):
                entry.children.append(self.portrait(child))
        self.toc.append(entry)

    def portrait(self, node: PortraitNode) -> NavEntry:
        labels = self.labels_for(node.locale)
        name = f"portrait-{node.id}.xhtml"
        writer = self._writer(name, node.locale)
        display = node.display_name or node.title
        self._images_in(node, display)
        facts = [
            (labels["municipalities"], node.municipality.name)
            if node.municipality
            else None,
            (labels["origin"], node.origin) if node.origin else None,
            (labels["arrived"], str(node.year_of_arrival))
            if node.year_of_arrival
            else None,
        ]
        section = E(
            "section",
            {"id": f"page-{node.id}", "class": "portrait"},
            E("h1", None, display),
            E("p", {"class": "example"}, E("em", None, labels["example"]))
            if node.is_example
            else None,
            writer.figure(node.photo) if node.photo else None,
            E("blockquote", None, E("p", None, node.quote)) if node.quote else None,
            _facts([f for f in facts if f is not None]),
            *writer.blocks(node.story),
        )
        self._add(
            name=name,
            title=display,
            node_locale=node.locale,
            section=section,
            spoken_id=node.id,
        )
        return self._entry(title=display, href=name, node_locale=node.locale)

    def _images_in(self, node: PageNode, title: str) -> None:
        if isinstance(node, PortraitNode):
            self._placed(node.photo, title)
        for block in _blocks_of(node):
            if isinstance(block, ImageBlock):
                self._placed(block.image, title)

    def glossary(self) -> None:
        """Every term of the tree's glossary; those used link back to each use."""
        entries = {term.slug: term for term in self.tree.glossary}
        items: list[Child] = []
        for slug, term in sorted(
            entries.items(), key=lambda item: item[1].term.casefold()
        ):
            uses = self.uses.by_slug.get(slug, [])
            back = [
                E(
                    "a",
                    {"href": f"{file}#{anchor}", "role": "doc-backlink"}
                    | self._language_attrs(self.files_lang.get(file, self.locale)),
                    self.files_titles.get(file, file),
                )
                for file, anchor in uses
            ]
            links: list[Child] = []
            for number, link in enumerate(back):
                links += [", " if number else None, link]
            items += [
                E("dt", {"id": f"term-{slug}"}, E("dfn", None, term.term)),
                E(
                    "dd",
                    None,
                    E("p", None, term.explanation),
                    E("p", {"class": "uses"}, f"{self.labels['used_in']}: ", *links)
                    if back
                    else None,
                ),
            ]
        missing = set(self.uses.by_slug) - set(entries)
        if missing:
            # A marked term always comes from the tree's glossary; a link to a
            # term the glossary lacks would point nowhere.
            raise ValueError(f"glossary terms used but not in the glossary: {missing}")
        section = E(
            "section",
            {"epub:type": "glossary", "role": "doc-glossary"},
            E("h1", None, self.labels["glossary"]),
            E("dl", None, *items) if items else None,
        )
        self._add(
            name=GLOSSARY_FILE,
            title=self.labels["glossary"],
            node_locale=self.locale,
            section=section,
        )
        self.toc.append(
            self._entry(
                title=self.labels["glossary"],
                href=GLOSSARY_FILE,
                node_locale=self.locale,
            )
        )

    def credits(self) -> None:
        """Each credit line with the pictures it covers and where they appear."""
        by_credit: dict[str, list[str]] = {}
        for image_id in self.images:
            credit = (self.image_refs[image_id].credit or "").strip()
            if credit:
                places = by_credit.setdefault(credit, [])
                for place in self.image_places.get(image_id, []):
                    if place not in places:
                        places.append(place)
        name = "credits.xhtml"
        items = [
            E("li", None, credit, f" – {', '.join(places)}" if places else None)
            for credit, places in by_credit.items()
        ]
        section = E(
            "section",
            {"epub:type": "appendix", "role": "doc-appendix"},
            E("h1", None, self.labels["credits"]),
            E("ul", None, *items) if items else None,
        )
        self._add(
            name=name,
            title=self.labels["credits"],
            node_locale=self.locale,
            section=section,
        )
        self.toc.append(
            self._entry(
                title=self.labels["credits"], href=name, node_locale=self.locale
            )
        )

    def imprint(self) -> None:
        labels = self.labels_for(self.root.locale)
        root = self.root
        name = "imprint.xhtml"
        writer = self._writer(name, self.root.locale)
        partners = [
            E("li", None, p.organisation, f" ({p.role})" if p.role else None)
            for p in root.partners
        ]
        section = E(
            "section",
            {"epub:type": "colophon", "role": "doc-colophon"},
            E("h1", None, labels["imprint"]),
            *writer.rich(root.imprint),
            _facts([(labels["publisher"], root.publisher)] if root.publisher else []),
            *_titled(labels["partners"], [E("ul", None, *partners)])
            if partners
            else [],
            *_titled(labels["funding"], writer.rich(root.funding_note)),
        )
        self._add(
            name=name,
            title=labels["imprint"],
            node_locale=root.locale,
            section=section,
            spoken_id=root.id,
        )
        self.toc.append(
            self._entry(title=labels["imprint"], href=name, node_locale=root.locale)
        )

    def resources(self) -> list[Resource]:
        fonts = LATIN_FONTS + (ARABIC_FONTS if self._needs_arabic() else ())
        resources = [
            Resource(
                name=f"images/{image_id}.jpg",
                media_type="image/jpeg",
                data=data,
                properties="cover-image"
                if self.root.cover_image and image_id == self.root.cover_image.id
                else "",
            )
            for image_id, data in self.image_files.items()
        ]
        resources += [
            Resource(
                name=f"fonts/{file}",
                media_type="font/ttf",
                data=(FONTS / file).read_bytes(),
            )
            for _family, _weight, _style, file in fonts
        ]
        css = _css(fonts) + (ACTIVE_CSS.encode() if self.overlays else b"")
        resources.append(Resource(name=STYLESHEET, media_type="text/css", data=css))
        resources += [
            Resource(name=name, media_type=SMIL_MEDIA_TYPE, data=data)
            for name, data in self.overlay_files.items()
        ]
        resources += [
            Resource(name=name, media_type=AUDIO_MEDIA_TYPE, data=data)
            for name, data in sorted(self.audio_files.items())
        ]
        return resources

    def _needs_arabic(self) -> bool:
        return any(doc.direction == "rtl" for doc in self.documents)


def _titled(title: str, content: list[Child]) -> list[Child]:
    """A titled part of a page, left out when it has nothing."""
    if not [c for c in content if c is not None]:
        return []
    return [E("h2", None, title), *content]


def _facts(pairs: list[tuple[str, str]]) -> ET.Element | None:
    pairs = [(label, value) for label, value in pairs if value]
    if not pairs:
        return None
    items: list[Child] = []
    for label, value in pairs:
        items += [E("dt", None, label), E("dd", None, value)]
    return E("dl", {"class": "facts"}, *items)


def _blocks_of(node: PageNode) -> tuple[Block, ...]:
    if isinstance(node, ChapterNode):
        return node.body
    if isinstance(node, PortraitNode):
        return node.story
    return ()


def _css(fonts: tuple[tuple[str, str, str, str], ...]) -> bytes:
    faces = "".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f'font-style: {style}; src: url("fonts/{file}"); }}\n'
        for family, weight, style, file in fonts
    )
    return (faces + STYLE.read_text()).encode()


def _modified(tree: HandbookTree, root: HandbookNode) -> datetime:
    """The newest publication in the tree: the same content, the same date (and
    so the same bytes), whenever it is built."""
    stamps = [
        node.meta.last_published_at
        for node in tree.nodes()
        if node.meta.last_published_at is not None
    ]
    if stamps:
        return max(stamps).astimezone(UTC).replace(microsecond=0)
    if root.edition_date:
        return datetime.combine(root.edition_date, datetime.min.time(), tzinfo=UTC)
    return datetime(2000, 1, 1, tzinfo=UTC)


def epub_book(
    tree: HandbookTree,
    *,
    read_along: ReadAlong | None = None,
    audio_cache: Path | None = None,
) -> EpubBook | None:
    """The parts of ``tree``'s EPUB; None when the handbook is not visible.

    With ``read_along`` (the locale's recording) the book reads itself aloud:
    Media Overlays for every document that shows recorded sentences, the audio
    transcoded into ``audio_cache``.
    """
    root = tree.root
    if not isinstance(root, HandbookNode):
        return None
    with translation.override(tree.requested_locale):
        assembler = _Assembler(
            tree, root, read_along=read_along, audio_cache=audio_cache
        )
        assembler.cover()
        assembler.chapters()
        assembler.glossary()
        assembler.credits()
        assembler.imprint()
        first_text = next(
            (d.name for d in assembler.documents if d.name != "cover.xhtml"),
            "cover.xhtml",
        )
        labels = assembler.labels
        return EpubBook(
            identifier=f"urn:uuid:{_book_uuid(root, tree.requested_locale)}",
            locale=tree.requested_locale,
            lang=assembler.lang,
            direction=assembler.direction,
            title=root.title,
            title_lang=_language(root.locale)[0],
            subtitle=root.subtitle,
            publisher=root.publisher or "",
            modified=_modified(tree, root),
            labels=labels,
            documents=assembler.documents,
            resources=assembler.resources(),
            toc=assembler.toc,
            landmarks=[
                ("cover", labels["cover"], "cover.xhtml"),
                ("toc", labels["contents"], "nav.xhtml#toc"),
                ("bodymatter", labels["start"], first_text),
                ("glossary", labels["glossary"], GLOSSARY_FILE),
            ],
            image_count=len(assembler.images),
            images_without_alt=sum(
                1
                for image_id in assembler.images
                if not (assembler.image_refs[image_id].alt or "").strip()
            ),
            overlays=assembler.overlays,
        )


def _book_uuid(root: HandbookNode, locale: str) -> str:
    """A stable identifier per handbook and locale (the same on every rebuild)."""
    return str(uuid5(NAMESPACE_URL, f"wegweiser:{root.translation_key}:{locale}"))


__all__ = ["ContentDocument", "EpubBook", "NavEntry", "Resource", "epub_book"]
