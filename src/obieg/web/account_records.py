"""The 360° page's sections of what billing and the engine keep of a customer.

Invoices (the customer is the buyer), their payments, and the cases run for
the customer or for any of its records (an opportunity, an inquiry, a PV or
grant project …) with the step each case waits at. The web app sits above
billing and the engine, so it may name them; crm, which draws the page's
sections, may not. Registered from `WebConfig.ready`.
"""

from __future__ import annotations

from functools import cache, reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from obieg.billing.models import Invoice, Payment
from obieg.core import access
from obieg.crm.merge_relations import foreign_key_relations
from obieg.crm.models import Account
from obieg.engine import selectors as engine_selectors
from obieg.engine.models import Case, WorkItem, WorkItemStatus
from obieg.web import account_panels


def account_invoices(account: Account) -> QuerySet:
    # The (buyer, -issue_date, -id) index serves the list and its keyset.
    return Invoice.objects.filter(buyer=account).select_related("contract")


def account_payments(account: Account) -> QuerySet:
    return Payment.objects.filter(invoice__buyer=account).select_related("invoice")


@cache
def _record_relations() -> list[tuple[type, str]]:
    """(model, foreign key) of every kind of record of an account, found as the merge finds them.

    Every model with a foreign key to Account, so a solution's records count
    without being named here. Models do not change while the process runs.
    """
    return [
        (relation.model, relation.field)
        for relation in foreign_key_relations()
        if not relation.is_link_table
    ]


_ACCOUNT = 987654321987  # stands for the account's id in SQL compiled once


@cache
def _records_sql(model: type, field: str, vendor: str) -> tuple[str, tuple]:
    """The ids of one account's records of `model`, as SQL with the account's id left open."""
    records = model._default_manager.filter(**{field: _ACCOUNT}).order_by().values("pk")
    sql, params = records.query.get_compiler(using=records.db).as_sql()
    return sql, tuple(params)


def _record_ids(model: type, field: str, account: Account) -> RawSQL:
    """The ids of `account`'s records of `model` as a subquery, compiled once per process.

    The cases section names a dozen kinds of record, each in the count and in
    the rows: compiling their subqueries anew was most of what the section cost.
    """
    sql, params = _records_sql(model, field, connection.vendor)
    return RawSQL(sql, [account.pk if param == _ACCOUNT else param for param in params])


def _subjects(account: Account, user=None) -> list[Q]:
    """Cases whose subject is the account or one of its records (as `user` sees them).

    With `user`, the caller has shown them the account: records that inherit
    its access (contact persons, documents) need no filter of their own.
    """
    relations = _record_relations()
    types = ContentType.objects.get_for_models(Account, *(model for model, _field in relations))
    conditions = [Q(subject_type=types[Account], subject_id=account.pk)]
    for model, field in relations:
        ids = _record_ids(model, field, account)
        if user is not None:
            if not hasattr(model, "access"):
                continue
            records = model._default_manager.filter(**{field: account.pk})
            seen = access.visible_under(records, user, field)
            if seen is not records:
                ids = access.compiled(seen.values("pk"))
        conditions.append(Q(subject_type=types[model], subject_id__in=ids))
    return conditions


def account_cases(account: Account) -> QuerySet:
    """The cases of the account and its records, each with its current step.

    The step is the oldest open task's name (a case in parallel branches has
    more: `open_steps` says how many), read by subqueries on the work items'
    (case, status) index, so the rows stay one query.
    """
    open_items = WorkItem.objects.filter(case=OuterRef("pk"), status=WorkItemStatus.OPEN)
    return (
        Case.objects.filter(reduce(or_, _subjects(account)))
        .select_related("definition", "owner")
        .defer("state", "data", "pending_step", "definition__sources")
        .annotate(
            current_step=Subquery(open_items.order_by("created_at", "id").values("name")[:1]),
            # Its element id too: the page shows the step's name in the reader's language.
            current_step_id=Subquery(
                open_items.order_by("created_at", "id").values("element_id")[:1]
            ),
            open_steps=Subquery(
                open_items.order_by().values("case").annotate(n=Count("id")).values("n")[:1]
            ),
        )
    )


def visible_cases(user, account: Account, cases: QuerySet) -> QuerySet:
    """As a case page decides: its subject visible to `user`, or a case they take part in."""
    if access.is_admin(user):
        return cases
    participant = Q(pk__in=access.compiled(engine_selectors.cases_for(user).values("pk")))
    return cases.filter(reduce(or_, _subjects(account, user)) | participant)


def register() -> None:
    account_panels.add_section(
        "invoices",
        records=account_invoices,
        ordering=["-issue_date", "-id"],
        rows="web/accounts/_invoice_rows.html",
        card="web/accounts/_invoices.html",
        via="buyer",
        order=40,
    )
    account_panels.add_section(
        "payments",
        records=account_payments,
        ordering=["-paid_on", "-id"],
        rows="web/accounts/_payment_rows.html",
        card="web/accounts/_payments.html",
        via="invoice__buyer",
        order=50,
    )
    account_panels.add_section(
        "cases",
        records=account_cases,
        ordering=["-started_at", "-id"],
        rows="web/accounts/_case_rows.html",
        card="web/accounts/_cases.html",
        visible=visible_cases,
        order=10,
    )
