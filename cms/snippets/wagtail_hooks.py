"""Admin registration of the snippets, grouped under one "Handbook data" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.snippets.models import Contact, GlossaryTerm, Municipality, Organisation, Topic


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "home"
    list_display = ["name", "postal_code"]
    search_fields = ["name"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "kind"]
    list_filter = ["kind"]


class ContactViewSet(SnippetViewSet):
    model = Contact
    icon = "mail"
    list_display = ["name", "role", "municipality", "email"]


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "openquote"
    list_display = ["term", "explanation"]
    search_fields = ["term", "explanation"]


class HandbookDataViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Handbook data")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (
        TopicViewSet,
        MunicipalityViewSet,
        OrganisationViewSet,
        ContactViewSet,
        GlossaryTermViewSet,
    )


register_snippet(HandbookDataViewSetGroup)
