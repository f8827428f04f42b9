"""Crews and skills created and edited on pages, with validation and a confirmed delete."""

from __future__ import annotations

from obieg.core.audit import history_for
from obieg.scheduling import events
from obieg.scheduling.models import Crew, Skill
from tests.scheduling.conftest import at

NEW = "/scheduling/crews/new/"


def crew_form(**changes) -> dict:
    data = {
        "name": "Ekipa Solar-Bud",
        "kind": "subcontractor",
        "company": "Solar-Bud sp. z o.o.",
        "working_weekdays": ["0", "1", "2", "3", "4", "5"],
        "colour": "#118833",
        "active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_planner_adds_a_crew_with_members_skills_and_working_days(
    client, org, installer, roof, electrical
):
    client.force_login(org.manager)
    listing = client.get("/scheduling/crews/").content.decode()
    assert 'id="crew-new"' in listing
    assert client.get(NEW).status_code == 200

    response = client.post(NEW, crew_form(members=[installer.pk], skills=[roof.pk]))
    assert response.status_code == 302
    crew = Crew.objects.get(name="Ekipa Solar-Bud")
    assert response["Location"] == f"/scheduling/crews/{crew.pk}/"
    assert list(crew.members.all()) == [installer] and list(crew.skills.all()) == [roof]
    assert crew.working_weekdays == [0, 1, 2, 3, 4, 5] and crew.colour == "#118833"
    assert crew.kind == "subcontractor" and crew.active
    assert history_for(crew)[0].actor == org.manager


def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(client, org, crew):
    client.force_login(org.manager)
    duplicate = client.post(NEW, crew_form(name="Ekipa Dach"))
    assert duplicate.status_code == 400
    assert 'id="id_name_errors"' in duplicate.content.decode()
    no_days = client.post(NEW, crew_form(working_weekdays=None))
    assert no_days.status_code == 400
    assert "Choose at least one working day." in no_days.content.decode()
    bad_colour = client.post(NEW, crew_form(colour="red"))
    assert bad_colour.status_code == 400 and 'id="id_colour_errors"' in bad_colour.content.decode()
    assert Crew.objects.count() == 1


def test_a_planner_changes_members_and_skills_and_a_stale_form_is_refused(
    client, org, crew, installer, roof
):
    client.force_login(org.manager)
    url = f"/scheduling/crews/{crew.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'value="Ekipa Dach"' in page
    form = crew_form(
        name="Ekipa Dach i Elektryka",
        kind="own",
        company="",
        members=[installer.pk, org.sara.pk],
        skills=[roof.pk],
        revision=crew.revision,
    )
    assert client.post(url, form).status_code == 302
    crew.refresh_from_db()
    assert crew.name == "Ekipa Dach i Elektryka"
    assert set(crew.members.all()) == {installer, org.sara}
    assert [skill.code for skill in crew.skills.all()] == ["roof"]
    assert history_for(crew)[0].changes["name"] == ["Ekipa Dach", "Ekipa Dach i Elektryka"]

    stale = client.post(url, {**form, "name": "Inna nazwa"})  # the old revision again
    assert stale.status_code == 409
    crew.refresh_from_db()
    assert crew.name == "Ekipa Dach i Elektryka"


def test_a_crew_is_deleted_only_after_confirming_and_only_without_planned_work(
    client, org, crew, other_crew
):
    client.force_login(org.manager)
    confirm = client.get(f"/scheduling/crews/{other_crew.pk}/delete/")
    assert confirm.status_code == 200 and 'id="confirm-delete"' in confirm.content.decode()
    assert Crew.objects.filter(pk=other_crew.pk).exists()  # asking deletes nothing
    response = client.post(f"/scheduling/crews/{other_crew.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/scheduling/crews/"
    assert not Crew.objects.filter(pk=other_crew.pk).exists()

    job = events.event_create(
        actor=org.manager,
        crew=crew,
        title="Montaż",
        start=at(2027, 1, 5, 8),
        end=at(2027, 1, 5, 16),
    )
    events.event_cancel(actor=org.manager, event=job)
    page = client.get(f"/scheduling/crews/{crew.pk}/delete/").content.decode()
    assert 'id="crew-has-work"' in page and 'id="confirm-delete"' not in page
    refused = client.post(f"/scheduling/crews/{crew.pk}/delete/", follow=True)
    assert "make it inactive instead" in refused.content.decode()
    assert Crew.objects.filter(pk=crew.pk).exists()


def test_only_planners_reach_the_crew_forms(client, org, crew, installer):
    for user in (installer, org.sara):
        client.force_login(user)
        assert client.get(NEW).status_code == 404
        assert client.post(NEW, crew_form()).status_code == 404
        assert client.get(f"/scheduling/crews/{crew.pk}/edit/").status_code == 404
        assert client.post(f"/scheduling/crews/{crew.pk}/delete/").status_code == 404
        assert client.get("/scheduling/skills/").status_code == 404
    assert Crew.objects.count() == 1
    client.force_login(installer)
    assert 'id="crew-new"' not in client.get("/scheduling/crews/").content.decode()


def test_a_planner_adds_and_renames_skills(client, org, roof):
    client.force_login(org.manager)
    assert (
        client.post("/scheduling/skills/", {"code": "heat-pump", "name": "Pompy"}).status_code
        == 302
    )
    duplicate = client.post("/scheduling/skills/", {"code": "roof", "name": "Dachy"})
    assert duplicate.status_code == 400 and 'id="id_code_errors"' in duplicate.content.decode()
    bad = client.post("/scheduling/skills/", {"code": "z spacją", "name": "X"})
    assert bad.status_code == 400
    renamed = client.post(f"/scheduling/skills/{roof.pk}/", {"name": "Montaż na dachu"})
    assert renamed.status_code == 302
    assert dict(Skill.objects.values_list("code", "name")) == {
        "roof": "Montaż na dachu",
        "heat-pump": "Pompy",
    }
