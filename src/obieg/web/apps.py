from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "obieg.web"
    label = "web"

    def ready(self) -> None:
        from obieg.core import access
        from obieg.web import account_records, home_panels, navigation

        account_records.register()  # invoices, payments and cases on the 360° page
        home_panels.register()  # each role's "what do I do now" on the home page

        navigation.add("sales", _("Leads"), "lead_list", order=10)
        navigation.add("sales", _("Pipeline"), "opportunity_pipeline", order=20)
        navigation.add("sales", _("Opportunities"), "opportunity_list", order=30)
        navigation.add("sales", _("Offers"), "offer_list", order=40)
        navigation.add("sales", _("Contracts"), "contract_list", order=50)
        navigation.add("sales", _("Documents"), "document_list", order=60)
        from obieg.crm.reports.scope import may_see_reports

        navigation.add("sales", _("Reports"), "report_index", visible=may_see_reports, order=70)
        # Django's admin lets in staff only: an admin-role user without it would be sent
        # to the admin's own log-in page.
        navigation.add(
            "admin",
            _("Settings and users"),
            "admin:index",
            visible=lambda user: access.is_admin(user) and user.is_active and user.is_staff,
        )
        navigation.add("admin", _("API"), "api-docs", order=200)
