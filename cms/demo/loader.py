"""Loading the demo handbook: snippets, images, pages and their translations.

Pages are created and published as an editor would; translations are created through
wagtail-localize (TranslationSource → segments → StringTranslations → save_target),
so they show up in its editor and reports like any translator's work.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from cms.demo.placeholders import illustration_png, portrait_png
from cms.images.models import HandbookImage, ImageAltText
from cms.pages.models import (
    BestPracticePage,
    ChapterPage,
    HandbookPage,
    HandbookPartner,
    PortraitConsent,
    PortraitIndexPage,
    PortraitPage,
    RecommendationPage,
)
from cms.plain_language.services import plain_language_workflow_ensure
from cms.services import locales_ensure_configured, site_ensure_tree_root
from cms.snippets.models import Contact, GlossaryTerm, Municipality, Organisation, Topic

DATA_DIR = Path(__file__).parent / "data"
SOURCE_FILES = ("handbook.yaml", "chapters.yaml")
DEMO_TRANSLATION_LOCALES = ("en", "ar", "de-x-ls")

Progress = Callable[[str], None]


class DemoDataError(Exception):
    """The demo data files are incomplete or inconsistent."""


@dataclass
class DemoLoadResult:
    """What a load did, for the one-line summary."""

    handbook: HandbookPage
    created: bool
    pages: int = 0
    translations: dict[str, int] = field(default_factory=dict)


def demo_data_read(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Merge the German source files into one dict."""
    merged: dict[str, Any] = {"chapters": []}
    for name in SOURCE_FILES:
        data = yaml.safe_load((data_dir / name).read_text(encoding="utf-8")) or {}
        chapters = data.pop("chapters", [])
        merged.update(data)
        merged["chapters"] += chapters
    merged["chapters"].sort(key=lambda c: c["number"])
    return merged


def demo_translations_read(locale: str, data_dir: Path = DATA_DIR) -> dict[str, str]:
    path = data_dir / "translations" / f"{locale}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("locale") != locale:
        raise DemoDataError(
            f"{path} says locale {data.get('locale')!r}, not {locale!r}"
        )
    return {normalize_segment_text(k): v for k, v in data["strings"].items()}


def normalize_segment_text(text: str) -> str:
    """Compare source strings the way wagtail-localize stores them."""
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _rich(paragraphs: list[str] | str | None) -> str:
    if not paragraphs:
        return ""
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    return "".join(f"<p>{p.strip()}</p>" for p in paragraphs)


