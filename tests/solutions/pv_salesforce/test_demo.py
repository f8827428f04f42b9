"""The sales force's demo: scored queues, a telephone day and a planned field day, made once."""

from obieg.demo.organisation import ensure_organisation
from obieg.solutions.pv_salesforce.demo import create_demo
from obieg.solutions.pv_salesforce.models import CallSlot, Meeting, QueueItem, QueueRule


def test_the_demo_fills_the_queues_and_plans_both_days(db, media_root):
    org = ensure_organisation()
    create_demo(org)

    assert QueueRule.objects.count() == 5
    items = QueueItem.objects.all()
    assert items.count() == 8
    assert items.filter(queue="field").exists() and items.filter(queue="phone").exists()
    assert all(item.reasons for item in items)  # each says why it stands where it does
    assert CallSlot.objects.filter(salesperson=org.user("phone_sales")).exists()
    planned = Meeting.objects.filter(salesperson=org.user("field_sales"), status="planned")
    assert planned.filter(queue_item__isnull=True).count() == 4  # every promised meeting
    fill_ins = planned.filter(queue_item__isnull=False)
    assert 1 <= fill_ins.count() <= 2  # field-queue customers in the day's gaps
    assert all(visit.queue_item.status == "scheduled" for visit in fill_ins)
    assert all(meeting.event_id for meeting in planned)

    create_demo(org)  # idempotent
    assert QueueItem.objects.count() == 8
