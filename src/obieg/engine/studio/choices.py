"""What the properties panel offers to pick from, so nobody types a name that is not there."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from obieg.core.models import Department
from obieg.engine import registry
from obieg.engine.models import NameMapping, StudioDraft
from obieg.engine.studio import selectors, workspace

# Lists are for picking, not browsing: a company with more users than this types a
# username (the deploy check still says when a name matches nobody).
USER_LIMIT = 500


def choices(*, solution: str) -> dict[str, list]:
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    return {
        "roles": sorted(Group.objects.values_list("name", flat=True)),
        "departments": [
            {"code": code, "name": name}
            for code, name in Department.objects.order_by("name").values_list("code", "name")
        ],
        "users": list(users.values_list("username", flat=True)[:USER_LIMIT]),
        "names": sorted(NameMapping.objects.values_list("name", flat=True)),
        "actions": registry.action_names(),
        "forms": registry.form_keys(),
        "decisions": sorted(
            {
                decision_id
                for item in selectors.decision_files()
                if item.solution == solution
                for decision_id, _name in item.decisions
            }
            | _draft_decisions(solution)
        ),
        "processes": sorted({d.key for d in workspace.current_versions(solution)}),
    }


def _draft_decisions(solution: str) -> set[str]:
    found = set()
    for draft in StudioDraft.objects.filter(solution=solution, file_name__endswith=".dmn"):
        found |= {decision_id for decision_id, _name in selectors.decisions_in(draft.xml)}
    return found