class DemoHandbookLoader:
    """Builds the demo handbook from the YAML files in one transaction."""

    def __init__(
        self,
        data: dict[str, Any],
        progress: Progress | None = None,
        data_dir: Path = DATA_DIR,
    ) -> None:
        self.data = data
        self.data_dir = data_dir
        self.progress = progress or (lambda message: None)
        self.source_locale = Locale.get_default()
        self.organisations: dict[str, Organisation] = {}
        self.municipalities: dict[str, Municipality] = {}
        self.topics: dict[str, Topic] = {}
        self.contacts: dict[str, Contact] = {}
        self.glossary: dict[str, GlossaryTerm] = {}
        self.images: dict[str, HandbookImage] = {}
        self.page_count = 0

    # --- entry point ----------------------------------------------------------------

    @transaction.atomic
    def load(self, translate: bool = True) -> DemoLoadResult:
        locales_ensure_configured()
        slug = self.data["handbook"]["slug"]
        existing = HandbookPage.objects.filter(
            slug=slug, locale=self.source_locale
        ).first()
        if existing is not None:
            return DemoLoadResult(handbook=existing, created=False)

        self.progress("Snippets")
        self._load_snippets()
        self.progress("Bilder")
        self._load_images()
        self.progress("Handbuch")
        handbook = self._load_handbook()
        chapters = []
        for chapter_data in self.data["chapters"]:
            self.progress(f"Kapitel {chapter_data['number']}")
            chapters.append(self._load_chapter(handbook, chapter_data))
        self.progress("Porträts")
        self._load_portraits(handbook)
        result = DemoLoadResult(handbook=handbook, created=True, pages=self.page_count)
        if translate:
            translated_chapter = chapters[0]
            for code in DEMO_TRANSLATION_LOCALES:
                if not Locale.objects.filter(language_code=code).exists():
                    continue  # a district that configured fewer locales
                self.progress(f"Übersetzung {code}")
                result.translations[code] = self._translate(
                    code, [handbook, translated_chapter]
                )
            # Publishing de-x-ls pages goes through the Prüfgruppe from now on.
            plain_language_workflow_ensure()
            # wagtail-localize publishes translated pages on commit, from revisions
            # saved before their children existed, which resets the parents'
            # numchild. This callback runs after those publishes and recounts.
            transaction.on_commit(_recount_translated_children)
        return result

    # --- snippets and images ----------------------------------------------------------

    def _load_snippets(self) -> None:
        loc = self.source_locale
        for item in self.data["organisations"]:
            self.organisations[item["key"]], _ = Organisation.objects.get_or_create(
                locale=loc,
                name=item["name"],
                defaults={
                    "short_name": item.get("short_name", ""),
                    "kind": item["kind"],
                    "website": item.get("website", ""),
                    "address": item.get("address", ""),
                },
            )
        for item in self.data["municipalities"]:
            self.municipalities[item["key"]], _ = Municipality.objects.get_or_create(
                slug=item["key"],
                defaults={
                    "name": item["name"],
                    "postal_code": str(item.get("postal_code", "")),
                    "description": item.get("description", ""),
                },
            )
        for item in self.data["topics"]:
            self.topics[item["key"]], _ = Topic.objects.get_or_create(
                locale=loc,
                slug=item["key"],
                defaults={
                    "name": item["name"],
                    "description": item.get("description", ""),
                },
            )
        for item in self.data["contacts"]:
            self.contacts[item["key"]], _ = Contact.objects.get_or_create(
                locale=loc,
                name=item["name"],
                defaults={
                    "role": item.get("role", ""),
                    "organisation": self.organisations.get(item.get("organisation")),
                    "municipality": self.municipalities.get(item.get("municipality")),
                    "email": item.get("email", ""),
                    "phone": str(item.get("phone", "")),
                },
            )
        for item in self.data["glossary"]:
            self.glossary[item["key"]], _ = GlossaryTerm.objects.get_or_create(
                locale=loc,
                slug=item["key"],
                defaults={"term": item["term"], "explanation": item["explanation"]},
            )

    def _load_images(self) -> None:
        for item in self.data["images"]:
            image = HandbookImage.objects.filter(title=item["title"]).first()
            if image is None:
                image = _placeholder_image(
                    title=item["title"],
                    alt_text=item["alt_text"],
                    credit=item.get("credit", "Grafik: LRA ADK"),
                    png=illustration_png(item["key"], item["title"]),
                    filename=f"{item['key']}.png",
                )
            self.images[item["key"]] = image

    # --- pages ------------------------------------------------------------------------

    def _publish(self, parent: Page, page: Page) -> Page:
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.page_count += 1
        return page

    def _load_handbook(self) -> HandbookPage:
        data = self.data["handbook"]
        root = Page.get_first_root_node()
        self._remove_wagtail_welcome_page(root)
        site_ensure_tree_root()
        handbook = HandbookPage(
            title=data["title"],
            slug=data["slug"],
            subtitle=data.get("subtitle", ""),
            intro=_rich(data.get("intro")),
            edition_date=data["edition_date"],
            edition=data.get("edition", ""),
            printer=data.get("printer", ""),
            print_run=data.get("print_run"),
            publisher=self.organisations[data["publisher"]],
            funding_note=_rich(data.get("funding_note")),
            imprint=_rich(data.get("imprint")),
            cover_image=self.images.get("cover"),
            locale=self.source_locale,
        )
        for item in data.get("partners", []):
            handbook.partners.add(
                HandbookPartner(
                    organisation=self.organisations[item["organisation"]],
                    role=item["role"],
                    locale=self.source_locale,
                )
            )
        self._publish(root, handbook)
        return handbook

    @staticmethod
    def _remove_wagtail_welcome_page(root: Page) -> None:
        # Wagtail's first migration creates a plain "Welcome" page; the handbooks
        # take its place. Anything an editor created is left alone.
        for page in root.get_children().filter(
            content_type__model="page", content_type__app_label="wagtailcore"
        ):
            if page.numchild == 0 and page.slug == "home":
                Site.objects.filter(root_page=page).update(root_page=root)
                page.delete()

    def _blocks(self, blocks: list[dict[str, Any]]) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        for block in blocks:
            kind = block["type"]
            if kind == "paragraph":
                out.append(("paragraph", _rich(block["text"])))
            elif kind == "heading":
                out.append(
                    (
                        "heading",
                        {"text": block["text"], "level": block.get("level", "h2")},
                    )
                )
            elif kind == "quote":
                out.append(
                    (
                        "quote",
                        {
                            "text": block["text"],
                            "attribution": block.get("attribution", ""),
                        },
                    )
                )
            elif kind == "tip":
                out.append(
                    (
                        "tip",
                        {
                            "kind": block.get("kind", "tip"),
                            "title": block.get("title", ""),
                            "text": _rich(block["text"]),
                        },
                    )
                )
            elif kind == "steps":
                out.append(
                    (
                        "steps",
                        {
                            "title": block.get("title", ""),
                            "steps": [
                                {"title": s["title"], "text": s.get("text", "")}
                                for s in block["items"]
                            ],
                        },
                    )
                )
            elif kind == "glossary":
                out.append(("glossary", self.glossary[block["term"]]))
            elif kind == "contact":
                out.append(("contact", self.contacts[block["contact"]]))
            elif kind == "image":
                out.append(
                    (
                        "image",
                        {
                            "image": self.images[block["image"]],
                            "caption": block.get("caption", ""),
                        },
                    )
                )
            else:
                raise DemoDataError(f"unknown block type {kind!r}")
        return out

    def _load_chapter(
        self, handbook: HandbookPage, data: dict[str, Any]
    ) -> ChapterPage:
        chapter = self._publish(
            handbook,
            ChapterPage(
                title=data["title"],
                slug=data["slug"],
                number=data["number"],
                topic=self.topics.get(data.get("topic")),
                intro=_rich(data.get("intro")),
                body=self._blocks(data.get("body", [])),
            ),
        )
        for rec in data.get("recommendations", []):
            self._publish(
                chapter,
                RecommendationPage(
                    title=rec["title"],
                    slug=rec["slug"],
                    topic=self.topics.get(rec.get("topic")),
                    municipalities=[
                        self.municipalities[key]
                        for key in rec.get("municipalities", [])
                    ],
                    summary=rec["summary"],
                    why=_rich(rec.get("why")),
                    steps=[
                        ("step", {"title": s["title"], "text": s.get("text", "")})
                        for s in rec.get("steps", [])
                    ],
                    who_acts=_rich(rec.get("who_acts")),
                ),
            )
        for practice in data.get("best_practices", []):
            self._publish(
                chapter,
                BestPracticePage(
                    title=practice["title"],
                    slug=practice["slug"],
                    municipality=self.municipalities[practice["municipality"]],
                    topic=self.topics.get(practice.get("topic")),
                    what=_rich(practice.get("what")),
                    how=_rich(practice.get("how")),
                    outcome=_rich(practice.get("outcome")),
                    contact=self.contacts.get(practice.get("contact")),
                ),
            )
        return chapter

    def _load_portraits(self, handbook: HandbookPage) -> None:
        data = self.data["portraits"]
        index_page = self._publish(
            handbook,
            PortraitIndexPage(
                title=data["title"], slug=data["slug"], intro=_rich(data.get("intro"))
            ),
        )
        for item in data["items"]:
            consent_data = item.get("consent", {})
            consent = PortraitConsent.objects.create(
                reference=f"Beispiel {item['display_name']} ({item['key']})",
                web=bool(consent_data.get("web")),
                print=bool(consent_data.get("print")),
                simple=bool(consent_data.get("simple")),
                given_on=consent_data.get("date") or date(2019, 10, 1),
                withdrawn_on=consent_data.get("withdrawn"),
                note="Fiktives Beispiel aus den Demodaten.",
            )
            photo = _placeholder_image(
                title=f"Platzhalter Porträt {item['display_name']}",
                alt_text=(
                    f"Platzhaltergrafik für das Beispielporträt {item['display_name']}"
                ),
                credit="Grafik: LRA ADK",
                png=portrait_png(item["key"], item["display_name"]),
                filename=f"portrait-{item['key']}.png",
            )
            self._publish(
                index_page,
                PortraitPage(
                    title=f"{item['display_name']} – {item['origin']}",
                    slug=item["slug"],
                    display_name=item["display_name"],
                    is_example=True,
                    municipality=self.municipalities[item["municipality"]],
                    origin=item.get("origin", ""),
                    year_of_arrival=item.get("year_of_arrival"),
                    quote=item.get("quote", ""),
                    story=[("paragraph", _rich(p)) for p in item.get("story", [])],
                    photo=photo,
                    consent=consent,
                ),
            )

    # --- translations -----------------------------------------------------------------

    def _translate(self, code: str, pages: list[Page]) -> int:
        """Translate every snippet, and ``pages`` with their subtrees, into ``code``."""
        strings = demo_translations_read(code, self.data_dir)
        locale = Locale.objects.get(language_code=code)
        creator = TranslationCreator(user=None, target_locales=[locale])
        objects: list[Any] = [
            *Organisation.objects.filter(locale=self.source_locale),
            *Topic.objects.filter(locale=self.source_locale),
            *Contact.objects.filter(locale=self.source_locale),
            *GlossaryTerm.objects.filter(locale=self.source_locale),
            *ImageAltText.objects.filter(
                locale=self.source_locale, image__in=self.images.values()
            ),
        ]
        for page in pages:
            objects.append(page)
            if isinstance(page, ChapterPage):
                objects += [p.specific for p in page.get_descendants()]
        missing: list[str] = []
        for obj in objects:
            source, _ = TranslationSource.get_or_create_from_instance(obj)
            missing += self._fill_strings(source, locale, strings)
        if missing:
            unique = sorted(set(missing))
            listing = "\n  ".join(unique[:20])
            raise DemoDataError(
                f"translations/{code}.yaml lacks {len(unique)} strings:\n  {listing}"
            )
        for obj in objects:
            creator.create_translations(obj, include_related_objects=False)
        return len(objects)

    @staticmethod
    def _translated_slug(source_slug: str, title: str | None, locale: Locale) -> str:
        # Slugs stay ASCII. English gets one from its title; other locales keep the
        # German slug with the locale code, which also keeps handbook roots (siblings
        # under the tree root) apart.
        if locale.language_code == "en" and title and slugify(title):
            return slugify(title)[:80]
        return f"{source_slug}-{slugify(locale.language_code)}"

    @staticmethod
    def _fill_strings(
        source: TranslationSource, locale: Locale, strings: dict[str, str]
    ) -> list[str]:
        missing = []
        segments = StringSegment.objects.filter(source=source).select_related(
            "string", "context"
        )
        title = next((s.string.data for s in segments if s.context.path == "title"), "")
        for segment in segments:
            text = segment.string.data
            if segment.context.path == "slug":
                translated = DemoHandbookLoader._translated_slug(
                    text,
                    strings.get(normalize_segment_text(title)),
                    locale,
                )
            else:
                translated = strings.get(normalize_segment_text(text))
                if translated is None and not normalize_segment_text(text):
                    translated = text
            if translated is None:
                missing.append(text)
                continue
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": translated,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
        return missing


def _placeholder_image(
    *, title: str, alt_text: str, credit: str, png: bytes, filename: str
) -> HandbookImage:
    image = HandbookImage(
        title=title,
        description=alt_text,
        credit=credit,
        file=ContentFile(png, name=filename),
    )
    image._set_image_file_metadata()
    image.save()
    return image


def _recount_translated_children() -> None:
    source = Locale.get_default()
    for page in Page.objects.exclude(locale=source).filter(depth__gt=1):
        # Counted by path: treebeard's get_children() trusts numchild itself.
        count = Page.objects.filter(
            path__startswith=page.path, depth=page.depth + 1
        ).count()
        if page.numchild != count:
            Page.objects.filter(pk=page.pk).update(numchild=count)


def demo_handbook_load(
    *,
    data_dir: Path = DATA_DIR,
    translate: bool = True,
    progress: Progress | None = None,
) -> DemoLoadResult:
    """Load the demo handbook unless it is there already (safe to run again)."""
    loader = DemoHandbookLoader(
        demo_data_read(data_dir), progress=progress, data_dir=data_dir
    )
    return loader.load(translate=translate)
