"""The project page's site card: what the customer asked for, the audit in words, the estimate.

One tag, so the page shows the same card whichever of its views (the office's,
a crew's) draws it; the estimate (prices, savings) is the office's only.
"""

from django import template

from obieg.solutions.pv_installation import selectors

register = template.Library()


@register.inclusion_tag("pv_installation/_site.html", takes_context=True)
def project_site(context, project) -> dict:
    # Prices and savings only where the view says the reader is the office: a view that
    # forgets to say shows none rather than showing them to a crew.
    office = context.get("is_office", False)
    return {
        "project": project,
        "request_text": project.lead.description if project.lead_id else "",
        "audit": selectors.audit_summary(project),
        "estimate": selectors.offer_estimate(project) if office else None,
    }
