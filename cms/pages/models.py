"""The handbook's page types: a content spec the editors fill in.

Tree:  HandbookPage → ChapterPage → RecommendationPage | BestPracticePage
       HandbookPage → PortraitIndexPage → PortraitPage

Wegweiser is headless: pages are read through the delivery API, and Wagtail serves
their HTML only as an editor's preview.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms.pages.blocks import (
    INLINE_FEATURES,
    PARAGRAPH_FEATURES,
    HandbookStreamBlock,
    StepBlock,
)
from cms.pages.consent_access import CONSENT_CHANGE_PERMISSION
from cms.pages.forms import PortraitPageForm
from cms.pages.previews import preview_mode_get, preview_modes_extra
from cms.website_urls import website_page_url

Channel = Literal["web", "print", "simple"]

# Page fields every page type translates (wagtail-localize would derive the same).
PAGE_TRANSLATABLE_FIELDS = [
    TranslatableField("title"),
    TranslatableField("slug"),
    TranslatableField("seo_title"),
    TranslatableField("search_description"),
]


class HeadlessPage(Page):
    """Base for all handbook pages: HTML is served to previews only."""

    # The explorer lists a page's children in book order (their place in the tree,
    # which editors can drag to change), not newest first: a handbook is read in order.
    admin_default_ordering = "ord"

    class Meta:
        abstract = True

    def get_url_parts(self, request=None):
        """The page's address on the district website (``WEBSITE_PAGE_URL``), which
        the admin's "View live" links follow. Without that setting the page has no
        public address, and Wagtail offers no "View live" (as for any page it cannot
        route); Wagtail's own serving stays for previews only."""
        parts = super().get_url_parts(request)
        if parts is None:
            return None
        site_id = parts[0]
        url = website_page_url(locale=self.locale.language_code, path=self.url_path)
        if url is None:
            return (site_id, None, None)
        address = urlsplit(url)
        root_url = f"{address.scheme}://{address.netloc}"
        return (site_id, root_url, url[len(root_url) :])

    def get_url(self, request=None, current_site=None):
        # Always absolute: the website is another host than the admin, so Wagtail's
        # site-relative shortcut would point at the admin server.
        return self.get_full_url(request)

    url = property(get_url)

    def get_template(self, request, *args, **kwargs):
        # One plain template for every type: previews check wording, not design.
        return "pages/page_preview.html"

    @property
    def preview_modes(self):
        # Channels add theirs at start-up, e.g. print's "Druckansicht" (previews.py).
        extra = [(mode.name, mode.label) for mode in preview_modes_extra()]
        return [*Page.DEFAULT_PREVIEW_MODES, *extra]

    def serve_preview(self, request, mode_name):
        mode = preview_mode_get(mode_name)
        if mode is not None:
            return mode.render(self)
        return super().serve_preview(request, mode_name)

    def route(self, request, path_components):
        # The public reads the handbook through the API, which applies the consent
        # and privacy rules; plain page serving would bypass them. Refused while
        # routing, before Wagtail's privacy check, so a private page answers 404
        # like every other instead of with a password form.
        raise Http404

    def serve(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False):
            raise Http404
        return super().serve(request, *args, **kwargs)


class HandbookPage(HeadlessPage):
    """The root of one handbook edition, with cover and imprint."""

    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    intro = RichTextField(_("introduction"), features=PARAGRAPH_FEATURES, blank=True)
    edition_date = models.DateField(_("edition date"), default=date.today)
    # The print line of the imprint: which edition, who printed it, how many copies.
    edition = models.CharField(
        _("edition"),
        max_length=100,
        blank=True,
        help_text=_('How the imprint names this edition, e.g. "2nd, revised edition".'),
    )
    printer = models.CharField(
        _("printer"),
        max_length=255,
        blank=True,
        help_text=_("Printing company and town, as the imprint names them."),
    )
    print_run = models.PositiveIntegerField(
        _("print run"),
        null=True,
        blank=True,
        help_text=_("Copies printed; leave empty for an edition that is not printed."),
    )
    publisher = models.ForeignKey(
        "snippets.Organisation",
        verbose_name=_("publisher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    funding_note = RichTextField(
        _("funding note"), features=INLINE_FEATURES, blank=True
    )
    imprint = RichTextField(_("imprint"), features=PARAGRAPH_FEATURES, blank=True)
    cover_image = models.ForeignKey(
        "images.HandbookImage",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.ChapterPage", "pages.PortraitIndexPage"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("edition_date"),
                FieldPanel("edition"),
                FieldPanel("printer"),
                FieldPanel("print_run"),
                FieldPanel("publisher"),
                InlinePanel("partners", label=_("partners")),
                FieldPanel("funding_note"),
                FieldPanel("imprint"),
            ],
            heading=_("Imprint"),
        ),
    ]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("subtitle"),
        TranslatableField("intro"),
        SynchronizedField("edition_date", overridable=False),
        TranslatableField("edition"),
        SynchronizedField("printer", overridable=False),
        SynchronizedField("print_run", overridable=False),
        TranslatableField("publisher"),
        TranslatableField("partners"),
        TranslatableField("funding_note"),
        TranslatableField("imprint"),
        SynchronizedField("cover_image"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("intro"),
    ]

    class Meta:
        verbose_name = _("handbook")
        verbose_name_plural = _("handbooks")


