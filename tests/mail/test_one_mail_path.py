"""All outgoing mail goes through the outbox: nothing outside obieg.mail sends directly."""

import re
from pathlib import Path

import obieg

SOURCE = Path(obieg.__file__).parent
MAIL_APP = SOURCE / "mail"
# Django's ways to send (a message object's send(), the helpers, a backend) and smtplib's.
DIRECT_SENDING = re.compile(
    r"\b(EmailMessage|EmailMultiAlternatives|send_mail|send_mass_mail|mail_admins|mail_managers"
    r"|send_messages|smtplib)\b"
)


def test_no_module_outside_the_mail_app_sends_e_mail_itself():
    offenders = [
        f"{path.relative_to(SOURCE)}:{number}: {line.strip()}"
        for path in SOURCE.rglob("*.py")
        if MAIL_APP not in path.parents
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DIRECT_SENDING.search(line)
    ]
    assert offenders == [], "send through obieg.mail.services.queue_mail:\n" + "\n".join(offenders)
