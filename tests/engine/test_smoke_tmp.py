from decimal import Decimal
from obieg.engine.runtime import services as engine
from obieg.engine.models import WorkItem
from obieg.engine import selectors
from tests.engine.conftest import deploy_samples


def test_smoke(org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara)
    item = WorkItem.objects.get(case=case)
    print(item.candidate_group, item.assignee)
    assert selectors.inbox(org.tomasz) == [item]
    engine.complete(work_item=item, actor=org.tomasz, data={"margin": "0.10"})
    board = WorkItem.objects.get(case=case, status="open")
    assert board.candidate_group == "board"
    engine.complete(work_item=board, actor=org.board)
    send = WorkItem.objects.get(case=case, status="open")
    assert send.assignee == org.sara
    engine.complete(work_item=send, actor=org.sara)
    case.refresh_from_db()
    print(case.status, case.data, list(case.events.values_list("kind", "element_id", "data")))