class HandbookPartner(TranslatableMixin, Orderable):
    """An organisation named in the imprint with its role (partner, funder …)."""

    page = ParentalKey(HandbookPage, related_name="partners", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        "snippets.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.CharField(
        _("role"), max_length=100, help_text=_('e.g. "Kooperationspartner"')
    )

    panels = [FieldPanel("organisation"), FieldPanel("role")]
    translatable_fields = [TranslatableField("organisation"), TranslatableField("role")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")


class ChapterPage(HeadlessPage):
    """A numbered chapter on one field of action."""

    number = models.PositiveSmallIntegerField(_("chapter number"))
    topic = models.ForeignKey(
        "snippets.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = RichTextField(_("introduction"), features=PARAGRAPH_FEATURES, blank=True)
    body = StreamField(HandbookStreamBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["pages.HandbookPage"]
    subpage_types = ["pages.RecommendationPage", "pages.BestPracticePage"]

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("number"), FieldPanel("topic")]),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        SynchronizedField("number", overridable=False),
        TranslatableField("topic"),
        TranslatableField("intro"),
        TranslatableField("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")


class RecommendationPage(HeadlessPage):
    """A recommendation for action (Handlungsempfehlung) for the municipalities."""

    topic = models.ForeignKey(
        "snippets.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    municipalities = ParentalManyToManyField(
        "snippets.Municipality",
        verbose_name=_("municipalities"),
        blank=True,
        related_name="recommendations",
        help_text=_(
            "The municipalities this recommendation was worked out in or names as "
            "examples. Leave empty if it is meant for the whole district."
        ),
    )
    summary = models.TextField(_("summary"))
    why = RichTextField(_("why it matters"), features=PARAGRAPH_FEATURES, blank=True)
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"), blank=True)
    who_acts = RichTextField(_("who acts"), features=PARAGRAPH_FEATURES, blank=True)

    parent_page_types = ["pages.ChapterPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("topic"),
        FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple),
        FieldPanel("summary"),
        FieldPanel("why"),
        FieldPanel("steps"),
        FieldPanel("who_acts"),
    ]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("topic"),
        # Proper names of towns, the same in every locale (like a best practice's).
        SynchronizedField("municipalities", overridable=False),
        TranslatableField("summary"),
        TranslatableField("why"),
        TranslatableField("steps"),
        TranslatableField("who_acts"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("why"),
        index.SearchField("steps"),
        index.SearchField("who_acts"),
        index.FilterField("topic"),
    ]

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")


class BestPracticePage(HeadlessPage):
    """A worked example (Praxisbeispiel) from one municipality."""

    municipality = models.ForeignKey(
        "snippets.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="best_practices",
    )
    topic = models.ForeignKey(
        "snippets.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    what = RichTextField(_("what"), features=PARAGRAPH_FEATURES)
    how = RichTextField(_("how"), features=PARAGRAPH_FEATURES, blank=True)
    outcome = RichTextField(_("outcome"), features=PARAGRAPH_FEATURES, blank=True)
    contact = models.ForeignKey(
        "snippets.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    parent_page_types = ["pages.ChapterPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("municipality"), FieldPanel("topic")]),
        FieldPanel("what"),
        FieldPanel("how"),
        FieldPanel("outcome"),
        FieldPanel("contact"),
    ]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        SynchronizedField("municipality", overridable=False),
        TranslatableField("topic"),
        TranslatableField("what"),
        TranslatableField("how"),
        TranslatableField("outcome"),
        TranslatableField("contact"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("what"),
        index.SearchField("how"),
        index.SearchField("outcome"),
        index.FilterField("municipality"),
    ]

    class Meta:
        verbose_name = _("best-practice example")
        verbose_name_plural = _("best-practice examples")


