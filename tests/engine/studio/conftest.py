"""Personas and model texts for the process studio's tests."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from obieg.core import roles
from tests.conftest import make_user
from tests.engine.conftest import DATA

APPROVAL = (DATA / "approval.bpmn").read_text()
# The sample with a task naming an action nobody registered: refused on element `launch`.
UNKNOWN_ACTION = (DATA / "refused" / "unknown_action.bpmn").read_text()
# The same process with a registered action: deployable.
FIXED_ACTION = UNKNOWN_ACTION.replace("tests.no_such_action", "tests.record")


@pytest.fixture
def process_admin(db):
    return make_user("paula", roles.PROCESS_ADMIN)


def upload(client, *files: tuple[str, str], solution: str = "__auto__"):
    """POST files (name, text) to the studio's upload; the response (redirect when kept)."""
    payload = [SimpleUploadedFile(name, text.encode("utf-8")) for name, text in files]
    return client.post(reverse("engine:studio_upload"), {"files": payload, "solution": solution})


def drafts_page(client, solution: str = ""):
    return client.get(reverse("engine:studio_drafts"), {"solution": solution})


def deploy(client, page, solution: str = ""):
    return client.post(
        reverse("engine:studio_deploy"),
        {"solution": solution, "revisions": page.context["revisions"]},
    )
