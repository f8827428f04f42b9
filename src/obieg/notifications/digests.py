"""The daily e-mail digest: once a person's hour has come, at most once a day, in their language.

A clock job (`send_due_digests`) finds the people whose hour has come today
and who have no digest for today yet. Each digest is one transaction: the
`DigestSent` row for (person, day) is written first — its unique constraint
is the claim: of two workers the second one's insert fails and it moves on —
then the e-mail is queued in the outbox (`mail.services.queue_mail`) in the
same transaction, so it goes out once or, rolled back, not at all.

Nothing to tell (no task late or due, no news) sends nothing; the day is
marked done all the same.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from obieg.core import clock
from obieg.mail.services import queue_mail
from obieg.notifications import marks, selectors, services
from obieg.notifications.models import DigestSent, Preferences

logger = logging.getLogger(__name__)

DIGESTS_EVERY = timedelta(minutes=1)
PER_RUN = 200


def _default(name: str):
    return Preferences._meta.get_field(name).get_default()


def users_due(*, now: datetime, day: date, limit: int = PER_RUN):
    """Active people with an e-mail address whose digest hour has come and who have none today."""
    hour = timezone.localtime(now).hour
    chose = Q(
        notification_preferences__digest=True, notification_preferences__digest_hour__lte=hour
    )
    if _default("digest") and _default("digest_hour") <= hour:  # no row: the defaults
        chose |= Q(notification_preferences__isnull=True)
    return (
        get_user_model()
        .objects.filter(chose, is_active=True)
        .exclude(email="")
        .exclude(Exists(DigestSent.objects.filter(user=OuterRef("pk"), day=day)))
        .order_by("pk")[:limit]
    )


def digest_send(*, user, day: date, now: datetime | None = None) -> DigestSent | None:
    """Write the person's digest for `day` and queue it; None when it was already done."""
    now = now or clock.now()
    previous = (
        DigestSent.objects.filter(user=user, day__lt=day)
        .order_by("-day")
        .values_list("sent_at", flat=True)
        .first()
    )
    try:
        with transaction.atomic():
            record = DigestSent.objects.create(user=user, day=day, sent_at=now)
            digest = selectors.digest_for(user, since=previous or now - timedelta(days=1), now=now)
            if digest.is_empty:
                return record
            record.message = _queue(user, digest, day)
            record.save(update_fields=["message"])
            return record
    except IntegrityError:
        return None  # another worker wrote this person's digest for the day first


def _queue(user, digest: selectors.Digest, day: date):
    language = services.preferences_for(user).language
    with translation.override(language):
        subject = _("Obieg: your day, %(day)s") % {
            "day": formats.date_format(day, "SHORT_DATE_FORMAT")
        }
        body = render_to_string(
            "notifications/digest_email.txt",
            {"user": user, "digest": digest, "day": day, "site": settings.PUBLIC_URL},
        )
    return queue_mail(to=user.email, subject=subject, body=body)


def send_due_digests() -> int:
    """Send the digests whose hour has come (a clock job); how many were written."""
    with marks.claimed("digests", every=DIGESTS_EVERY) as mark:
        if mark is None:
            return 0
    # The mark only spaces the runs; each digest below is a transaction of its own.
    now = clock.now()
    day = clock.today()
    done = 0
    for user in users_due(now=now, day=day):
        try:
            if digest_send(user=user, day=day, now=now) is not None:
                done += 1
        except Exception:  # one person's failure must not keep the others' digests back
            logger.exception("The digest of %s for %s failed", user, day)
    return done
