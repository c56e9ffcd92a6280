"""Alt texts are listed as snippets so translators find them in wagtail-localize."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.images.models import ImageAltText


class ImageAltTextViewSet(SnippetViewSet):
    model = ImageAltText
    icon = "image"
    list_display = ["text", "image"]
    add_to_admin_menu = False


register_snippet(ImageAltTextViewSet)
