"""The daily digest: at the person's hour, once a day, in their language, only with news."""

from datetime import timedelta

from obieg.crm import services as crm
from obieg.crm.models import Activity
from obieg.engine import timers
from obieg.engine.runtime import services as engine
from obieg.mail.models import OutboxMessage
from obieg.notifications import digests
from obieg.notifications.models import DigestSent, Preferences
from tests.factories import ActivityFactory
from tests.notifications.conftest import at, run_jobs


def with_email(user, address=None):
    user.email = address or f"{user.username}@example.com"
    user.save(update_fields=["email"])
    return user


def digests_to(user) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to=user.email).order_by("pk"))


def plan_call(account, owner, moment, subject="Oddzwonić do pana Kowalskiego"):
    return ActivityFactory(
        account=account,
        owner=owner,
        status=Activity.Status.PLANNED,
        kind=Activity.Kind.CALL,
        subject=subject,
        occurs_at=moment,
    )


def test_the_digest_goes_out_at_the_persons_hour_once_a_day(org, sara_account, frozen):
    with_email(org.sara)
    Preferences.objects.create(user=org.sara, language="en")  # asserted in English below
    plan_call(sara_account, org.sara, at(2026, 12, 1, 15))
    with frozen(at(2026, 12, 1, 6, 50)):
        digests.send_due_digests()
    assert digests_to(org.sara) == []  # seven o'clock by default

    with frozen(at(2026, 12, 1, 7, 1)):
        digests.send_due_digests()
    with frozen(at(2026, 12, 1, 9)):
        digests.send_due_digests()

    [mail] = digests_to(org.sara)
    assert "Oddzwonić do pana Kowalskiego" in mail.body
    assert "Today's activities (1)" in mail.body
    assert DigestSent.objects.get(user=org.sara).message == mail
    assert mail.status == OutboxMessage.Status.QUEUED  # the worker's delivery job sends it

    plan_call(sara_account, org.sara, at(2026, 12, 2, 10), subject="Spotkanie w Krakowie")
    with frozen(at(2026, 12, 2, 7, 0)):
        digests.send_due_digests()
    assert len(digests_to(org.sara)) == 2


def test_a_chosen_hour_and_language_are_kept(org, sara_account, frozen):
    with_email(org.sara)
    Preferences.objects.create(user=org.sara, digest_hour=18, language="pl")
    plan_call(sara_account, org.sara, at(2026, 12, 1, 19))
    with frozen(at(2026, 12, 1, 17, 59)):
        digests.send_due_digests()
    assert digests_to(org.sara) == []

    with frozen(at(2026, 12, 1, 18, 0)):
        digests.send_due_digests()

    [mail] = digests_to(org.sara)
    # Polish from the catalogue that already holds it: the kind of activity, the date format.
    assert "rozmowa telefoniczna" in mail.body
    assert "01.12.2026" in mail.body or "1.12.2026" in mail.body or "01-12-2026" in mail.body


def test_no_digest_for_those_who_turned_it_off_or_have_no_address(org, sara_account, frozen):
    with_email(org.sara)
    Preferences.objects.create(user=org.sara, digest=False)
    plan_call(sara_account, org.sara, at(2026, 12, 1, 15))
    plan_call(sara_account, org.tomasz, at(2026, 12, 1, 15))  # Tomasz has no e-mail address

    with frozen(at(2026, 12, 1, 8)):
        digests.send_due_digests()

    assert OutboxMessage.objects.count() == 0
    assert DigestSent.objects.count() == 0


def test_nothing_to_tell_sends_nothing_but_the_day_is_done(org, frozen):
    with_email(org.sara)
    with frozen(at(2026, 12, 1, 8)):
        digests.send_due_digests()

    assert OutboxMessage.objects.count() == 0
    assert DigestSent.objects.get(user=org.sara).message is None


def test_the_digest_lists_late_and_due_tasks_and_unread_mentions(
    org, sara_account, call_back_process, frozen
):
    with_email(org.sara)
    Preferences.objects.create(user=org.sara, language="en")  # asserted in English below
    with frozen(at(2026, 12, 1, 5)):
        run_jobs()
        case = engine.start_case(
            process="call_back", actor=org.manager, data={"person": "sara"}, title="Kowalski"
        )
        run_jobs()
        crm.activity_create(
            actor=org.manager,
            account=sara_account,
            data={
                "kind": Activity.Kind.NOTE,
                "status": Activity.Status.DONE,
                "subject": "Rabat dla Kowalskich",
                "body": "@sara zgoda na 5%",
                "occurs_at": at(2026, 12, 1, 5),
            },
        )
    plan_call(sara_account, org.sara, at(2026, 11, 30, 10), subject="Wczorajszy telefon")
    with frozen(at(2026, 12, 1, 7, 30)):
        timers.mark_overdue_items()
        digests.send_due_digests()

    [mail] = digests_to(org.sara)
    body = mail.body
    assert "Overdue tasks (1)" in body  # "Call the customer back", due at 07:00
    assert f"/work/tasks/{case.work_items.get(element_id='call').pk}/" in body
    assert "Overdue activities (1)" in body and "Wczorajszy telefon" in body
    assert "New for you (2)" in body  # the task given to her, the mention
    assert "Maria mentioned you in “Rabat dla Kowalskich”" in body
    assert "Tasks due today" not in body  # the queue's task is not hers
    assert mail.subject.startswith("Obieg: your day")


def test_the_digest_tells_what_is_new_since_the_last_one_only(org, sara_account, frozen):
    with_email(org.sara)
    with frozen(at(2026, 12, 1, 6)):
        crm.activity_create(
            actor=org.manager,
            account=sara_account,
            data={
                "kind": Activity.Kind.NOTE,
                "status": Activity.Status.DONE,
                "subject": "Pierwsza notatka",
                "body": "@sara",
                "occurs_at": at(2026, 12, 1, 6),
            },
        )
    with frozen(at(2026, 12, 1, 7)):
        digests.send_due_digests()
    with frozen(at(2026, 12, 2, 7) + timedelta(minutes=1)):
        digests.send_due_digests()

    first, *others = digests_to(org.sara)
    assert "Pierwsza notatka" in first.body
    assert others == []  # the mention was told yesterday; nothing else to say
