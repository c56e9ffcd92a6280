"""URLs of the delivery API, version 1."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from cms.api import artifacts, changes, drafts, locales, pages, search, snippets
from cms.api.errors import api_not_found_view

app_name = "api"

urlpatterns = [
    path("locales/", locales.LocaleListView.as_view(), name="locales"),
    path("handbooks/", pages.HandbookListView.as_view(), name="handbooks"),
    path(
        "handbooks/<int:page_id>/tree/",
        pages.HandbookTreeView.as_view(),
        name="handbook-tree",
    ),
    path("pages/<int:page_id>/", pages.PageDetailView.as_view(), name="page"),
    path("pages/by-path/", pages.PageByPathView.as_view(), name="page-by-path"),
    path(
        "recommendations/",
        pages.RecommendationListView.as_view(),
        name="recommendations",
    ),
    path(
        "best-practices/", pages.BestPracticeListView.as_view(), name="best-practices"
    ),
    path("portraits/", pages.PortraitListView.as_view(), name="portraits"),
    path("glossary/", snippets.GlossaryView.as_view(), name="glossary"),
    path(
        "municipalities/",
        snippets.MunicipalityListView.as_view(),
        name="municipalities",
    ),
    path("artifacts/", artifacts.ArtifactListView.as_view(), name="artifacts"),
    # The old ``print/<locale>.pdf`` is this same pattern.
    re_path(
        r"^artifacts/(?P<channel>[-\w]+)/(?P<locale>[-\w]+)\.(?P<ext>[a-z0-9]+)$",
        artifacts.ArtifactDownloadView.as_view(),
        name="artifact-download",
    ),
    re_path(
        r"^artifacts/(?P<channel>[-\w]+)/(?P<locale>[-\w]+)/(?P<name>[-\w]+\.[a-z0-9]+)$",
        artifacts.ArtifactPartView.as_view(),
        name="artifact-part",
    ),
    path("search/", search.SearchView.as_view(), name="search"),
    path("changes/", changes.ChangesView.as_view(), name="changes"),
    path("preview/", drafts.PreviewView.as_view(), name="preview"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", api_not_found_view),
]
