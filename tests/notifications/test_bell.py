"""The bell: a capped count from one indexed query, its menu, opening and reading notifications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from obieg.notifications import selectors
from obieg.notifications.models import Kind, Notification, Source


def notify(user, n: int, **extra) -> Notification:
    values = {
        "recipient": user,
        "kind": Kind.MENTION,
        "source": Source.ACTIVITY,
        "source_id": n,
        "key": f"mention:activity:{n}",
        "title": f"Notatka {n}",
        "url": f"/accounts/{n}/",
        **extra,
    }
    return Notification.objects.create(**values)


@pytest.fixture
def sara_client(client, org):
    client.force_login(org.sara)
    return client


def test_the_bell_counts_unread_notifications_only_of_its_user(sara_client, org):
    notify(org.sara, 1)
    notify(org.sara, 2, read_at=notify(org.sara, 3).created_at)
    notify(org.tomasz, 4)

    response = sara_client.get("/notifications/bell/")

    assert response.status_code == 200
    assert b'data-count="2"' in response.content


def test_the_count_stops_at_its_cap(sara_client, org):
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=org.sara,
                kind=Kind.MENTION,
                source=Source.ACTIVITY,
                source_id=n,
                key=f"mention:activity:{n}",
                title="x",
                url="/",
            )
            for n in range(selectors.BELL_CAP + 5)
        ]
    )

    assert selectors.unread_count(org.sara) == selectors.BELL_CAP + 1
    assert b"99+" in sara_client.get("/notifications/count/").content


def test_the_count_is_one_query_on_the_unread_index(org):
    notify(org.sara, 1)

    with CaptureQueriesContext(connection) as queries:
        assert selectors.unread_count(org.sara) == 1

    [query] = queries.captured_queries
    assert "notifications_notification" in query["sql"]
    assert "JOIN" not in query["sql"].upper()
    assert "LIMIT" in query["sql"].upper()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plan")
def test_the_count_walks_an_index_and_stops_at_its_cap(org):
    # Enough unread rows that the planner must choose: a sort would read them all.
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=Kind.MENTION,
            source=Source.ACTIVITY,
            source_id=n,
            key=f"mention:activity:{n}",
            title="x",
            url="/",
        )
        for n in range(3000)
        for user in (org.sara, org.tomasz)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_notification")
    with CaptureQueriesContext(connection) as queries:
        selectors.unread_count(org.sara)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # An ordered index walk that stops at the cap: no sort, no bitmap (both read every
    # unread row of the person before the LIMIT).
    assert "Index" in plan
    assert "Sort" not in plan and "Bitmap" not in plan


def test_a_page_asks_for_the_bell_after_it_is_drawn(sara_client):
    page = sara_client.get("/accounts/").content.decode()

    assert 'hx-get="/notifications/bell/" hx-trigger="load"' in page


def test_without_a_session_the_bell_is_empty(client, db):
    assert client.get("/notifications/bell/").content == b""
    assert client.get("/notifications/").status_code == 302


def test_opening_a_notification_marks_it_read_and_goes_to_it(sara_client, org):
    notification = notify(org.sara, 7)

    response = sara_client.post(f"/notifications/{notification.pk}/open/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_takes_a_post(sara_client, org):
    notification = notify(org.sara, 7)

    assert sara_client.get(f"/notifications/{notification.pk}/open/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_someone_elses_notification_cannot_be_opened_or_read(sara_client, org):
    theirs = notify(org.tomasz, 8)

    assert sara_client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert sara_client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_stored_link_elsewhere_is_not_followed(sara_client, org):
    notification = notify(org.sara, 9, url="https://evil.example.com/")

    response = sara_client.post(f"/notifications/{notification.pk}/open/")

    assert response["Location"] == "/notifications/"


def test_mark_all_read_leaves_what_arrived_after_the_page_was_drawn(sara_client, org):
    shown = [notify(org.sara, 1), notify(org.sara, 2)]
    later = notify(org.sara, 3)

    response = sara_client.post("/notifications/read-all/", {"up_to": shown[-1].pk})

    assert response.status_code == 302
    assert selectors.unread_count(org.sara) == 1
    later.refresh_from_db()
    assert later.read_at is None


def test_mark_read_from_htmx_answers_the_item_and_the_new_count(sara_client, org):
    first, _second = notify(org.sara, 1), notify(org.sara, 2)

    response = sara_client.post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert "notification-read" in content
    assert 'hx-swap-oob="true"' in content and 'data-count="1"' in content


def test_the_menu_shows_the_newest_and_the_list_pages_by_keyset(sara_client, org):
    for n in range(30):
        notify(org.sara, n)
    notify(org.tomasz, 99)

    menu = sara_client.get("/notifications/menu/").content.decode()
    assert menu.count("data-notification=") == selectors.MENU_SIZE
    assert "Notatka 29" in menu

    first = sara_client.get("/notifications/")
    assert first.context["page"].rows[0].title == "Notatka 29"
    cursor = first.context["page"].next_cursor
    second = sara_client.get("/notifications/", {"cursor": cursor})
    titles = [n.title for n in second.context["page"].rows]
    assert titles == [f"Notatka {n}" for n in range(4, -1, -1)]
    assert "Notatka 99" not in second.content.decode()
    forged = sara_client.get("/notifications/", {"cursor": "not-a-cursor"})
    assert forged.status_code == 200


def test_unread_only(sara_client, org):
    notify(org.sara, 1, read_at=notify(org.sara, 2).created_at)

    page = sara_client.get("/notifications/", {"show": "unread"}).context["page"]

    assert [n.source_id for n in page.rows] == [2]
