"""Synthetic handbooks of any size, for benchmarks.

A benchmark needs thousands of pages in every locale within seconds, so pages are
written with bulk inserts (tree paths computed here) instead of one `add_child` and
one revision each. The pages are live and well-formed Wagtail pages sharing a
translation_key across locales, but have no revisions and no search index entries.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import Locale, Page

from cms.pages.models import (
    BestPracticePage,
    ChapterPage,
    HandbookPage,
    PortraitConsent,
    PortraitIndexPage,
    PortraitPage,
    RecommendationPage,
)
from cms.services import locales_ensure_configured
from cms.snippets.models import Municipality, Topic

WORDS = [
    "Integration",
    "Ehrenamt",
    "Verein",
    "Gemeinde",
    "Sprache",
    "Kurs",
    "Begegnung",
    "Nachbarschaft",
    "Schule",
    "Familie",
    "Arbeit",
    "Mobilität",
    "Bus",
    "Fahrrad",
    "Beratung",
    "Information",
    "Zugang",
    "Teilhabe",
    "Engagement",
    "Patenschaft",
    "Bildung",
    "Kita",
    "Sport",
    "Musik",
    "Fest",
    "Treffpunkt",
    "Rathaus",
    "Landkreis",
    "Stadt",
    "Kommune",
    "Angebot",
    "Austausch",
    "Vertrauen",
    "Zukunft",
    "Unterstützung",
]

Progress = Callable[[int, int], None]


@dataclass
class SyntheticHandbook:
    """What was generated."""

    handbook: HandbookPage
    pages_per_locale: int
    locales: list[str]
    total_pages: int


def _sentence(rng: random.Random, words: int = 12) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraphs(rng: random.Random, count: int, prefix: str) -> str:
    return "".join(
        f"<p>{prefix}{' '.join(_sentence(rng) for _ in range(3))}</p>"
        for _ in range(count)
    )


def _page_plan(total: int) -> list[tuple[type[Page], int]]:
    """(model, parent index) for each page below the handbook, in tree order.

    Parent index -1 is the handbook itself; others index into the plan.
    """
    plan: list[tuple[type[Page], int]] = []
    portraits = min(9, max(0, total // 50))
    rest = total - (portraits + 1 if portraits else 0)
    chapters = max(1, rest // 25)
    per_chapter = (rest - chapters) / chapters
    for c in range(chapters):
        plan.append((ChapterPage, -1))
        chapter_index = len(plan) - 1
        children = round(per_chapter * (c + 1)) - round(per_chapter * c)
        for i in range(children):
            plan.append(
                (RecommendationPage if i % 2 == 0 else BestPracticePage, chapter_index)
            )
    if portraits:
        plan.append((PortraitIndexPage, -1))
        index_index = len(plan) - 1
        plan += [(PortraitPage, index_index)] * portraits
    return plan[:total]


class SyntheticHandbookBuilder:
    """Writes one synthetic handbook in every requested locale."""

    def __init__(self, pages: int, locales: list[str], seed: int = 0) -> None:
        if pages < 1:
            raise ValueError("a handbook needs at least one page below its root")
        self.pages = pages
        self.locale_codes = locales
        self.seed = seed
        self.now = timezone.now()

    @transaction.atomic
    def build(self, progress: Progress | None = None) -> SyntheticHandbook:
        locales_ensure_configured()
        locales = {loc.language_code: loc for loc in Locale.objects.all()}
        unknown = [code for code in self.locale_codes if code not in locales]
        if unknown:
            raise ValueError(
                f"locale {', '.join(unknown)} is not configured; "
                f"known: {', '.join(sorted(locales))}"
            )
        source = Locale.get_default()
        codes = [source.language_code] + [
            c for c in self.locale_codes if c != source.language_code
        ]
        municipalities = list(Municipality.objects.all()) or [
            Municipality.objects.create(name="Musterstadt", slug="musterstadt")
        ]
        topic = Topic.objects.filter(locale=source).first()
        consent = PortraitConsent.objects.create(
            reference="Synthetisch (Benchmark)",
            web=True,
            print=True,
            simple=True,
            given_on=date(2019, 10, 1),
        )
        plan = _page_plan(self.pages)
        keys = [uuid.uuid4() for _ in plan]
        root = Page.get_first_root_node()
        handbook_key = uuid.uuid4()
        slug = f"synthetischer-handbuch-{self.pages}-{handbook_key.hex[:6]}"
        total = len(codes) * len(plan)
        done = 0
        source_handbook: HandbookPage | None = None
        for code in codes:
            rng = random.Random(self.seed)
            locale = locales[code]
            prefix = "" if code == source.language_code else f"[{code}] "
            handbook = HandbookPage(
                title=f"{prefix}Synthetisches Handbuch ({self.pages} Seiten)",
                # Siblings under the tree root need distinct slugs in every locale.
                slug=slug if not prefix else f"{slug}-{code}",
                subtitle="Für Messungen erzeugt",
                intro=_paragraphs(rng, 2, prefix),
                locale=locale,
                translation_key=handbook_key,
            )
            root.add_child(instance=handbook)
            root.refresh_from_db()
            source_handbook = source_handbook or handbook
            pages: list[Page] = []
            for i, (model, parent_index) in enumerate(plan):
                parent = handbook if parent_index < 0 else pages[parent_index]
                page = self._make_page(
                    model, i, rng, prefix, municipalities, topic, consent
                )
                page.locale = locale
                page.translation_key = keys[i]
                self._place(page, parent, i)
                pages.append(page)
            _bulk_insert_pages(pages)
            handbook.numchild = sum(1 for _, p in plan if p < 0)
            handbook.save(update_fields=["numchild"])
            done += len(plan)
            if progress:
                progress(done, total)
        assert source_handbook is not None
        return SyntheticHandbook(
            handbook=source_handbook,
            pages_per_locale=len(plan) + 1,
            locales=codes,
            total_pages=len(codes) * (len(plan) + 1),
        )

    def _place(self, page: Page, parent: Page, index: int) -> None:
        parent.numchild = getattr(parent, "numchild", 0) + 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, parent.numchild)
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = self.now
        page.draft_title = page.title

    @staticmethod
    def _make_page(model, i, rng, prefix, municipalities, topic, consent) -> Page:
        title = (
            f"{prefix}{model._meta.verbose_name.title()} {i + 1}: {_sentence(rng, 4)}"
        )
        common = {"title": title[:255], "slug": f"seite-{i + 1}"}
        if model is ChapterPage:
            return ChapterPage(
                **common,
                number=i + 1,
                topic=topic,
                intro=_paragraphs(rng, 1, prefix),
                body=[
                    ("heading", {"text": _sentence(rng, 4), "level": "h2"}),
                    ("paragraph", _paragraphs(rng, 2, prefix)),
                    (
                        "tip",
                        {
                            "kind": "tip",
                            "title": "Tipp",
                            "text": _paragraphs(rng, 1, prefix),
                        },
                    ),
                ],
            )
        if model is RecommendationPage:
            return RecommendationPage(
                **common,
                topic=topic,
                summary=prefix + _sentence(rng, 20),
                why=_paragraphs(rng, 2, prefix),
                steps=[("step", {"title": _sentence(rng, 3), "text": _sentence(rng)})]
                * 3,
                who_acts=_paragraphs(rng, 1, prefix),
            )
        if model is BestPracticePage:
            return BestPracticePage(
                **common,
                municipality=municipalities[i % len(municipalities)],
                topic=topic,
                what=_paragraphs(rng, 2, prefix),
                how=_paragraphs(rng, 2, prefix),
                outcome=_paragraphs(rng, 1, prefix),
            )
        if model is PortraitIndexPage:
            return PortraitIndexPage(**common, intro=_paragraphs(rng, 1, prefix))
        return PortraitPage(
            **common,
            display_name=f"Beispiel {i + 1}",
            is_example=True,
            municipality=municipalities[i % len(municipalities)],
            origin="Beispielland",
            year_of_arrival=2016,
            quote=prefix + _sentence(rng),
            story=[("paragraph", _paragraphs(rng, 2, prefix))],
            consent=consent,
        )


def _bulk_insert_pages(pages: list[Page]) -> None:
    """Insert specific pages: the wagtailcore_page rows, then each type's own table.

    Django's bulk_create refuses multi-table inheritance, so the two halves are
    inserted separately and joined by page_ptr_id.
    """
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    bases = [
        Page(**{f.attname: getattr(p, f.attname) for f in base_fields}) for p in pages
    ]
    # Page.__init__ would set the content type of a plain Page; keep the specific one.
    for base, page in zip(bases, pages, strict=True):
        base.content_type_id = page.content_type_id
    Page.objects.bulk_create(bases, batch_size=500)
    by_model: dict[type[Page], list[Page]] = defaultdict(list)
    for base, page in zip(bases, pages, strict=True):
        page.id = page.pk = page.page_ptr_id = base.pk
        by_model[type(page)].append(page)
    for model, objs in by_model.items():
        fields = list(model._meta.local_concrete_fields)
        QuerySet(model)._batched_insert(objs, fields, batch_size=500)


def synthetic_handbook_generate(
    *, pages: int, locales: list[str], seed: int = 0, progress: Progress | None = None
) -> SyntheticHandbook:
    """Build a synthetic handbook with ``pages`` pages below its root per locale."""
    return SyntheticHandbookBuilder(pages, locales, seed).build(progress)
