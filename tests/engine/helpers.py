"""Small helpers shared by the engine tests."""

from obieg.engine.models import Case, WorkItem


def open_items(case: Case) -> list[WorkItem]:
    return list(WorkItem.objects.filter(case=case, status="open").order_by("element_id"))


def open_item(case: Case, element_id: str) -> WorkItem:
    return WorkItem.objects.get(case=case, status="open", element_id=element_id)


def open_elements(case: Case) -> list[str]:
    return [item.element_id for item in open_items(case)]


def event_kinds(case: Case) -> list[tuple[str, str]]:
    return list(case.events.order_by("at", "id").values_list("kind", "element_id"))


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)
