"""The outbox page: administrators read the e-mails Obieg sent or kept."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from obieg.core import access
from obieg.mail.models import OutboxMessage


def _admin_only(request) -> None:
    if not access.is_admin(request.user):
        raise Http404


@login_required
def outbox(request):
    _admin_only(request)
    messages = OutboxMessage.objects.all()[:200]
    return render(request, "mail/outbox.html", {"messages_list": messages})


@login_required
def message_detail(request, pk: int):
    _admin_only(request)
    message = get_object_or_404(OutboxMessage, pk=pk)
    return render(request, "mail/message.html", {"message": message})
