"""The work pages under /work/ (namespace "engine")."""

from django.urls import path

from obieg.engine.web import (
    external_panel,
    views_case,
    views_case_start,
    views_definitions,
    views_inbox,
    views_migration,
    views_people,
    views_sandbox,
    views_studio,
    views_studio_editor,
    views_studio_forms,
    views_studio_tables,
    views_team,
)

app_name = "engine"

urlpatterns = [
    path("", views_inbox.inbox, name="inbox"),
    path("nav-badge/", views_inbox.nav_badge, name="nav_badge"),
    path("tasks/<int:pk>/", views_inbox.task, name="task"),
    path("tasks/<int:pk>/claim/", views_inbox.claim, name="task_claim"),
    path("tasks/<int:pk>/release/", views_inbox.release, name="task_release"),
    path("tasks/<int:pk>/reassign/", views_team.reassign, name="task_reassign"),
    path("team/", views_team.team, name="team"),
    path("cases/", views_case.case_list, name="case_list"),
    path("cases/start/", views_case_start.case_start, name="case_start"),
    path("cases/<int:pk>/", views_case.case_detail, name="case_detail"),
    path("cases/<int:pk>/diagram/", views_case.case_diagram, name="case_diagram"),
    path("cases/<int:pk>/cancel/", views_case.case_cancel, name="case_cancel"),
    path("cases/<int:pk>/retry/", views_case.case_retry, name="case_retry"),
    path("cases/<int:pk>/move-back/", views_case.case_move_back, name="case_move_back"),
    path(
        "external-tasks/<int:pk>/retries/",
        external_panel.set_retries,
        name="external_task_retries",
    ),
    path("unassigned/", views_people.unassigned_work, name="unassigned"),
    path("unassigned/<int:pk>/assign/", views_people.unassigned_assign, name="unassigned_assign"),
    path("names/", views_people.name_mappings, name="name_mappings"),
    path("names/<int:pk>/delete/", views_people.name_mapping_delete, name="name_mapping_delete"),
    path("processes/", views_definitions.definition_list, name="definition_list"),
    path("processes/<int:pk>/", views_definitions.definition_detail, name="definition_detail"),
    path(
        "processes/<int:pk>/diagram/",
        views_definitions.definition_diagram,
        name="definition_diagram",
    ),
    path(
        "processes/<int:pk>/download/",
        views_definitions.definition_download,
        name="definition_download",
    ),
    path("processes/<int:pk>/edit/", views_definitions.definition_edit, name="definition_edit"),
    # Changing running cases: compare two versions, move cases between them (#15).
    path("processes/<int:pk>/compare/", views_migration.version_diff, name="version_diff"),
    path("processes/<int:pk>/migrate/", views_migration.migrate, name="migration_cases"),
    # The process studio: drafts uploaded or drawn, checked and deployed (#15).
    path("processes/upload/", views_studio.upload, name="studio_upload"),
    path("processes/new/", views_studio.new_diagram, name="studio_new"),
    path("processes/tables/new/", views_studio_tables.new_table, name="studio_new_table"),
    path("processes/drafts/", views_studio.drafts_page, name="studio_drafts"),
    path("processes/drafts/deploy/", views_studio.deploy, name="studio_deploy"),
    path("processes/drafts/<int:pk>/", views_studio_editor.editor, name="studio_editor"),
    path("processes/drafts/<int:pk>/xml/", views_studio_editor.draft_xml, name="studio_draft_xml"),
    path(
        "processes/drafts/<int:pk>/check/",
        views_studio_editor.draft_check,
        name="studio_draft_check",
    ),
    path(
        "processes/drafts/<int:pk>/choices/",
        views_studio_editor.draft_choices,
        name="studio_draft_choices",
    ),
    path("processes/drafts/<int:pk>/discard/", views_studio.discard, name="studio_discard"),
    path(
        "processes/drafts/<int:pk>/table/",
        views_studio_tables.table_editor,
        name="studio_table_editor",
    ),
    # Test runs of a draft: invisible to others, nothing sent or issued (engine.sandbox).
    path("processes/drafts/<int:pk>/test-run/", views_sandbox.start, name="sandbox_start"),
    path("processes/test-runs/<int:pk>/", views_sandbox.run_page, name="sandbox_run"),
    path(
        "processes/test-runs/<int:pk>/diagram/",
        views_sandbox.run_diagram,
        name="sandbox_diagram",
    ),
    path(
        "processes/test-runs/<int:pk>/tasks/<int:item_pk>/",
        views_sandbox.run_task,
        name="sandbox_task",
    ),
    path("processes/test-runs/<int:pk>/timers/", views_sandbox.run_timers, name="sandbox_timers"),
    path(
        "processes/test-runs/<int:pk>/external/<int:task_pk>/",
        views_sandbox.run_external,
        name="sandbox_external",
    ),
    path(
        "processes/test-runs/<int:pk>/discard/",
        views_sandbox.run_discard,
        name="sandbox_discard",
    ),
    # Task forms designed in the studio (form-js), kept in the draft's process file.
    path("processes/drafts/<int:pk>/forms/", views_studio_forms.forms_page, name="studio_forms"),
    path(
        "processes/drafts/<int:pk>/forms/<str:key>/",
        views_studio_forms.designer,
        name="studio_form_designer",
    ),
    path(
        "processes/drafts/<int:pk>/forms/<str:key>/schema/",
        views_studio_forms.form_schema,
        name="studio_form_schema",
    ),
]
