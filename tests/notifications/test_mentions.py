"""@someone in a note tells that person, once, if they may see the note."""

import pytest

from obieg.core.errors import ApplicationError
from obieg.crm import services as crm
from obieg.crm.models import Activity
from obieg.notifications import mentions
from obieg.notifications.models import Kind, Notification, Preferences
from tests.notifications.conftest import at, notes_of


def note(actor, account, body: str, **extra) -> Activity:
    data = {
        "kind": Activity.Kind.NOTE,
        "status": Activity.Status.DONE,
        "subject": "Dach: pytanie o falownik",
        "body": body,
        "occurs_at": at(2026, 12, 1, 10),
        **extra,
    }
    return crm.activity_create(actor=actor, account=account, data=data)


def test_a_mention_in_a_note_notifies_the_person_mentioned(org, sara_account):
    activity = note(org.sara, sara_account, "@maria czy dajemy rabat 5%?")

    [notification] = notes_of(org.manager)
    assert notification.kind == Kind.MENTION
    assert notification.actor == org.sara
    assert notification.title == "Dach: pytanie o falownik"
    assert notification.url == f"/accounts/{sara_account.pk}/#activity-{activity.pk}"
    assert notification.read_at is None


def test_a_note_saved_again_does_not_tell_the_same_person_twice(org, sara_account):
    activity = note(org.sara, sara_account, "@maria proszę o decyzję")
    crm.activity_update(
        actor=org.sara,
        activity=activity,
        data={"body": "@maria proszę o decyzję do piątku"},
        revision=activity.revision,
    )

    assert len(notes_of(org.manager)) == 1


def test_a_person_added_to_a_note_later_is_told_then(org, sara_account):
    activity = note(org.sara, sara_account, "Klient prosi o rabat.")
    assert Notification.objects.count() == 0

    crm.activity_update(
        actor=org.sara, activity=activity, data={"body": "Klient prosi o rabat. @maria?"}
    )

    assert [n.kind for n in notes_of(org.manager)] == [Kind.MENTION]


def test_the_author_is_not_told_of_their_own_mention(org, sara_account):
    note(org.sara, sara_account, "przypomnienie dla mnie: @sara")

    assert Notification.objects.count() == 0


def test_someone_who_may_not_see_the_account_is_not_told(org, sara_account):
    # Olga sells in another team: Sara's customer is not hers to see.
    note(org.sara, sara_account, "@olga znasz tego klienta?")

    assert notes_of(org.olga) == []


def test_names_are_matched_without_regard_to_case_and_unknown_names_are_ignored(org, sara_account):
    note(org.sara, sara_account, "@MARIA i @nikt")

    assert len(notes_of(org.manager)) == 1
    assert Notification.objects.count() == 1


def test_a_person_who_turned_mentions_off_is_not_told(org, sara_account):
    Preferences.objects.create(user=org.manager, mention=False)

    note(org.sara, sara_account, "@maria rabat?")

    assert notes_of(org.manager) == []


def test_a_note_refused_by_validation_tells_nobody(org, sara_account):
    with pytest.raises(ApplicationError):
        # A planned activity cannot have an outcome: the note is refused, so is the mention.
        note(
            org.sara,
            sara_account,
            "@maria",
            status=Activity.Status.PLANNED,
            outcome=Activity.Outcome.POSITIVE,
        )

    assert Notification.objects.count() == 0
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(
    "text, names",
    [
        ("@maria, zadzwoń", ["maria"]),
        ("pytanie do @jan.kowalski.", ["jan.kowalski"]),
        ("napisz na jan@firma.pl", []),
        ("@jan@firma.pl — jego login to e-mail", ["jan@firma.pl"]),
        ("(@Ola) i @ola", ["ola"]),
        ("50 @ 3 zł", []),
        ("", []),
    ],
)
def test_names_in_a_note(text, names):
    assert mentions.names_in(text) == names
