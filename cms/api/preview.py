"""Signed, short-lived preview tokens for the website's preview mode.

Only a user who may edit a page can mint a token for it (in the admin). The token
names the page, the revision and the user; it is checked again when used, so a
token stops working when it expires or when its user loses the right to edit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.api.errors import ApiError
from cms.pages.models import PortraitPage
from exports.content import Document, draft_document

SALT = "wegweiser.api.preview"


def preview_token_mint(*, page: Page, user: Any) -> tuple[str, datetime]:
    """A token for the page's latest revision; PermissionError if not an editor."""
    if not page.permissions_for_user(user).can_edit():
        raise PermissionError(f"{user} may not edit page {page.pk}")
    revision = page.get_latest_revision() or page.save_revision(user=user)
    token = signing.dumps({"p": page.pk, "r": revision.pk, "u": user.pk}, salt=SALT)
    expires = timezone.now() + timedelta(seconds=settings.API_PREVIEW_TOKEN_SECONDS)
    return token, expires


def preview_document_for_token(token: str) -> Document:
    if not token:
        raise ApiError("missing_token", _("Give the preview token as ?token=…."), 400)
    try:
        data = signing.loads(
            token, salt=SALT, max_age=settings.API_PREVIEW_TOKEN_SECONDS
        )
    except signing.SignatureExpired:
        raise ApiError(
            "token_expired",
            _("This preview token has expired; open the preview again."),
            403,
        ) from None
    except signing.BadSignature:
        raise ApiError(
            "invalid_token", _("This is not a valid preview token."), 403
        ) from None
    page = Page.objects.filter(pk=data.get("p")).specific().first()
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if page is None or user is None or not page.permissions_for_user(user).can_edit():
        raise ApiError(
            "invalid_token", _("This preview token is no longer valid."), 403
        )
    revision = page.revisions.filter(pk=data.get("r")).first()
    if revision is None:
        raise ApiError(
            "invalid_token", _("The previewed revision no longer exists."), 403
        )
    if isinstance(page, PortraitPage) and not (
        page.consent is not None and page.consent.permits("web")
    ):
        # A preview is read on the website: a portrait needs its web consent there
        # as much as published.
        raise ApiError(
            "no_consent",
            _(
                "This portrait has no valid consent for the website, so it cannot "
                "be previewed there."
            ),
            403,
        )
    return draft_document(revision)
