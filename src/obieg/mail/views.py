"""The outbox page: administrators read the e-mails Obieg sent or kept, and their attachments."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from obieg.core import access
from obieg.mail.models import OutboxAttachment, OutboxMessage


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
    return render(
        request,
        "mail/message.html",
        {"message": message, "attachments": list(message.attachments.all())},
    )


@never_cache
@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    _admin_only(request)
    attachment = get_object_or_404(OutboxAttachment, pk=attachment_pk, message_id=pk)
    try:
        handle = attachment.file.open("rb")
    except OSError as error:  # the row outlived its file (restored backup, moved storage)
        raise Http404 from error
    # Always an attachment: a file sent to a customer must never run in our origin.
    return FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
