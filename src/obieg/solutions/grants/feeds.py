"""The coordinator's deadlines as a private iCalendar feed their calendar app subscribes to.

Calendar apps cannot log in, so the URL carries a token signed with the
site's secret for one person; it names nobody else's deadlines and a forged
or altered one answers 404. Each open obligation of the projects the person
coordinates is an all-day event on its due date, with a UID that stays the
same as long as the obligation exists, so subscribers update, not duplicate.
The calendar around the events is the platform's own (`scheduling.ical`).
"""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from obieg.core import clock
from obieg.core.models import User
from obieg.scheduling import ical
from obieg.solutions.grants.models import Obligation

SALT = "grants.deadline_feed"
FEED_CAP = 2000
# What an event says: not every column of the project and its client.
EVENT_FIELDS = (
    *("kind", "title", "due_date", "project__number", "project__title"),
    "project__account__name",
)


def token_for(user) -> str:
    """The person's feed token (the same every time: the URL they subscribed to keeps working)."""
    return signing.Signer(salt=SALT).sign(str(user.pk))


def user_for_token(token: str) -> User | None:
    """The active person the token was signed for, or None for a bad token."""
    try:
        pk = int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def feed_url(user) -> str:
    return settings.PUBLIC_URL + reverse("grants:deadline_feed", args=[token_for(user)])


def feed_obligations(user) -> list[Obligation]:
    """The open obligations of the projects `user` coordinates, soonest first."""
    return list(
        Obligation.objects.filter(project__coordinator=user, state=Obligation.State.OPEN)
        .select_related("project__account")
        .only(*EVENT_FIELDS)
        .order_by("due_date", "id")[:FEED_CAP]
    )


def uid(obligation: Obligation) -> str:
    return f"grants-obligation-{obligation.pk}@obieg"


def vevent(obligation: Obligation, *, stamp, kind: str, url: str) -> icalendar.Event:
    """One obligation as an all-day event on its due date (DTEND is the next day, exclusive)."""
    project = obligation.project
    event = icalendar.Event()
    event.add("uid", uid(obligation))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", obligation.due_date)
    event.add("dtend", obligation.due_date + timedelta(days=1))
    event.add("summary", f"{obligation.title} · {project.number}")
    event.add("description", f"{kind} · {project.account.name} · {project.title}")
    event.add("url", url)
    event.add("categories", [kind])
    event.add("transp", "TRANSPARENT")  # a deadline, not a busy slot
    return event


def feed_ics(user) -> bytes:
    stamp = clock.now()
    name = _("Grant deadlines · %(name)s") % {"name": user}
    cal = ical.calendar([], name=name, published=True, stamp=stamp)
    # Said once per feed, not per event: a coordinator's feed holds up to FEED_CAP of them.
    kinds = {kind: str(label) for kind, label in Obligation.Kind.choices}
    urls: dict[int, str] = {}
    for obligation in feed_obligations(user):
        if obligation.project_id not in urls:
            urls[obligation.project_id] = settings.PUBLIC_URL + reverse(
                "grants:project", args=[obligation.project_id]
            )
        event = vevent(
            obligation, stamp=stamp, kind=kinds[obligation.kind], url=urls[obligation.project_id]
        )
        cal.add_component(event)
    return cal.to_ical()


@require_GET
def deadline_feed(request, token: str):
    user = user_for_token(token)
    if user is None:
        raise Http404
    response = HttpResponse(feed_ics(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="grant-deadlines.ics"'
    # Private to the subscriber, as the platform's own feeds.
    response["Cache-Control"] = "private, max-age=300"
    return response
