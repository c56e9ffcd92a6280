"""Page factories: small handbook trees built the way editors build them."""

from __future__ import annotations

import itertools
from datetime import date

from wagtail.models import Locale, Page

from cms.pages.models import (
    ChapterPage,
    HandbookPage,
    PortraitConsent,
    PortraitIndexPage,
    PortraitPage,
    RecommendationPage,
)
from cms.snippets.models import Municipality

_counter = itertools.count(1)


def publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def handbook_factory(**kwargs) -> HandbookPage:
    n = next(_counter)
    defaults = {"title": f"Testhandbuch {n}", "slug": f"testhandbuch-{n}"}
    defaults.update(kwargs)
    defaults.setdefault("locale", Locale.get_default())
    return publish(Page.get_first_root_node(), HandbookPage(**defaults))


def chapter_factory(handbook: HandbookPage, **kwargs) -> ChapterPage:
    n = next(_counter)
    defaults = {
        "title": f"Kapitel {n}",
        "slug": f"kapitel-{n}",
        "number": n,
        "intro": "<p>Einleitung zum Kapitel.</p>",
    }
    defaults.update(kwargs)
    return publish(handbook, ChapterPage(**defaults))


def recommendation_factory(chapter: ChapterPage, **kwargs) -> RecommendationPage:
    n = next(_counter)
    defaults = {
        "title": f"Empfehlung {n}",
        "slug": f"empfehlung-{n}",
        "summary": "Eine kurze Zusammenfassung.",
    }
    defaults.update(kwargs)
    return publish(chapter, RecommendationPage(**defaults))


def portrait_factory(handbook: HandbookPage, consent: PortraitConsent | None = None):
    n = next(_counter)
    index = PortraitIndexPage.objects.child_of(handbook).first() or publish(
        handbook, PortraitIndexPage(title="Porträts", slug=f"portraets-{n}")
    )
    municipality, _ = Municipality.objects.get_or_create(
        slug="testhausen", defaults={"name": "Testhausen"}
    )
    consent = consent or PortraitConsent.objects.create(
        reference=f"Test {n}", web=True, print=True, simple=True,
        given_on=date(2019, 10, 1),
    )  # fmt: skip
    return publish(
        index,
        PortraitPage(
            title=f"Person {n}",
            slug=f"person-{n}",
            display_name=f"Person {n}",
            is_example=True,
            municipality=municipality,
            origin="Beispielland",
            quote="Ein Satz.",
            consent=consent,
        ),
    )
