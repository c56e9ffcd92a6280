"""Snippets: the handbook's reusable pieces, edited once and referenced from pages.

Everything a reader sees in their language is translatable through wagtail-localize;
municipalities are proper names and stay as they are.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField


class Municipality(index.Indexed, models.Model):
    """A town of the district that took part in the process or runs an example."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("postal_code"),
        FieldPanel("description"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Topic(TranslatableMixin, index.Indexed, models.Model):
    """A field of action (Handlungsfeld) that recommendations and examples belong to."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug", overridable=False),
        TranslatableField("description"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class Organisation(TranslatableMixin, index.Indexed, models.Model):
    """A publisher, partner or funder named in the imprint and on contacts."""

    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("public authority")
        ACADEMY = "academy", _("academy")
        FUNDER = "funder", _("funder")
        MUNICIPALITY = "municipality", _("municipality")
        ASSOCIATION = "association", _("association")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("website"),
        FieldPanel("address"),
    ]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("short_name"),
        SynchronizedField("kind", overridable=False),
        SynchronizedField("website"),
        SynchronizedField("address"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Contact(TranslatableMixin, index.Indexed, models.Model):
    """Where readers can turn to: an office or role, rarely a named person."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldPanel("municipality"),
        FieldPanel("email"),
        FieldPanel("phone"),
    ]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("role"),
        TranslatableField("organisation"),
        SynchronizedField("municipality", overridable=False),
        SynchronizedField("email"),
        SynchronizedField("phone"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("role")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class GlossaryTerm(TranslatableMixin, index.Indexed, models.Model):
    """A word the handbook uses, with an explanation in plain words."""

    term = models.CharField(_("term"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    explanation = models.TextField(
        _("explanation"), help_text=_("Short and in plain words: one or two sentences.")
    )

    panels = [FieldPanel("term"), FieldPanel("slug"), FieldPanel("explanation")]
    translatable_fields = [
        TranslatableField("term"),
        SynchronizedField("slug", overridable=False),
        TranslatableField("explanation"),
    ]
    search_fields = [
        index.SearchField("term"),
        index.AutocompleteField("term"),
        index.SearchField("explanation"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "slug"], name="unique_glossary_slug_per_locale"
            )
        ]

    def __str__(self) -> str:
        return self.term
