"""Models saved by Camunda Modeler 5 (platform 7 and 8) and bpmn.io, a worker account, a worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from obieg.engine import deploy
from tests.conftest import make_user

DATA = Path(__file__).parent / "data"
EXTERNAL = "/api/engine/external-tasks/"


def model(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    """A copy of a sample model with some text replaced (as a person would edit it)."""
    text = (DATA / name).read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text)
    return path


def deploy_models(*paths: Path):
    """Deploy sample files together; the report (definitions, refusals, warnings)."""
    return deploy.deploy_report([p if isinstance(p, Path) else DATA / p for p in paths])


@pytest.fixture
def worker_account(db):
    """An account for an external worker: the dedicated permission, no role."""
    account = make_user("archive-worker")
    account.user_permissions.add(Permission.objects.get(codename="work_external_tasks"))
    return account


class Worker:
    """A test worker speaking to the API as Camunda's external task clients do."""

    def __init__(self, account, worker_id: str = "worker-1"):
        self.account = account
        self.api = APIClient()
        self.api.force_authenticate(account)
        self.worker_id = worker_id

    def fetch(self, *topics: str, max_tasks: int = 10, lock_ms: int = 60_000) -> list[dict]:
        response = self.api.post(
            f"{EXTERNAL}fetch-and-lock/",
            {
                "worker_id": self.worker_id,
                "max_tasks": max_tasks,
                "topics": [{"topic_name": t, "lock_duration": lock_ms} for t in topics],
            },
            format="json",
        )
        assert response.status_code == 200, response.data
        return response.data

    def post(self, task: dict, what: str, **body):
        return self.api.post(
            f"{EXTERNAL}{task['id']}/{what}/",
            {"worker_id": self.worker_id, **body},
            format="json",
        )

    def complete(self, task: dict, **variables):
        return self.post(task, "complete", variables=variables)


@pytest.fixture
def worker(worker_account):
    return Worker(worker_account)


@pytest.fixture
def client_for():
    """A client signed in as a persona, for pages and the API alike."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make
