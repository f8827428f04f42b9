from django_tasks import task

from obieg.mail import services


@task()
def deliver_mail(message_id: int) -> str:
    return services.deliver(message_id).status
