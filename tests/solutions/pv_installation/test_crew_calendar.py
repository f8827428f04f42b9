"""The crews see their PV work in their own CalDAV calendars (a real Radicale server)."""

import pytest

from obieg.scheduling import calendars
from tests.scheduling.helpers import remote_events, sync
from tests.scheduling.radicale_server import RadicaleServer
from tests.solutions.pv_installation.conftest import WORK_START
from tests.solutions.pv_installation.helpers import new_project, plan, reload, to_contract_sent

USER, PASSWORD = "ekipa1", "tajne-haslo-ekipy-1"


@pytest.fixture
def radicale(tmp_path):
    server = RadicaleServer(tmp_path / "radicale", {USER: PASSWORD})
    server.start()
    yield server
    server.stop()


def test_planned_roof_work_reaches_the_crews_calendar(org, roof_crew, electrical_crew, radicale):
    from obieg.solutions.pv_installation import services

    calendars.caldav_configure(
        actor=org.manager,
        owner=roof_crew,
        url=radicale.make_calendar(USER),
        username=USER,
        password=PASSWORD,
    )
    project = to_contract_sent(org, new_project(org))
    services.customer_accept_contract(project=project, contract_id=project.contract_id)
    plan(org, reload(project), roof_crew, electrical_crew, WORK_START)
    assert sync(roof_crew)["pushed"] == 1
    (event,) = remote_events(radicale, roof_crew)
    assert "część dachowa" in str(event["summary"])
    assert event.start.date() == WORK_START
    assert str(event["location"]) == "ul. Słoneczna 5, 30-001 Kraków"  # with its town
