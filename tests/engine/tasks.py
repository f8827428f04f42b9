"""A background task the sample actions enqueue (outbound work in tests)."""

from django_tasks import task


@task()
def send_note(case_id: int, text: str) -> str:
    return f"{case_id}: {text}"
