"""What the expert-opinions solution plugs into the platform: forms, actions, pages."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from obieg.engine import registry
    from obieg.solutions.expert_opinions import actions, forms

    for key, form_class in forms.FORMS.items():
        registry.register_form(key, form_class)
    for name, action in actions.ACTIONS.items():
        registry.register_action(name, action)
    _declare_case_data()

    from obieg.solutions.expert_opinions import account_section, selectors
    from obieg.web import account_panels, dashboards, navigation

    # Each role's home shows its own queue.
    dashboards.add(
        "expert_opinions.secretariat",
        template="expert_opinions/home/secretariat.html",
        context=selectors.secretariat_queue,
        visible=selectors.is_secretariat,
        order=10,
    )
    dashboards.add(
        "expert_opinions.board",
        template="expert_opinions/home/board.html",
        context=selectors.board_queue,
        visible=selectors.is_board,
        order=10,
    )

    # The customer 360° page lists the client's inquiries, as this solution shows them.
    account_panels.add_section(
        "inquiries",
        records=account_section.account_inquiries,
        ordering=["-created_at", "-id"],
        rows="expert_opinions/pages/_account_inquiry_rows.html",
        card="expert_opinions/pages/_account_inquiries.html",
        visible=account_section.account_inquiries_visible,
        order=20,
    )

    # The same predicates guard the pages: nobody is shown an entry that answers 403.
    navigation.add(
        "operations",
        _("Inquiries"),
        "expert_opinions:inquiry_list",
        visible=selectors.may_work_on_inquiries,
        order=40,
    )
    navigation.add(
        "operations",
        _("Experts"),
        "expert_opinions:expert_list",
        visible=selectors.may_see_experts,
        order=41,
    )
    navigation.add(
        "operations",
        _("Board review"),
        "expert_opinions:board",
        visible=selectors.may_see_board_page,
        order=42,
    )


def _declare_case_data() -> None:
    """What the keys the case starts with mean (no task form writes them)."""
    from django import forms

    from obieg.core.models import Department
    from obieg.engine.web import case_fields

    text = {
        "inquiry_number": _("Inquiry number"),
        "client": _("Client"),
        "subject": _("Subject"),
        "case_reference": _("Court case reference"),
        "department_head": _("Head of department"),
        "handler": _("Handler"),
    }
    for key, label in text.items():
        case_fields.declare(key, forms.CharField(label=label))
    case_fields.declare("inquiry_id", forms.CharField(label=_("Inquiry (number in the system)")))
    case_fields.declare("requested_deadline", forms.DateField(label=_("Requested deadline")))
    case_fields.declare(
        "suggested_department",
        forms.ModelChoiceField(Department.objects.all(), label=_("Suggested department")),
    )
