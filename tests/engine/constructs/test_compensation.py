"""Compensation: a cancelled trip undoes its bookings, latest first (Camunda 7 model)."""

from __future__ import annotations

from obieg.engine.models import CaseStatus
from obieg.engine.runtime import services as engine
from tests.engine.constructs.conftest import calls_of, deployed
from tests.engine.helpers import open_elements, open_item, reload


def test_an_unconfirmed_trip_returns_the_van_then_cancels_the_hotel(org):
    deployed("c7_trip_booking.bpmn")
    case = engine.start_case(process="c7_trip_booking", actor=org.sara)
    (booking,) = calls_of("bookHotel")
    engine.complete(
        work_item=open_item(case, "bookVan"),
        actor=org.sara,
        data={"van": "WX 1234A", "confirmed": False},
    )
    # The van was booked last, so it is returned first; the hotel waits for that.
    assert open_elements(case) == ["returnVan"]
    assert calls_of("cancelHotel") == []
    engine.complete(work_item=open_item(case, "returnVan"), actor=org.sara, data={})

    (cancelled,) = calls_of("cancelHotel")
    assert cancelled["data"]["hotel_booking"] == f"H-{case.pk}"
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED
    assert case.data["hotel_cancelled"] == f"H-{case.pk}"
    states = _states(case)
    assert states["cancelHotel"] == states["returnVan"] == "completed"
    assert booking["element"] == "bookHotel"


def test_a_confirmed_trip_undoes_nothing(org):
    deployed("c7_trip_booking.bpmn")
    case = engine.start_case(process="c7_trip_booking", actor=org.sara)
    engine.complete(work_item=open_item(case, "bookVan"), actor=org.sara, data={"confirmed": True})
    assert reload(case).status == CaseStatus.COMPLETED
    assert calls_of("cancelHotel") == []


def _states(case):
    from obieg.engine import selectors

    return selectors.case_diagram(case).element_states
