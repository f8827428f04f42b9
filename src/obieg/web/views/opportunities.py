"""Opportunity pages: list, kanban pipeline, create, detail, edit and the stage move."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core import access
from obieg.core.audit import history_for
from obieg.core.errors import ApplicationError
from obieg.core.pagination import COUNT_CAP
from obieg.crm import services
from obieg.crm.models import Account, Opportunity
from obieg.crm.selectors import board, pipeline
from obieg.customfields import selectors as custom_selectors
from obieg.customfields.filtering import list_filter
from obieg.sales.selectors import offers_for_opportunity
from obieg.web import list_rows, navigation
from obieg.web.forms.opportunities import (
    SORT_LABELS,
    OpportunityEditForm,
    OpportunityForm,
    OpportunityMoveForm,
)
from obieg.web.views.common import is_htmx, refuse_unless_can_change, submit_posted
from obieg.web.views.sales_common import choice_param, id_param, list_page, pick_account


def opportunity_list_filters(request, custom_filter=None) -> dict:
    """The list's filters from its query string (the export reads them the same way)."""
    custom_filter = custom_filter or list_filter("opportunity", request.GET)
    return {
        "query": request.GET.get("q", "").strip(),
        "stage": choice_param(request, "stage", Opportunity.Stage.values),
        "owner": id_param(request, "owner"),
        "scope": choice_param(request, "scope", pipeline.SCOPES, "all"),
        "open_only": request.GET.get("open") == "1",
        "custom": custom_filter.conditions(),
    }


@login_required
@require_GET
def opportunity_list(request):
    custom_filter = list_filter("opportunity", request.GET)
    filters = opportunity_list_filters(request, custom_filter)
    opportunities = pipeline.opportunity_search(request.user, **filters)
    listed = list_page(
        request, opportunities, pipeline.OPPORTUNITY_ORDERINGS, list_rows.OPPORTUNITY_COLUMNS
    )
    context = {
        **filters,
        "custom_filter": custom_filter,
        **listed,
        "rows": list_rows.opportunity_rows(listed["page"].rows, custom_filter.custom_fields),
        "stages": Opportunity.Stage.choices,
        "owners": list_rows.people(pipeline.owners_to_filter(request.user)),
        "sort_labels": SORT_LABELS,
    }
    return render(request, "web/opportunities/list.html", context)


@login_required
@require_GET
def opportunity_pipeline(request):
    scope = choice_param(request, "scope", pipeline.SCOPES, "all")
    # Counts and sums of every column, and only the cards a screen shows.
    columns = board.board_columns(request.user, scope=scope)
    context = {
        "columns": columns,
        # The same columns as the template prints them (web/list_rows.py).
        "board": list_rows.board_columns(columns, scope),
        "scope": scope,
        "cap": COUNT_CAP,
    }
    return render(request, "web/opportunities/pipeline.html", context)


@login_required
@require_GET
def opportunity_pipeline_cards(request, stage):
    """The next cards of one board column, when it is scrolled to its end (htmx)."""
    if stage not in Opportunity.Stage.values:
        raise Http404
    try:
        page = board.column_cards(
            request.user,
            stage=stage,
            scope=choice_param(request, "scope", pipeline.SCOPES, "all"),
            cursor=request.GET.get("after", ""),
        )
    except board.BadCursor:
        return HttpResponseBadRequest(
            _("This list has moved on: reload the page."), content_type="text/plain; charset=utf-8"
        )
    more_url = (
        list_rows.more_cards_url(stage, page.scope, page.next_cursor) if page.next_cursor else ""
    )
    context = {"page": page, "cards": list_rows.card_rows(page.cards), "more_url": more_url}
    return render(request, "web/opportunities/_column_cards.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create(request):
    if not request.GET.get("account"):
        return pick_account(request, _("New opportunity"))
    account = access.get_visible_or_404(
        Account.objects.all(), request.user, pk=request.GET["account"]
    )
    form = OpportunityForm(request.POST or None)
    opportunity, status = submit_posted(
        request,
        form,
        lambda data, _revision: services.opportunity_create(
            actor=request.user, account=account, data=data
        ),
    )
    if opportunity:
        messages.success(request, _("Opportunity saved."))
        return redirect("opportunity_detail", pk=opportunity.pk)
    context = {"form": form, "account": account}
    return render(request, "web/opportunities/form.html", context, status=status)


@login_required
@require_GET
def opportunity_detail(request, pk):
    user = request.user
    opportunity = access.get_visible_or_404(pipeline.opportunity_queryset(), user, pk=pk)
    can_change = access.can_change(user, opportunity)
    context = {
        "opportunity": opportunity,
        "can_change": can_change,
        "carry_on": navigation.opportunity_actions_for(user) if can_change else [],
        "offers": offers_for_opportunity(user, opportunity),
        "move_form": OpportunityMoveForm(initial={"stage": opportunity.stage}),
        "history": history_for(opportunity),
        "custom_fields": custom_selectors.active_fields("opportunity"),
    }
    return render(request, "web/opportunities/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk):
    user = request.user
    opportunity = access.get_visible_or_404(pipeline.opportunity_queryset(), user, pk=pk)
    if refusal := refuse_unless_can_change(request, opportunity):
        return refusal
    # The form writes the typed values into its instance; the service compares
    # the new stage with the stored one, so the form gets a copy.
    form = OpportunityEditForm(request.POST or None, instance=copy(opportunity))
    saved, status = submit_posted(
        request,
        form,
        lambda data, revision: services.opportunity_update(
            actor=user, opportunity=opportunity, data=data, revision=revision
        ),
    )
    if saved:
        messages.success(request, _("Opportunity saved."))
        return redirect("opportunity_detail", pk=opportunity.pk)
    context = {"form": form, "account": opportunity.account, "opportunity": opportunity}
    return render(request, "web/opportunities/form.html", context, status=status)


@login_required
@require_POST
def opportunity_move(request, pk):
    """Move to another stage: the board's drag (htmx: the card or a message) or a plain form."""
    user = request.user
    opportunity = access.get_visible_or_404(Opportunity.objects.all(), user, pk=pk)
    try:
        moved = services.opportunity_move_stage(
            actor=user, opportunity=opportunity, stage=request.POST.get("stage", "")
        )
    except ApplicationError as error:
        if is_htmx(request):
            return HttpResponse(
                error.message, status=error.status_code, content_type="text/plain; charset=utf-8"
            )
        messages.error(request, error.message)
        return redirect("opportunity_detail", pk=pk)
    if is_htmx(request):
        cards = list_rows.card_rows([pipeline.pipeline_card(user, moved.pk)])
        return render(request, "web/opportunities/_cards.html", {"cards": cards})
    messages.success(request, _("Moved to %(stage)s.") % {"stage": moved.get_stage_display()})
    return redirect("opportunity_detail", pk=pk)
