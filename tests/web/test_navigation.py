from obieg.web.navigation import menu_for


def urls(user) -> set[str]:
    return {entry.url_name for _title, entries in menu_for(user) for entry in entries}


def test_every_installed_app_and_solution_adds_its_pages_to_the_menu(org):
    seen = urls(org.admin)
    for name in (
        "lead_list",
        "billing:invoice_list",
        "scheduling:planning",
        "engine:case_list",
        "pv:project_list",
        "expert_opinions:inquiry_list",
        "mail:outbox",
    ):
        assert name in seen


def test_entries_are_shown_only_to_the_roles_they_serve(org):
    assert "expert_opinions:board" in urls(org.board)
    assert "expert_opinions:board" not in urls(org.sara)
    assert "mail:outbox" not in urls(org.sara)
    assert "admin:index" not in urls(org.manager)


def test_the_menu_renders_as_dropdowns_on_every_page(client, org):
    client.force_login(org.sara)
    html = client.get("/").content.decode()
    assert 'class="nav-link dropdown-toggle"' in html
    assert "/opportunities/pipeline/" in html
