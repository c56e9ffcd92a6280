"""Loading the demo handbook: snippets, images, pages and their translations.

Pages are created and published as an editor would; translations are created through
wagtail-localize (TranslationSource → segments → StringTranslations → save_target),
so they show up in its editor and reports like any translator's work.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.operations import TranslationCreator
from wagtail_localize.segments import RelatedObjectSegmentValue, StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from cms.demo.placeholders import illustration_png, portrait_png
from cms.images.models import HandbookImage, ImageAltText
from cms.locales import content_locales
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
# Where the demo is imperfect on purpose (see the file and the README).
IMPERFECTIONS_FILE = "imperfections.yaml"

Progress = Callable[[str], None]


class DemoDataError(Exception):
    """The demo data files are incomplete or inconsistent."""


@dataclass
class LocaleTranslation:
    """What was translated into one locale, and what stayed German and why."""

    code: str
    pages: int = 0
    snippets: int = 0
    # Page title or snippet → the source strings the file lacks (or a reason).
    skipped: dict[str, list[str]] = field(default_factory=dict)
    # Pages imperfections.yaml leaves untranslated on purpose.
    left_out: list[str] = field(default_factory=list)
    # Pages below a page that stayed German (they stay German with it).
    below_untranslated: int = 0


@dataclass
class DemoLoadResult:
    """What a load did, for the summary."""

    handbook: HandbookPage
    created: bool
    pages: int = 0
    translations: dict[str, LocaleTranslation] = field(default_factory=dict)
    # One line per page revised after translation (outdated on purpose).
    outdated: list[str] = field(default_factory=list)


def demo_translation_locales(data_dir: Path = DATA_DIR) -> list[str]:
    """Every configured content locale that has a translations/<code>.yaml, in the
    configured order."""
    folder = data_dir / "translations"
    return [
        loc.code
        for loc in content_locales()
        if not loc.is_source and (folder / f"{loc.code}.yaml").exists()
    ]


def demo_imperfections_read(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    path = data_dir / IMPERFECTIONS_FILE
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


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
        self.imperfections = demo_imperfections_read(data_dir)
        self.chapters: set[int] | None = None

    # --- entry point ----------------------------------------------------------------

    @transaction.atomic
    def load(
        self,
        translate: bool = True,
        locales: Sequence[str] | None = None,
        chapters: Sequence[int] | None = None,
    ) -> DemoLoadResult:
        """Load the German handbook, then translate it into ``locales`` (default:
        every locale with a translations file); ``chapters`` (numbers) limits the
        translated pages to the handbook page and those chapters."""
        self.chapters = set(chapters) if chapters is not None else None
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
        for chapter_data in self.data["chapters"]:
            self.progress(f"Kapitel {chapter_data['number']}")
            self._load_chapter(handbook, chapter_data)
        self.progress("Porträts")
        self._load_portraits(handbook)
        result = DemoLoadResult(handbook=handbook, created=True, pages=self.page_count)
        if translate:
            available = demo_translation_locales(self.data_dir)
            wanted = available if locales is None else locales
            for code in wanted:
                if code not in available:
                    raise DemoDataError(
                        f"no translations file for locale {code!r}; "
                        f"available: {', '.join(available)}"
                    )
                if not Locale.objects.filter(language_code=code).exists():
                    continue  # a district that configured fewer locales
                self.progress(f"Übersetzung {code}")
                result.translations[code] = self.translate(handbook, code)
            result.outdated = self.make_outdated(handbook, list(result.translations))
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

    def translate(self, handbook: HandbookPage, code: str) -> LocaleTranslation:
        """Translate into ``code`` everything its file covers completely.

        Snippets, alt texts and pages whose every string is in the file are created
        through wagtail-localize; a page with a missing string (or whose parent
        stayed untranslated, or that ``imperfections.yaml`` leaves out on purpose)
        stays German and is listed in the result, so readers get the German page as
        a marked fallback.
        """
        strings = demo_translations_read(code, self.data_dir)
        locale = Locale.objects.get(language_code=code)
        creator = TranslationCreator(user=None, target_locales=[locale])
        result = LocaleTranslation(code=code)
        left_out = set(self.imperfections.get("missing", {}).get(code, []))
        snippets = self._translatable_snippets()
        if self.chapters is not None:
            # Portrait photos' alt texts go with the portraits, which are left out.
            snippets = [
                obj
                for obj in snippets
                if not isinstance(obj, ImageAltText)
                or obj.image_id in {image.pk for image in self.images.values()}
            ]
        for obj in snippets:
            missing = missing_strings(obj, strings)
            if missing:
                result.skipped[str(obj)] = missing
                continue
            self._translate_object(creator, obj, locale, strings)
            result.snippets += 1
        translated_paths: list[str] = []
        pages = [handbook, *(p.specific for p in handbook.get_descendants())]
        if self.chapters is not None:
            # Only these chapters (and the handbook page): the rest is not asked
            # about, as if the files stopped there.
            roots = [
                p.path
                for p in pages
                if isinstance(p, ChapterPage) and p.number in self.chapters
            ]
            pages = [handbook] + [
                p for p in pages if any(p.path.startswith(r) for r in roots)
            ]
        for page in pages:
            parent_ok = page.pk == handbook.pk or any(
                page.path.startswith(path) and len(page.path) == len(path) + 4
                for path in translated_paths
            )
            if not parent_ok:
                result.below_untranslated += 1
                continue
            if page.slug in left_out:
                result.left_out.append(page.title)
                continue
            missing = missing_strings(page, strings)
            unresolved = _untranslated_references(page, locale)
            if missing or unresolved:
                result.skipped[page.title] = missing + unresolved
                continue
            self._translate_object(creator, page, locale, strings)
            translated_paths.append(page.path)
            result.pages += 1
        return result

    def _translatable_snippets(self) -> list[Any]:
        return [
            *Organisation.objects.filter(locale=self.source_locale),
            *Topic.objects.filter(locale=self.source_locale),
            *Contact.objects.filter(locale=self.source_locale),
            *GlossaryTerm.objects.filter(locale=self.source_locale),
            *ImageAltText.objects.filter(locale=self.source_locale),
        ]

    def _translate_object(
        self,
        creator: TranslationCreator,
        obj: Any,
        locale: Locale,
        strings: dict[str, str],
    ) -> None:
        source, _ = TranslationSource.get_or_create_from_instance(obj)
        self._fill_strings(source, locale, strings)
        creator.create_translations(obj, include_related_objects=False)

    def make_outdated(self, handbook: HandbookPage, done: list[str]) -> list[str]:
        """Revise German texts after translating, as ``imperfections.yaml`` says.

        Each entry names a page, a plain text field and its revised German text. The
        German page is published with it and its translation source synced; the
        locales listed as ``behind`` keep their translation of the earlier text
        (their status becomes "outdated"), every other locale's translators are
        taken to have confirmed their text, which is carried over to the new string.
        Returns one line per revised page for the progress output.
        """
        lines = []
        for entry in self.imperfections.get("outdated", []):
            page = (
                handbook.get_descendants().filter(slug=entry["page"]).specific().first()
            )
            if page is None:
                raise DemoDataError(
                    f"imperfections.yaml: no page with slug {entry['page']!r}"
                )
            source = TranslationSource.objects.filter(
                object_id=page.translation_key, locale=self.source_locale
            ).first()
            behind = [code for code in entry["behind"] if code in done]
            if source is None or not behind:
                continue
            field_name = entry["field"]
            setattr(page, field_name, entry["revised"])
            page.save_revision().publish()
            source.update_from_db()
            _carry_over(source, field_name, exclude=behind)
            lines.append(
                f"{page.title}: German {field_name} revised after translation; "
                f"behind in {', '.join(behind)}"
            )
        return lines

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
    ) -> None:
        segments = StringSegment.objects.filter(source=source).select_related(
            "string", "context"
        )
        title = next((s.string.data for s in segments if s.context.path == "title"), "")
        for segment in segments:
            text = segment.string.data
            if segment.context.path == "slug":
                translated: str | None = DemoHandbookLoader._translated_slug(
                    text,
                    strings.get(normalize_segment_text(title)),
                    locale,
                )
            else:
                translated = _lookup(strings, text)
            if translated is None:
                raise DemoDataError(f"no translation for {text!r}")  # checked before
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": translated,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )


def _lookup(strings: dict[str, str], text: str) -> str | None:
    """The translation of one source string; blank strings translate to themselves."""
    key = normalize_segment_text(text)
    if not key:
        return text
    return strings.get(key)


def missing_strings(obj: Any, strings: dict[str, str]) -> list[str]:
    """The source strings of ``obj`` that ``strings`` has no translation for.

    Read from the segments wagtail-localize would extract, without storing
    anything; slugs are made by the loader and never missing.
    """
    missing = []
    for segment in extract_segments(obj):
        if not isinstance(segment, StringSegmentValue) or segment.path == "slug":
            continue
        if _lookup(strings, segment.string.data) is None:
            missing.append(segment.string.data)
    return missing


def _untranslated_references(page: Page, locale: Locale) -> list[str]:
    """Snippets a page links to that have no version in ``locale`` (wagtail-localize
    could not point the translated page at them)."""
    missing = []
    for segment in extract_segments(page):
        if isinstance(segment, RelatedObjectSegmentValue):
            try:
                segment.get_instance(locale)
            except ObjectDoesNotExist:
                missing.append(f"(verknüpftes Snippet {segment.path} nicht übersetzt)")
    return missing


def _carry_over(source: TranslationSource, path: str, *, exclude: list[str]) -> None:
    """Keep each locale's translation of the field's earlier text for its new
    string, except in the locales in ``exclude`` (they stay behind)."""
    segment = StringSegment.objects.filter(source=source, context__path=path).first()
    if segment is None:
        return
    previous = (
        StringTranslation.objects.filter(context=segment.context)
        .exclude(translation_of=segment.string)
        .exclude(locale__language_code__in=exclude)
    )
    for old in previous:
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=old.locale,
            context=segment.context,
            defaults={"data": old.data, "translation_type": old.translation_type},
        )


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
    locales: Sequence[str] | None = None,
    chapters: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> DemoLoadResult:
    """Load the demo handbook unless it is there already (safe to run again).

    ``locales`` limits the translations (default: every locale with a file),
    ``chapters`` the translated pages (default: all; the test suite uses ``(1,)``).
    """
    loader = DemoHandbookLoader(
        demo_data_read(data_dir), progress=progress, data_dir=data_dir
    )
    return loader.load(translate=translate, locales=locales, chapters=chapters)


def demo_missing_strings(
    code: str, *, data_dir: Path = DATA_DIR
) -> dict[str, list[str]]:
    """For translators: per German page or snippet of the loaded demo, the source
    strings ``translations/<code>.yaml`` does not translate yet. Stores nothing."""
    strings = demo_translations_read(code, data_dir)
    source = Locale.get_default()
    handbook = HandbookPage.objects.filter(
        slug=demo_data_read(data_dir)["handbook"]["slug"], locale=source
    ).first()
    if handbook is None:
        raise DemoDataError("the demo handbook is not loaded; run load_demo first")
    loader = DemoHandbookLoader({}, data_dir=data_dir)
    objects = [
        *loader._translatable_snippets(),
        handbook,
        *(p.specific for p in handbook.get_descendants()),
    ]
    report: dict[str, list[str]] = {}
    for obj in objects:
        missing = missing_strings(obj, strings)
        if missing:
            report[str(obj)] = missing
    return report
