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
from obieg.core import access, compiled_once, prepared_statements
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


_ACCOUNT_ID = {"account": compiled_once.Value(int, Account._meta.pk)}


def _records(model: type, field: str, account_pk) -> QuerySet:
    return model._default_manager.filter(**{field: account_pk}).order_by().values("pk")


def _record_ids(model: type, field: str, account: Account) -> RawSQL:
    """The ids of `account`'s records of `model` as a subquery, compiled once per process.

    The cases section names a dozen kinds of record, each in the count and in
    the rows: compiling their subqueries anew was most of what the section cost.
    """
    statement = compiled_once.compiled(
        ("account's records", model._meta.label, field),
        _ACCOUNT_ID,
        lambda given: _records(model, field, given["account"]),
    )
    if statement is None:
        return RawSQL(*_records(model, field, account.pk).query.sql_with_params())
    return RawSQL(*compiled_once.bound(statement, {"account": account.pk}))


def _subjects(account: Account, kinds: frozenset[type], user=None) -> list[Q]:
    """Cases whose subject is the account or one of its records of `kinds` (as `user` sees them).

    With `user`, the caller has shown them the account: records that inherit
    its access (contact persons, documents) need no filter of their own.
    """
    relations = [(model, field) for model, field in _record_relations() if model in kinds]
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


def _kinds_sql(types: tuple[int, ...], account_pk) -> tuple[str, list]:
    """`SELECT EXISTS(<a case about one of the account's records of a kind>), …`, a column
    per relation (`types`: their content types' ids)."""
    parts, params = [], []
    for (model, field), type_id in zip(_record_relations(), types, strict=True):
        ids = _records(model, field, account_pk)
        about = Case.objects.filter(subject_type_id=type_id, subject_id__in=ids).values("pk")[:1]
        sql, part_params = about.query.sql_with_params()
        parts.append(f"EXISTS({sql})")
        params += part_params
    return "SELECT " + ", ".join(parts), params


def _kinds_with_cases(account: Account) -> frozenset[type]:
    """The models of the account's records some case is about: one statement per account object.

    The cases of a customer are those about it or about any of its records,
    a dozen kinds of them; a reader who is not an administrator sees those
    about records they may see, or that they take part in. Building that
    for every kind (each one's scope, a solution's projects with the cases
    one takes part in among them) cost more than the rest of the 360° page
    together, for kinds that mostly have no case at all. Asked first, the
    kinds no case is about are left out of the section's statements.
    Kept on the account object, so the section's count and rows (and its
    visibility filter) ask once per request.
    """
    known = account.__dict__.get("_kinds_with_cases")
    if known is not None:
        return known
    models = [model for model, _field in _record_relations()]
    types = ContentType.objects.get_for_models(*models)
    type_ids = tuple(types[model].pk for model in models)
    statement = compiled_once.compiled(
        ("kinds of records with cases", type_ids),
        _ACCOUNT_ID,
        lambda given: _kinds_sql(type_ids, given["account"]),
    )
    if statement is None:
        sql, params = _kinds_sql(type_ids, account.pk)
    else:
        sql, params = compiled_once.bound(statement, {"account": account.pk})
    (row,) = prepared_statements.rows_of(sql, params)
    kinds = frozenset(model for model, found in zip(models, row, strict=True) if found)
    account.__dict__["_kinds_with_cases"] = kinds
    return kinds


@cache
def _step_sql(vendor: str) -> dict[str, RawSQL]:
    """The current step's name and element id and the number of open tasks of a case,
    as subqueries on the work items' (case, status) index, compiled once per process.

    Each refers to the case by the table's own name: the cases are the
    outermost query (a list, a count), never a subquery of another on cases.
    Built with the ORM for each query, they were a third of the section's cost.
    """
    open_items = WorkItem.objects.filter(case=OuterRef("pk"), status=WorkItemStatus.OPEN)
    first = open_items.order_by("created_at", "id")
    query = Case.objects.annotate(
        current_step=Subquery(first.values("name")[:1]),
        # Its element id too: the page shows the step's name in the reader's language.
        current_step_id=Subquery(first.values("element_id")[:1]),
        open_steps=Subquery(
            open_items.order_by().values("case").annotate(n=Count("id")).values("n")[:1]
        ),
    ).query
    compiler = query.get_compiler(connection=connection)
    steps = {}
    for name, annotation in query.annotations.items():
        sql, params = compiler.compile(annotation)
        steps[name] = RawSQL(sql, tuple(params), output_field=annotation.output_field)
    return steps


def account_cases(account: Account) -> QuerySet:
    """The cases of the account and its records, each with its current step.

    The step is the oldest open task's name (a case in parallel branches has
    more: `open_steps` says how many), read by subqueries on the work items'
    (case, status) index, so the rows stay one query.
    """
    subjects = _subjects(account, _kinds_with_cases(account))
    return (
        Case.objects.filter(reduce(or_, subjects))
        .select_related("definition", "owner")
        .defer("state", "data", "pending_step", "definition__sources")
        .annotate(**_step_sql(connection.vendor))
    )


def visible_cases(user, account: Account, cases: QuerySet) -> QuerySet:
    """As a case page decides: its subject visible to `user`, or a case they take part in.

    Only the kinds of record the account's cases are about are looked at
    (`_kinds_with_cases`): with none, the cases are those about the account,
    which `user` sees, and what they take part in need not be asked.
    """
    if access.is_admin(user):
        return cases
    kinds = _kinds_with_cases(account)
    conditions = _subjects(account, kinds, user)
    if kinds:
        participant = access.compiled(engine_selectors.cases_for(user).values("pk"))
        conditions.append(Q(pk__in=participant))
    return cases.filter(reduce(or_, conditions))


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
        picked_by_id=False,  # about the account's records that have cases (_kinds_with_cases)
    )
