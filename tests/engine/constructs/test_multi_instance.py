"""Multi-instance activities: collections, cardinality, outputs and completion conditions.

Also the SpiffWorkflow 3.2.0 `loopCardinality` bug (docs/engine.md): a loop
with a cardinality and an output collection that already exists ran into a
`NameError` in the library; Obieg's own loop spec runs it.
"""

from __future__ import annotations

from decimal import Decimal

from obieg.engine import spec_cache
from obieg.engine.models import CaseStatus
from obieg.engine.runtime import services as engine
from tests.engine.constructs.conftest import calls_of, deployed
from tests.engine.helpers import open_items, reload


def test_camunda7_reviewers_each_get_their_task_and_two_reviews_are_enough(org):
    deployed("c7_offer_reviews.bpmn")
    case = engine.start_case(
        process="c7_offer_reviews",
        actor=org.sara,
        data={"reviewers": ["tomasz", "olga", "dorota"], "instalments": 2, "reviewer": "sara"},
    )
    reviews = open_items(case)
    assert sorted(item.assignee.username for item in reviews) == ["dorota", "olga", "tomasz"]

    by_person = {item.assignee.username: item for item in reviews}
    engine.complete(work_item=by_person["olga"], actor=org.olga, data={"olga_says": "ok"})
    assert len(open_items(case)) == 2
    spec_cache.clear()  # as after a restart: the loop must still hear its instances finish
    engine.complete(work_item=by_person["tomasz"], actor=org.tomasz, data={"tomasz_says": "ok"})

    # nrOfCompletedInstances >= 2: Dorota's review is cancelled, the invoices are issued twice.
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED
    assert [call["data"]["loopCounter"] for call in calls_of("issueInstalment")] == [0, 1]
    assert case.data["olga_says"] == case.data["tomasz_says"] == "ok"
    assert case.data["reviewer"] == "sara"  # the element variable shadowed it, never replaced it
    by_person["dorota"].refresh_from_db()
    assert by_person["dorota"].status == "cancelled"


def test_camunda8_lines_are_priced_in_parallel_and_collected_in_input_order(org):
    deployed("c8_quote_lines.bpmn")
    case = engine.start_case(
        process="c8_quote_lines",
        actor=org.sara,
        data={"lines": ["panels", "inverter", "mounting"], "reminders": 5},
    )
    items = open_items(case)
    assert [item.candidate_group for item in items] == ["designer"] * 3
    prices = {"panels": "9000.00", "inverter": "4500.00", "mounting": "1200.00"}
    for item in reversed(items):  # finishing in another order than the input's
        line = _line_of(case, item)
        engine.complete(work_item=item, actor=org.designer, data={"price": prices[line]})

    case = reload(case)
    assert case.status == CaseStatus.COMPLETED
    assert case.data["prices"] == ["9000.00", "4500.00", "1200.00"]
    # A sequential loop of five reminders stops after two (numberOfCompletedInstances >= 2).
    assert [call["data"]["loopCounter"] for call in calls_of("remindSupplier")] == [1, 2]


def _line_of(case, item) -> str:
    from obieg.engine.runtime.step import Step

    instance = Step(case, None).load()
    (task,) = [t for t in instance.open_tasks() if t.id == str(item.task_id)]
    return task.data["line"]


def test_a_cardinality_loop_with_an_existing_output_collection_runs(org):
    """SpiffWorkflow 3.2.0 stops here with NameError: name 'data_ouput' is not defined."""
    deployed("bpmnio_instalment_invoices.bpmn")
    case = engine.start_case(
        process="instalment_invoices",
        actor=org.sara,
        data={"instalments": 3, "invoices": []},
    )
    items = open_items(case)
    assert len(items) == 3 and {item.candidate_group for item in items} == {"accountant"}
    for number, item in enumerate(items, start=1):
        engine.complete(work_item=item, actor=org.accountant, data={"invoice": f"FV/{number}"})
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED
    assert sorted(case.data["invoices"]) == ["FV/1", "FV/2", "FV/3"]


def test_a_cardinality_of_zero_passes_the_activity_and_a_wrong_one_stops_the_case(org):
    deployed("bpmnio_instalment_invoices.bpmn")
    none = engine.start_case(process="instalment_invoices", actor=org.sara, data={"instalments": 0})
    assert reload(none).status == CaseStatus.COMPLETED and reload(none).data["invoices"] == []

    for wrong, message in ((Decimal("2.5"), "not a whole number"), (5000, "at most 1000")):
        try:
            engine.start_case(
                process="instalment_invoices", actor=org.sara, data={"instalments": wrong}
            )
        except engine.StepFailed as failure:
            assert message in failure.message
        else:
            raise AssertionError(f"{wrong} instalments started")
