"""A background task used only by the worker test: it writes a row we can see."""

from django_tasks import task

from obieg.core.models import Specialisation


@task()
def create_specialisation(code: str) -> str:
    Specialisation.objects.get_or_create(code=code, defaults={"name": code})
    return code
