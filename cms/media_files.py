"""The only way to media files: a view that checks visibility before every answer.

``MEDIA_ROOT`` is never served as a folder. Renditions of an image answer when the
image is public (``exports.content.public_images``: outside private collections,
shown by a page the public may read, so a withdrawn portrait's photo goes with the
portrait); originals and everything else only to signed-in editors. Anything not
allowed is a plain 404, the same as a file that does not exist, so a URL tells
nobody whether a private file is there.

In production the view decides and nginx sends the bytes: with
``MEDIA_ACCEL_REDIRECT`` set (e.g. ``/protected-media/``, an ``internal``
location aliased to ``MEDIA_ROOT``) the answer is an empty response with an
``X-Accel-Redirect`` header instead of the file.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils._os import safe_join
from django.views.decorators.http import require_safe
from wagtail.images import get_image_model

from exports.content import public_images

RENDITIONS_FOLDER = "images/"
# Who may fetch any media file, private ones included: the admin's thumbnails and
# previews of drafts and private pages.
EDITOR_PERMISSION = "wagtailadmin.access_admin"
# A public image may be cached a little; a withdrawal reaches caches within this.
PUBLIC_CACHE_CONTROL = "public, max-age=300"


def _public_rendition(path: str) -> bool:
    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    image_ids = rendition_model.objects.filter(file=path).values("image_id")
    return public_images(image_model.objects.filter(pk__in=image_ids)).exists()


def _file_response(path: str, *, public: bool) -> HttpResponseBase:
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except Exception as exc:  # SuspiciousFileOperation: outside MEDIA_ROOT
        raise Http404 from exc
    if not full.is_file():
        raise Http404
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    response: HttpResponseBase
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + path
    else:
        response = FileResponse(full.open("rb"), content_type=content_type)
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def media_file_view(request: HttpRequest, path: str) -> HttpResponseBase:
    """A file under ``MEDIA_ROOT``, if whoever asks may see it; 404 otherwise."""
    if path.startswith(RENDITIONS_FOLDER) and _public_rendition(path):
        return _file_response(path, public=True)
    if request.user.is_authenticated and request.user.has_perm(EDITOR_PERMISSION):
        return _file_response(path, public=False)
    raise Http404
