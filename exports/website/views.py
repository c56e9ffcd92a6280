"""Admin screens of the website channel: endpoint health, deliveries, replays.

Views stay thin: they check permissions and call selectors and services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from exports.website.endpoints import endpoints_for, website_configs
from exports.website.models import WebhookDelivery, WebhookEndpoint
from exports.website.replay import website_deliveries_replay, website_endpoint_enable
from exports.website.selectors import deliveries_list, endpoint_overview

VIEW_PERMISSION = "exports.view_webhookdelivery"
REPLAY_PERMISSION = "exports.replay_webhookdelivery"


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("You may not see or replay website deliveries."))


def deliveries_view(request: HttpRequest) -> TemplateResponse:
    """Endpoints with their health, and every delivery, newest first."""
    _require(request, VIEW_PERMISSION)
    for config in website_configs():
        endpoints_for(config)  # configured endpoints show up before the first push
    status = request.GET.get("status", "")
    if status not in WebhookDelivery.Status.values:
        status = ""
    page = Paginator(deliveries_list(status=status or None), 50).get_page(
        request.GET.get("p")
    )
    return TemplateResponse(
        request,
        "exports/deliveries.html",
        {
            "page_title": _("Website delivery"),
            "header_icon": "globe",
            "endpoints": endpoint_overview(),
            "page_obj": page,
            "status": status,
            "statuses": WebhookDelivery.Status.choices,
            "can_replay": request.user.has_perm(REPLAY_PERMISSION),
            "failed_count": WebhookDelivery.objects.filter(status="failed").count(),
        },
    )


def delivery_view(request: HttpRequest, delivery_id: int) -> TemplateResponse:
    """One delivery and every attempt made for it."""
    _require(request, VIEW_PERMISSION)
    delivery = get_object_or_404(
        WebhookDelivery.objects.select_related("endpoint"), pk=delivery_id
    )
    return TemplateResponse(
        request,
        "exports/delivery.html",
        {
            "page_title": _("Website delivery"),
            "page_subtitle": delivery.page_title or str(delivery.translation_key),
            "header_icon": "globe",
            "delivery": delivery,
            "attempts": delivery.attempt_log.all()[:200],
            "can_replay": request.user.has_perm(REPLAY_PERMISSION),
        },
    )


@require_POST
def replay_view(
    request: HttpRequest, delivery_id: int | None = None
) -> HttpResponseRedirect:
    """Send one failed delivery, or all of them, again."""
    _require(request, REPLAY_PERMISSION)
    queryset = WebhookDelivery.objects.filter(status="failed")
    if delivery_id is not None:
        queryset = queryset.filter(pk=delivery_id)
    count = website_deliveries_replay(deliveries=queryset)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d delivery is being sent again.",
                "%(count)d deliveries are being sent again.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.warning(request, _("There was no failed delivery to send again."))
    if delivery_id is not None:
        return redirect("website_deliveries:detail", delivery_id)
    return redirect("website_deliveries:index")


@require_POST
def endpoint_enable_view(
    request: HttpRequest, endpoint_id: int
) -> HttpResponseRedirect:
    """Take an endpoint that answered 410 Gone back into service."""
    _require(request, REPLAY_PERMISSION)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    website_endpoint_enable(endpoint=endpoint)
    messages.success(
        request,
        _("%(name)s is enabled again; waiting deliveries are being sent.")
        % {"name": endpoint.name},
    )
    return redirect("website_deliveries:index")
