"""The platform's own home panels: each role's "what do I do now".

Registered with `obieg.web.dashboards` from the web app's ready(), like a
solution's panels; billing registers the accountant's from its own app.
"""

from __future__ import annotations


def register() -> None:
    from obieg.web import dashboards
    from obieg.web.home_panels import admin_health, my_day, my_work, team_load

    dashboards.add(
        "web.admin_health",
        template="web/home/admin_health.html",
        context=admin_health.panel,
        visible=admin_health.is_for,
        order=5,
    )
    dashboards.add(
        "web.my_day",
        template="web/home/my_day.html",
        context=my_day.today_panel,
        visible=my_day.is_for,
        order=20,
    )
    dashboards.add(
        "web.my_work",
        template="web/home/my_work.html",
        context=my_work.panel,
        visible=my_work.is_for,
        order=25,
    )
    dashboards.add(
        "web.my_meetings",
        template="web/home/my_meetings.html",
        context=my_day.meetings_panel,
        visible=my_day.is_for,
        order=30,
    )
    dashboards.add(
        "web.team_load",
        template="web/home/team_load.html",
        context=team_load.panel,
        visible=team_load.is_for,
        order=40,
    )
