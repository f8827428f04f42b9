"""The 360° page's panel registry: solutions add panels; each shows only when it has something."""

from __future__ import annotations

import pytest
from django.urls import reverse

from obieg.web import account_panels
from tests.factories import AccountFactory


@pytest.fixture
def no_panels(monkeypatch):
    """The registry as if no solution had added a panel (the installed ones come back after)."""
    monkeypatch.setattr(account_panels, "_panels", [])


def test_panels_come_in_order_and_one_with_nothing_to_show_is_left_out(no_panels):
    seen = []

    def context(user, account):
        seen.append((user, account))
        return {"text": "second"}

    account_panels.add("b.second", template="b.html", context=context, order=20)
    account_panels.add("a.first", template="a.html", context=lambda u, a: {}, order=10)
    account_panels.add("c.nothing", template="c.html", context=lambda u, a: None, order=5)
    # ready() running again adds nothing twice.
    account_panels.add("b.second", template="other.html", context=context, order=1)

    shown = account_panels.panels_for("user", "account")

    assert [(panel.key, panel.template) for panel in shown] == [
        ("a.first", "a.html"),
        ("b.second", "b.html"),
    ]
    assert shown[1].context == {"text": "second"}
    assert seen == [("user", "account")]


def test_the_account_page_renders_the_registered_panels(client, org, settings, tmp_path, no_panels):
    (tmp_path / "test_panel.html").write_text(
        '<section id="test-panel">{{ panel.text }} {{ panel.account.name }}</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    account = AccountFactory(owner=org.sara, name="Kłos")
    account_panels.add(
        "test.panel",
        template="test_panel.html",
        context=lambda user, shown: {"text": f"for {user.username}", "account": shown},
    )
    client.force_login(org.sara)
    html = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    assert '<section id="test-panel">for sara Kłos</section>' in html
