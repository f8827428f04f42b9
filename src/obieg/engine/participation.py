"""Who works on which record, for the access policy (`core.access.register_participation`).

A case's participants — whoever has or had one of its work items, their
managers, its owner and whoever started it (`selectors.cases_for`) — work on
the case itself and on its subject: they see the documents attached to
either, as the people of a PV project see its audit photos and offer.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, QuerySet, Value

from obieg.core import access
from obieg.engine import selectors
from obieg.engine.models import Case


def _cases(user) -> QuerySet[Case]:
    """The user's cases as a condition, built once per request for both rules below.

    Building it (the access policy's scope of cases, the work items that make
    one a participant) is most of what a salesperson's documents list costs
    in Python; both rules derive their querysets from it by cloning.
    """

    def build() -> QuerySet[Case]:
        # Only conditions are wanted in a subquery: no joins for display, nothing deferred.
        return selectors.cases_for(user).select_related(None).defer(None)

    key = ("participation_cases", user.pk, user.department_id, user.role_names)
    return access.per_user(user, key, build)


def case_subjects(user) -> QuerySet[Case]:
    """The records the user's cases are about."""
    return (
        _cases(user)
        .filter(subject_type__isnull=False)
        .annotate(record_type=F("subject_type_id"), record_id=F("subject_id"))
    )


def cases(user) -> QuerySet[Case]:
    """The user's cases themselves (documents may be attached to a case)."""
    case_type = ContentType.objects.get_for_model(Case).pk
    return _cases(user).annotate(record_type=Value(case_type), record_id=F("pk"))
