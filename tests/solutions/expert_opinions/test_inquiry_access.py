"""Who sees which inquiries (SPEC P7): a department its own, a salesperson theirs, the board
what was escalated, the secretariat all of them."""

import pytest
from django.urls import reverse

from obieg.core import roles
from obieg.solutions.expert_opinions.selectors import inquiries_visible
from tests.conftest import make_user
from tests.solutions.expert_opinions.helpers import do, new_inquiry, prepared, to_department


@pytest.fixture
def inquiries(firm):
    """One inquiry per stage: new, at construction, at road accidents, escalated to the board."""
    fresh = new_inquiry(firm, "Nowe zapytanie")
    construction = new_inquiry(firm, "Pęknięcia ścian")
    to_department(firm, construction)
    road = new_inquiry(firm, "Wypadek na A4")
    to_department(firm, road, firm.road)
    escalated = prepared(firm, price="320.00")
    do(escalated, "head_approval", firm.head, head_decision="approve")
    by_olga = new_inquiry(firm, "Zapytanie Olgi")
    by_olga.owner = firm.olga
    by_olga.save(update_fields=["owner"])
    return {
        "fresh": fresh,
        "construction": construction,
        "road": road,
        "escalated": escalated,
        "by_olga": by_olga,
    }


def test_the_access_matrix_for_inquiries(firm, inquiries):
    everyone = set(inquiries)
    construction = {"construction", "escalated"}
    expected = {
        firm.secretariat_user: everyone,
        firm.sara: everyone - {"by_olga"},
        firm.olga: {"by_olga"},
        firm.manager: everyone - {"by_olga"},  # Sara's team manager; Olga is in another team
        firm.head: construction,
        firm.kasia: construction,
        firm.roman: {"road"},
        firm.rafal: {"road"},
        firm.board: {"escalated"},
        firm.admin: everyone,
        firm.stranger: set(),
        firm.designer: set(),
    }
    names = {inquiry.pk: name for name, inquiry in inquiries.items()}
    for user, visible in expected.items():
        seen = {names[pk] for pk in inquiries_visible(user).values_list("pk", flat=True)}
        assert seen == visible, user.username


def test_a_department_gets_404_for_another_departments_inquiry(client, firm, inquiries):
    client.force_login(firm.rafal)
    own = client.get(reverse("expert_opinions:inquiry_detail", args=[inquiries["road"].pk]))
    other = client.get(
        reverse("expert_opinions:inquiry_detail", args=[inquiries["construction"].pk])
    )
    assert own.status_code == 200
    assert other.status_code == 404


def test_the_list_shows_a_department_only_its_inquiries(client, firm, inquiries):
    client.force_login(firm.kasia)
    page = client.get(reverse("expert_opinions:inquiry_list")).content.decode()
    assert inquiries["construction"].number in page
    assert inquiries["road"].number not in page
    assert inquiries["fresh"].number not in page


def test_a_new_secretariat_member_sees_the_unassigned_inquiries(firm, inquiries):
    newcomer = make_user("nowa", roles.SECRETARIAT)
    assert inquiries["fresh"] in inquiries_visible(newcomer)
