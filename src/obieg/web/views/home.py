"""The home dashboard: what the signed-in person should work on next.

Each role sees its own: the panels apps and solutions registered for it
(`obieg.web.dashboards`), and the sales panels for those who sell.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from obieg.core import access, clock
from obieg.crm.selectors import pipeline
from obieg.web import dashboards, navigation
from obieg.web.home_panels import my_day
from obieg.web.home_panels.rows import lead_rows


@require_GET
@login_required
def home(request):
    user = request.user
    panels = dashboards.panels_for(user)
    context = {
        "panels": panels,
        # Chart.js is loaded only for a home that draws a chart (the manager's team load).
        "charts": any(panel.context.get("chart") for panel in panels),
        "show_sales": dashboards.sells(user) or not panels,
        "starts": navigation.starts_for(user),  # the solutions' kinds of new lead
    }
    if context["show_sales"]:
        stages = pipeline.my_open_pipeline(user)
        now = clock.now()
        context |= {
            "stages": stages,
            "open_count": sum(stage.count for stage in stages),
            "open_total": sum(stage.total for stage in stages),
            "activities": my_day.coming_days(user, now),
            "leads": lead_rows(user),
            "team": pipeline.team_open_totals(user) if access.manages_team(user) else None,
            "now": now,
        }
    return render(request, "web/home/home.html", context)
