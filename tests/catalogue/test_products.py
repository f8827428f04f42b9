"""The catalogue's rules: unique codes in any case, who may change it, revisions, withdrawal."""

from decimal import Decimal

import pytest

from obieg.catalogue import services
from obieg.catalogue.models import Product
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.core.models import AuditEntry
from tests.catalogue.helpers import add_item


def test_an_item_keeps_folded_search_and_polish_sort_columns(org):
    item = add_item(org.manager, "ZLW-1", "Żółw ogrodowy")

    assert item.search_name == "zlw-1 zolw ogrodowy"
    assert item.sort_name  # the Polish sort key (core.text_search)
    assert AuditEntry.objects.filter(object_id=item.pk, action="create").exists()


@pytest.mark.parametrize("taken", ["PV-450", "pv-450", " Pv-450 "])
def test_a_code_is_unique_in_any_case_and_the_refusal_names_the_field(org, taken):
    add_item(org.manager, "PV-450", "Moduł 450 W")

    with pytest.raises(ApplicationError) as refused:
        add_item(org.manager, taken, "Inny moduł")

    assert "code" in refused.value.field_errors
    assert Product.objects.count() == 1


@pytest.mark.parametrize("code", ["PV 450", "ŻÓŁW", "-PV", ""])
def test_a_code_with_spaces_or_polish_letters_is_refused(org, code):
    with pytest.raises(ApplicationError) as refused:
        add_item(org.manager, code, "Moduł")

    assert "code" in refused.value.field_errors
    assert not Product.objects.exists()


def test_negative_amounts_are_refused_beside_their_fields(org):
    with pytest.raises(ApplicationError) as refused:
        add_item(org.manager, "X-1", "X", unit_price=Decimal("-1"), unit_cost=Decimal("-0.01"))

    assert {"unit_price", "unit_cost"} <= set(refused.value.field_errors)


def test_only_an_administrator_or_a_sales_manager_changes_the_catalogue(org):
    add_item(org.admin, "A-1", "Od administratora")
    item = add_item(org.manager, "M-1", "Od kierownika")

    for outsider in (org.sara, org.accountant, org.board, org.stranger):
        with pytest.raises(PermissionDenied):
            add_item(outsider, "S-1", "Nie wolno")
        with pytest.raises(PermissionDenied):
            services.product_update(actor=outsider, product=item, data={"name": "Zmiana"})
        with pytest.raises(PermissionDenied):
            services.product_set_active(actor=outsider, product=item, active=False)

    assert Product.objects.count() == 2
    assert Product.objects.get(pk=item.pk).name == "Od kierownika"


def test_a_stale_revision_is_refused_and_nothing_changes(org):
    item = add_item(org.manager, "M-1", "Moduł")
    services.product_update(
        actor=org.admin, product=item, data={"unit_price": Decimal("120")}, revision=1
    )

    with pytest.raises(Conflict):
        services.product_update(
            actor=org.manager, product=item, data={"unit_price": Decimal("90")}, revision=1
        )

    item.refresh_from_db()
    assert (item.unit_price, item.revision) == (Decimal("120.00"), 2)


def test_renaming_refreshes_the_search_column(org):
    item = add_item(org.manager, "M-1", "Moduł")

    item = services.product_update(actor=org.manager, product=item, data={"name": "Łącznik"})

    assert Product.objects.get(pk=item.pk).search_name == "m-1 lacznik"


def test_withdrawing_and_bringing_back_are_audited(org):
    item = add_item(org.manager, "M-1", "Moduł")

    item = services.product_set_active(actor=org.manager, product=item, active=False, revision=1)
    assert not item.active
    item = services.product_set_active(actor=org.manager, product=item, active=True)

    assert item.active and item.revision == 3
    assert AuditEntry.objects.filter(object_id=item.pk, action="update").count() == 2
