from django.apps import AppConfig


class SnippetsConfig(AppConfig):
    """Reusable content: municipalities, topics, contacts, organisations, glossary."""

    name = "cms.snippets"
    label = "snippets"
    verbose_name = "Snippets"
