"""The demo data of the opinions firm: experts and inquiries at every step, made once."""

from obieg.demo.organisation import ensure_organisation
from obieg.solutions.expert_opinions.demo import create_demo
from obieg.solutions.expert_opinions.models import BoardReview, Expert, Inquiry
from tests.solutions.expert_opinions.helpers import deploy_solution


def test_the_demo_tells_each_story_through_the_process(db, media_root):
    deploy_solution()
    org = ensure_organisation()
    inquiries = create_demo(org)

    statuses = [Inquiry.objects.get(pk=inquiry.pk).status for inquiry in inquiries]
    assert statuses == [
        Inquiry.Status.NEW,
        Inquiry.Status.AT_DEPARTMENT,
        Inquiry.Status.IN_APPROVAL,
        Inquiry.Status.AT_BOARD,
        Inquiry.Status.OFFER_SENT,
        Inquiry.Status.COMMISSIONED,
        Inquiry.Status.REJECTED_BY_BOARD,
    ]
    assert Expert.objects.filter(active=False).count() == 1
    assert BoardReview.objects.count() == 2
    assert create_demo(org) == []  # idempotent
    assert Inquiry.objects.count() == 7
