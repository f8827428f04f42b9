"""Who sees and who changes which crews and events."""

from __future__ import annotations

import pytest

from obieg.core.errors import PermissionDenied
from obieg.scheduling import crews, events, selectors
from tests.scheduling.conftest import at


@pytest.fixture
def montaz(org, crew):
    return events.event_create(
        actor=org.manager, crew=crew, title="Montaż", start=at(2026, 12, 1), end=at(2026, 12, 1, 16)
    )


@pytest.fixture
def elsewhere(org, other_crew):
    return events.event_create(
        actor=org.manager,
        crew=other_crew,
        title="Gdzie indziej",
        start=at(2026, 12, 1),
        end=at(2026, 12, 1, 16),
    )


def test_an_installer_sees_only_their_crews_events(installer, crew, montaz, elsewhere):
    assert list(selectors.visible_events(installer)) == [montaz]
    assert list(selectors.visible_crews(installer)) == [crew]


def test_an_installer_reads_but_does_not_move_the_plan(installer, montaz):
    with pytest.raises(PermissionDenied):
        events.event_move(
            actor=installer, event=montaz, start=at(2026, 12, 2), end=at(2026, 12, 2, 16)
        )


def test_the_sales_manager_plans_every_crew(org, montaz, elsewhere, other_crew):
    assert set(selectors.visible_events(org.manager)) == {montaz, elsewhere}
    # To the other crew on a day it has free (1 December it works elsewhere).
    moved = events.event_move(
        actor=org.manager,
        event=montaz,
        start=at(2026, 12, 2),
        end=at(2026, 12, 2, 16),
        crew=other_crew,
    )
    assert moved.crew == other_crew


def test_a_salesperson_cannot_plan_crews_or_change_them(org, crew):
    with pytest.raises(PermissionDenied):
        events.event_create(
            actor=org.sara, crew=crew, title="x", start=at(2026, 12, 1), end=at(2026, 12, 1, 9)
        )
    with pytest.raises(PermissionDenied):
        crews.crew_update(actor=org.sara, crew=crew, data={"name": "Moja"})
    assert list(selectors.visible_crews(org.sara)) == []


def test_personal_meetings_are_seen_by_the_person_and_their_manager(org):
    meeting = events.event_create(
        actor=org.sara,
        user=org.sara,
        title="Spotkanie",
        start=at(2026, 12, 1, 10),
        end=at(2026, 12, 1, 11),
    )
    assert list(selectors.visible_events(org.sara)) == [meeting]
    assert list(selectors.visible_events(org.manager)) == [meeting]
    assert list(selectors.visible_events(org.olga)) == []
    with pytest.raises(PermissionDenied):
        events.event_create(
            actor=org.olga, user=org.sara, title="x", start=at(2026, 12, 1), end=at(2026, 12, 1, 9)
        )


def test_an_event_needs_a_crew_or_a_person_and_an_end_after_its_start(org, crew):
    from obieg.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        events.event_create(
            actor=org.manager, title="x", start=at(2026, 12, 1), end=at(2026, 12, 1, 9)
        )
    with pytest.raises(ApplicationError):
        events.event_create(
            actor=org.manager,
            crew=crew,
            title="x",
            start=at(2026, 12, 1, 9),
            end=at(2026, 12, 1, 8),
        )


def test_a_stale_revision_is_refused(org, montaz):
    from obieg.core.errors import Conflict

    events.event_update(actor=org.manager, event=montaz, data={"location": "A"})
    with pytest.raises(Conflict):
        events.event_update(actor=org.manager, event=montaz, data={"location": "B"}, revision=1)
