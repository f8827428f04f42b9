"""`obieg demo`'s PV part: cases at every step, work in every demo role's inbox."""

from obieg.demo.organisation import ensure_organisation
from obieg.engine import selectors
from obieg.engine.models import Case
from obieg.solutions.pv_installation.demo import STAGES, create_demo


def test_the_demo_puts_a_case_at_every_step(db):
    org = ensure_organisation()
    projects = create_demo(org)
    assert len(projects) == len(STAGES)
    for username in ("salesperson", "designer", "sales_manager", "accountant", "installer"):
        assert selectors.inbox(org.user(username)), username
    assert Case.objects.filter(status="completed").count() == 1
    assert create_demo(org) == []  # a second run adds nothing
