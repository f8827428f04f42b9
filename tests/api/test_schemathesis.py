"""A bounded schemathesis pass over every API operation: the answers match the OpenAPI schema.

Each operation gets a few generated requests, valid and invalid, from a fixed
seed (derandomized), against the WSGI app and the demo company, as an
administrator and as a salesperson. It fails on a server error, an answer
that breaks the documented schema (body, headers, content type) or a status
code the schema does not list. Two checks stay with the nightly CLI run
(docs/api.md): "valid data accepted" cannot know the business rules (a NIP's
checksum, a record that must exist), and "invalid data refused" trips on DRF
reading `1` as the text "1".

It runs on PostgreSQL only, so once per CI run (SQLite runs first there):
PostgreSQL refuses what SQLite lets by (NUL in text, out-of-range integers),
so it is the database where a 500 can hide.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from obieg.wsgi import application

EXAMPLES_PER_OPERATION = 3
# The schema lists how to sign in as parameters too; this test always signs in.
CREDENTIALS = ("Authorization", "sessionid")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

pytestmark = [
    pytest.mark.schemathesis,
    pytest.mark.once(on="postgresql"),  # the bounded schemathesis pass
]


@pytest.fixture
def one_connection():
    """Requests go straight to the WSGI app, which closes the connection after each one
    (and so the test's transaction): keep it open, as Django's test client does."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def company(db, media_root, one_connection):
    """The demo company, plus what its small demo lacks: cases, crews, events, invoices."""
    from obieg.billing import invoicing, schedules
    from obieg.demo.organisation import ensure_organisation
    from obieg.demo.seller import ensure_seller
    from obieg.demo.small import create_small_demo
    from obieg.engine import deploy
    from obieg.sales.models import Contract
    from obieg.scheduling import crews, events
    from obieg.solutions.expert_opinions import demo as opinions

    organisation = ensure_organisation()
    ensure_seller()
    create_small_demo(organisation)
    deploy.deploy_all()
    opinions.create_demo(organisation)
    admin = organisation.user("admin")
    crew = crews.crew_create(actor=admin, data={"name": "Ekipa API", "kind": "own"})
    day = date.today() + timedelta(days=7)
    start = datetime.combine(day, time(8), tzinfo=ZoneInfo("Europe/Warsaw"))
    events.event_create(
        actor=admin, crew=crew, title="Montaż", start=start, end=start + timedelta(hours=8)
    )
    contract = Contract.objects.order_by("pk").first()
    invoicing.invoice_issue(
        actor=admin,
        buyer=contract.account,
        lines=[{"description": "Audyt", "quantity": 1, "unit_price": 100, "vat_rate": "23"}],
    )
    schedules.schedule_item_add(
        actor=admin,
        contract=contract,
        due_date=day,
        amount=Decimal("100.00"),
        kind="advance",
        description="Zaliczka",
    )
    return organisation.users


def _known_ids(headers, paths) -> dict[str, int]:
    """For each collection with a `{id}` route, the id of a record the user sees (if any)."""
    # Called as schemathesis calls the app: Django's test client would connect
    # again the signal `one_connection` disconnects.
    client = Client(application)
    ids = {}
    for path in paths:
        collection = path.split("{id}", 1)[0]
        if "{id}" in path and collection not in ids:
            listed = client.get(collection, headers=headers).get_json()
            rows = listed.get("results", []) if isinstance(listed, dict) else []
            ids[collection] = rows[0]["id"] if rows else None
    return ids


def test_every_operation_answers_as_its_schema_says(company):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    failures = []
    for username in ("admin", "salesperson"):
        failures += _failures(operations, company[username])
    assert not failures, "\n\n".join(failures)


def _failures(operations, user) -> list[str]:
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    known = _known_ids(headers, {operation.path for operation in operations})
    failures = []
    for operation in operations:
        # Mostly real records: random ids would only ever meet 404.
        record = known.get(operation.path.split("{id}", 1)[0])
        pinned = {"id": record, "number": 1} if record else {}
        pinned = {name: value for name, value in pinned.items() if f"{{{name}}}" in operation.path}
        modes = [GenerationMode.POSITIVE]
        free = [p for p in operation.iter_parameters() if p.name not in {*pinned, *CREDENTIALS}]
        if operation.body or free:
            modes.append(GenerationMode.NEGATIVE)  # else there is nothing to get wrong
        for mode in modes:
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=pinned)

            @hypothesis_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def answers_as_documented(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                answers_as_documented()
            # Gathered, to report every operation that fails (FailureGroup is a BaseExceptionGroup).
            except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001
                failures.append(f"{user} {operation.label} ({mode.value}): {failure}")
    return failures