class PortraitIndexPage(HeadlessPage):
    """The portraits section of a handbook."""

    intro = RichTextField(_("introduction"), features=PARAGRAPH_FEATURES, blank=True)

    parent_page_types = ["pages.HandbookPage"]
    subpage_types = ["pages.PortraitPage"]
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    translatable_fields = [*PAGE_TRANSLATABLE_FIELDS, TranslatableField("intro")]

    class Meta:
        verbose_name = _("portrait index")
        verbose_name_plural = _("portrait indexes")


def consent_in_force(*, withdrawn_on: date | None, on: date | None = None) -> bool:
    """The withdrawal rule, in one place: a consent withdrawn on a date ends at the
    start of that date in the district's time zone (``TIME_ZONE``). Withdrawn
    "tomorrow", the portrait is still shown today and gone from midnight on.

    Every channel asks this (through ``PortraitConsent.permits``/``permitting`` or
    the content tree), so they can never disagree about a date.
    """
    return withdrawn_on is None or withdrawn_on > (on or timezone.localdate())


class PortraitConsent(models.Model):
    """A resident's consent to appear in each channel, and its withdrawal.

    One record per person, shared by every locale of the portrait (the page points
    to it through a synchronised, non-overridable field). It is deliberately not part
    of the page: page revisions are copied and republished, and an old revision must
    never bring back a consent that was withdrawn — revisions never choose the
    record (``PortraitPage.with_content_json``); only a user with the consent
    permission does, in the page form, and the choice applies at once.

    A record belongs to the portrait that first uses it (``portrait_key``, the
    portrait's translation key): no other portrait can take it, so nobody can
    dress one person's portrait in another person's consent.
    """

    reference = models.CharField(
        _("internal reference"),
        max_length=200,
        help_text=_("How the office finds the signed form. Never published."),
    )
    web = models.BooleanField(_("website"), default=False)
    print = models.BooleanField(_("print"), default=False)
    simple = models.BooleanField(_("Leichte Sprache version"), default=False)
    given_on = models.DateField(_("consent given on"))
    withdrawn_on = models.DateField(
        _("consent withdrawn on"),
        null=True,
        blank=True,
        help_text=_("Once set, the portrait leaves every channel."),
    )
    note = models.TextField(_("internal note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The portrait this record belongs to (its translation key, shared by its
    # locales); set when a portrait first uses it, never changed afterwards.
    portrait_key = models.UUIDField(
        _("belongs to the portrait"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
    )

    panels = [
        FieldPanel("reference"),
        MultiFieldPanel(
            [FieldPanel("web"), FieldPanel("print"), FieldPanel("simple")],
            heading=_("Consent per channel"),
        ),
        FieldRowPanel([FieldPanel("given_on"), FieldPanel("withdrawn_on")]),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("portrait consent")
        verbose_name_plural = _("portrait consents")
        ordering = ["reference"]

    def __str__(self) -> str:
        # Shown in the portrait's chooser, so the editor sees the state at a glance.
        if self.is_withdrawn:
            return _("%(reference)s – withdrawn on %(date)s") % {
                "reference": self.reference,
                "date": date_format(self.withdrawn_on, "SHORT_DATE_FORMAT"),
            }
        flags = " · ".join(
            f"{self._meta.get_field(channel).verbose_name} "
            + ("✓" if getattr(self, channel) else "✗")
            for channel in ("web", "print", "simple")
        )
        return f"{self.reference} ({flags})"

    @property
    def is_withdrawn(self) -> bool:
        return not consent_in_force(withdrawn_on=self.withdrawn_on)

    def belongs_elsewhere(self, translation_key) -> bool:
        """Whether this record is another portrait's than ``translation_key``'s."""
        owner = (
            PortraitConsent.objects.filter(pk=self.pk)
            .values_list("portrait_key", flat=True)
            .first()
        )
        return owner is not None and owner != translation_key

    def permits(self, channel: Channel, *, on: date | None = None) -> bool:
        """Whether the portrait may appear in ``channel`` on ``on`` (today)."""
        return bool(getattr(self, channel)) and consent_in_force(
            withdrawn_on=self.withdrawn_on, on=on
        )

    @staticmethod
    def permitting(channel: Channel, *, on: date, prefix: str = "") -> models.Q:
        """``permits`` as a query condition; ``prefix`` leads from the queried model
        to the consent (``"consent__"`` from a portrait)."""
        return models.Q(**{f"{prefix}{channel}": True}) & (
            models.Q(**{f"{prefix}withdrawn_on__isnull": True})
            | models.Q(**{f"{prefix}withdrawn_on__gt": on})
        )


class PortraitPage(HeadlessPage):
    """A resident who moved to one of the towns, told in their own words."""

    display_name = models.CharField(
        _("display name"),
        max_length=100,
        help_text=_("As the person agreed to be named, e.g. a first name."),
    )
    is_example = models.BooleanField(
        _("fictional example"),
        default=False,
        help_text=_("An invented person for demonstration; channels label it so."),
    )
    municipality = models.ForeignKey(
        "snippets.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="portraits",
    )
    origin = models.CharField(_("origin"), max_length=100, blank=True)
    year_of_arrival = models.PositiveSmallIntegerField(
        _("year of arrival"), null=True, blank=True
    )
    quote = models.TextField(_("quote"), blank=True)
    story = StreamField(HandbookStreamBlock(), verbose_name=_("story"), blank=True)
    photo = models.ForeignKey(
        "images.HandbookImage",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent = models.ForeignKey(
        PortraitConsent,
        verbose_name=_("consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portraits",
        help_text=_("Without a consent record the portrait appears in no channel."),
    )

    parent_page_types = ["pages.PortraitIndexPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("display_name"), FieldPanel("is_example")]),
        FieldRowPanel(
            [
                FieldPanel("municipality"),
                FieldPanel("origin"),
                FieldPanel("year_of_arrival"),
            ]
        ),
        FieldPanel("quote"),
        FieldPanel("story"),
        FieldPanel("photo"),
        # Only those who may change consent records see and choose one.
        FieldPanel("consent", permission=CONSENT_CHANGE_PERMISSION),
    ]
    base_form_class = PortraitPageForm
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        SynchronizedField("display_name", overridable=False),
        SynchronizedField("is_example", overridable=False),
        SynchronizedField("municipality", overridable=False),
        TranslatableField("origin"),
        SynchronizedField("year_of_arrival", overridable=False),
        TranslatableField("quote"),
        TranslatableField("story"),
        SynchronizedField("photo"),
        # Consent is the person's, not the locale's: never translated or overridden.
        SynchronizedField("consent", overridable=False),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("quote"),
        index.SearchField("story"),
        index.FilterField("municipality"),
    ]

    class Meta:
        verbose_name = _("portrait")
        verbose_name_plural = _("portraits")

    def clean(self):
        super().clean()
        if self.consent is not None and self.consent.belongs_elsewhere(
            self.translation_key
        ):
            raise ValidationError({"consent": CONSENT_ELSEWHERE})

    def save(self, *args, **kwargs):
        writes_consent = "consent" in (kwargs.get("update_fields") or ["consent"])
        if (
            writes_consent
            and self.consent is not None
            and self.consent.belongs_elsewhere(self.translation_key)
        ):
            raise ValidationError({"consent": CONSENT_ELSEWHERE})
        result = super().save(*args, **kwargs)
        if writes_consent and self.consent_id:
            PortraitConsent.objects.filter(
                pk=self.consent_id, portrait_key__isnull=True
            ).update(portrait_key=self.translation_key)
        return result

    def with_content_json(self, content):
        # The consent record is not page content: whatever a revision says, the
        # portrait keeps the record it has now (see PortraitConsent).
        page = super().with_content_json(content)
        page.consent_id = self.consent_id
        return page


CONSENT_ELSEWHERE = _(
    "This consent record belongs to another portrait. Create a record of its own "
    "for this person."
)
