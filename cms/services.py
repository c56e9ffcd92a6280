"""Site-wide write operations."""

from django.conf import settings
from wagtail.models import Locale, Page, Site


def locales_ensure_configured() -> list[Locale]:
    """Create a Wagtail Locale for every configured content locale that lacks one.

    Locales are never deleted here: removing a code from CONTENT_LOCALES must not
    delete the pages translated into it.
    """
    locales = []
    for content_locale in settings.WEGWEISER_LOCALES:
        locale, _ = Locale.objects.get_or_create(language_code=content_locale.code)
        locales.append(locale)
    return locales


def site_ensure_tree_root() -> Site:
    """Make the default Wagtail Site cover the whole tree.

    Handbooks and their translations are siblings under the tree root. With the
    site rooted there, every one of them has a preview URL, and the admin does not
    warn that a translated handbook belongs to no site.
    """
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=root,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    if site.root_page_id != root.pk:
        site.root_page = root
        site.save()
    sites_ensure_named()
    return site


def sites_ensure_named() -> int:
    """Give every Wagtail Site without a name ``WAGTAIL_SITE_NAME``; how many.

    Wagtail's own migration creates the default site as "localhost" without a name,
    and the admin then greets editors with "localhost" on the dashboard. A name
    an editor gave a site (Settings → Sites) is kept.
    """
    return Site.objects.filter(site_name="").update(
        site_name=settings.WAGTAIL_SITE_NAME
    )
