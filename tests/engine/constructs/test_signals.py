"""Signals: thrown in one case, heard by every case waiting for them; signal start events.

A signal is broadcast after the throwing step commits; the tests run the
on-commit callbacks where a real commit would.
"""

from __future__ import annotations

from obieg.engine.models import Case, CaseEvent, CaseStatus
from obieg.engine.runtime import services as engine
from tests.engine.constructs.conftest import calls_of, deployed
from tests.engine.helpers import open_elements, open_item, reload


def test_a_thrown_signal_reaches_the_waiting_cases_and_starts_the_audit(
    org, client_for, django_capture_on_commit_callbacks
):
    deployed("c8_price_signals.bpmn")
    first = engine.start_case(process="c8_offer_pricing", actor=org.sara)
    second = engine.start_case(process="c8_offer_pricing", actor=org.tomasz)
    pricing = engine.start_case(
        process="c8_price_list", actor=org.board, data={"priceList": "2027-01", "margin": "0.3"}
    )

    # An administrator sends the signal through the API: both offers are priced again.
    admin = client_for(org.admin)
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin.post("/api/engine/signals/", {"name": "price_list_changed"}, format="json")
    assert answer.status_code == 200, answer.data
    assert sorted(answer.data["cases"]) == sorted([first.pk, second.pk])
    (audit_by_api,) = answer.data["started"]
    assert open_elements(first) == open_elements(second) == ["repriceOffer"]
    assert first.events.filter(
        kind=CaseEvent.Kind.MESSAGE, element_id="pricesChanged", data__signal="price_list_changed"
    ).exists()

    # The second offer is repriced and now waits for the publication.
    engine.complete(work_item=open_item(second, "repriceOffer"), actor=org.tomasz, data={})
    assert reload(second).status == CaseStatus.WAITING
    third = engine.start_case(process="c8_offer_pricing", actor=org.sara)

    # The board approves: the case throws price_list_changed, then ends with prices_published.
    with django_capture_on_commit_callbacks(execute=True):
        engine.complete(work_item=open_item(pricing, "approvePrices"), actor=org.board, data={})
    assert reload(pricing).status == CaseStatus.COMPLETED
    assert open_elements(third) == ["repriceOffer"]
    assert open_elements(first) == ["repriceOffer"]  # already repricing: nothing changes
    assert reload(second).status == CaseStatus.COMPLETED  # prices_published reached it

    audits = Case.objects.filter(definition__key="c8_price_audit").order_by("pk")
    assert [case.pk for case in audits][0] == audit_by_api
    assert [reload(case).status for case in audits] == [CaseStatus.COMPLETED] * 2
    # Only what the model maps onto the signal travels: the price list, not the margin.
    thrown = audits.last()
    assert thrown.data["priceList"] == "2027-01" and "margin" not in thrown.data
    assert len(calls_of("recordAudit")) == 2


def test_only_administrators_and_worker_accounts_send_signals(org, client_for, worker_account):
    deployed("c8_price_signals.bpmn")
    case = engine.start_case(process="c8_offer_pricing", actor=org.sara)
    refused = client_for(org.sara).post(
        "/api/engine/signals/", {"name": "price_list_changed"}, format="json"
    )
    assert refused.status_code == 403
    assert open_elements(case) == ["priceOffer"]

    worker = client_for(worker_account).post(
        "/api/engine/signals/", {"name": "nobody_listens"}, format="json"
    )
    assert worker.status_code == 200 and worker.data == {"cases": [], "started": []}
