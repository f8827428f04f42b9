import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import transaction

from obieg.core.models import Specialisation
from obieg.core.worker import build_worker
from tests.setup.tasks import create_specialisation


def test_healthz_answers_ok_after_checking_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_login_page_is_served_in_polish_by_default(client, db, settings):
    settings.LANGUAGE_CODE = "pl"  # the product's default; other tests run in English
    response = client.get("/login/")
    assert response.status_code == 200
    assert response["Content-Language"] == "pl"


def test_pages_need_a_log_in(client, db):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_task_enqueued_in_a_committed_transaction():
    with transaction.atomic():
        create_specialisation.enqueue("pv-design")
    build_worker(batch=True).run()
    assert Specialisation.objects.filter(code="pv-design").exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_in_a_rolled_back_transaction_never_runs():
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        create_specialisation.enqueue("never")
        raise Abort
    build_worker(batch=True).run()
    assert not Specialisation.objects.filter(code="never").exists()


def test_token_command_prints_the_same_token_until_rotated(db, capsys, org):
    call_command("token", org.sara.username)
    first = capsys.readouterr().out.strip()
    call_command("token", org.sara.username)
    assert capsys.readouterr().out.strip() == first
    call_command("token", org.sara.username, "--rotate")
    assert capsys.readouterr().out.strip() != first
    assert len(first) == 40


def test_production_settings_pass_the_deploy_check():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "production-secret-of-sufficient-length-and-variety-123",
        "ALLOWED_HOSTS": "crm.example.pl",
        "PUBLIC_URL": "https://crm.example.pl",
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "obieg.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bad_boolean_setting_fails_loudly():
    env = {**os.environ, "DEBUG": "maybe"}
    result = subprocess.run(
        [sys.executable, "-m", "obieg.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_postgresql_sessions_never_jit_compile_a_pages_queries(db):
    """JIT compiled the 360° page's access subqueries for ~3 s (their estimated cost
    passes jit_above_cost); Obieg's short queries run without it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_sqlite_connections_are_kept_between_requests_as_postgresql_ones_are(tmp_path):
    """Opened anew for every request, a SQLite connection ran its PRAGMAs and Django's
    function registrations each time: half of what an inbox request cost."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'kept.sqlite3'}"}
    env.pop("DB_CONN_MAX_AGE", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'obieg.settings');"
            "django.setup(); from django.conf import settings;"
            "print(settings.DATABASES['default']['CONN_MAX_AGE'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) == 60
