"""The editor's words, translated on the server and handed to studio_editor.js as JSON."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


def editor_labels() -> dict[str, object]:
    return {
        # The names in other languages (engine/labels.py): one field per language but the model's.
        "siteLanguage": settings.LANGUAGE_CODE,
        "languages": [[code, str(name)] for code, name in settings.LANGUAGES],
        "nameIn": _("Name in %(language)s"),
        "none": _("— none —"),
        "unknown": _("not known here"),
        "id": _("Id"),
        "name": _("Name"),
        "process": _("Process"),
        "processName": _("Process name"),
        "executable": _("Executable (cases can be started)"),
        "userTask": _("Who does it"),
        "manualTask": _("Who confirms it"),
        "lane": _("Who works in this lane"),
        "form": _("Form"),
        "formHelp": _("The registered form the person fills in."),
        "role": _("Role"),
        "department": _("Department"),
        "assignee": _("Assignee"),
        "assigneeHelp": _("A username, or an expression giving one: = case_owner"),
        "due": _("Due"),
        "dueHelp": _("P3D, PT4H, or = business_days(3) for Polish business days."),
        "serviceTask": _("What runs"),
        "action": _("Action"),
        "actionHelp": _("A registered action; none makes it an external task."),
        "businessRuleTask": _("Decision"),
        "decision": _("Decision table"),
        "decisionHelp": _("The DMN decision evaluated here (its id)."),
        "callActivity": _("Called process"),
        "calledElement": _("Process"),
        "condition": _("Condition"),
        "conditionExpression": _("Taken when"),
        "conditionHelp": _("FEEL, starting with =: = amount > 1000"),
        "defaultFlow": _("The default flow: taken when no other condition holds."),
        "timer": _("Timer"),
        "timerKind": _("Kind"),
        "timeDuration": _("After a duration"),
        "timeDate": _("At a date"),
        "timeCycle": _("Repeatedly"),
        "timerValue": _("When"),
        "timerHelp": _("ISO 8601 (PT4H, 2027-01-04T08:00, R3/PT1H), cron, or = business_days(2)."),
        "message": _("Message"),
        "messageName": _("Message name"),
        "messageHelp": _("Messages are delivered to the case by this name."),
        "saved": _("Draft saved."),
        "unsaved": _("Changed; not saved yet."),
        "saveFailed": _("The draft was not saved."),
        "checking": _("Checking…"),
        "checkFailed": _("The check did not run."),
        "checked": _("No problem found: the drafts can be deployed."),
        "refused": _("Problems found (marked on the diagram): fix them before deploying."),
        "failed": _("Something went wrong; the draft as last saved is kept."),
    }
