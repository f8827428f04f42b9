"""Every form of the application, on a desktop and a phone, in a real browser.

Issue #17 asks that every form be checked on both screens after radio buttons
and checkboxes were found invisible in task forms. This walk opens every page
whose URL name says it holds a form (create, new, edit, add, upload, import)
with the demo company's records, and every process task form the demo leaves
waiting, as a user who may fill it in, and checks what a person would see:
each control is drawn (radios and checkboxes too), lies inside the screen,
has a label, and the page does not scroll sideways.

A form page added later is found by its URL name: the walk fails until it is
given a record to open (RECORDS) or a reason to be left out (LEFT_OUT).
"""

from __future__ import annotations

from collections import defaultdict
from io import StringIO

from django.core.management import call_command
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Error as PlaywrightError

from obieg.billing.models import Invoice
from obieg.catalogue.models import Product
from obieg.core.models import User
from obieg.crm.models import Account, Activity, ContactPerson, Lead, Opportunity
from obieg.customfields.models import CustomField
from obieg.demo.organisation import DEMO_PASSWORD
from obieg.documents.models import Document
from obieg.engine.models import WorkItem, WorkItemStatus
from obieg.sales.models import Contract, Offer
from obieg.scheduling.models import Crew, Skill
from obieg.solutions.expert_opinions.models import Expert
from obieg.solutions.grants.models import EligibleExpense, GrantProject, PaymentClaim
from obieg.solutions.pv_installation.models import PVProject

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

FORM_WORDS = ("create", "new", "edit", "add", "upload", "import")

# URL name -> the records whose form it opens (the first few are tried in turn:
# a contract that already has its final invoice refuses another, for instance).
RECORDS = {
    "account_edit": lambda: Account.objects.all(),
    "contact_create": lambda: Account.objects.all(),
    "contact_edit": lambda: ContactPerson.objects.all(),
    "activity_create": lambda: Account.objects.all(),
    "activity_edit": lambda: Activity.objects.all(),
    "document_upload": lambda: Account.objects.all(),
    "document_version_upload": lambda: Document.objects.all(),
    "lead_edit": lambda: Lead.objects.all(),
    "opportunity_edit": lambda: Opportunity.objects.all(),
    "offer_edit": lambda: Offer.objects.filter(status=Offer.Status.DRAFT),
    "contract_edit": lambda: Contract.objects.all(),
    "billing:payment_create": lambda: Invoice.objects.all(),
    "catalogue:product_edit": lambda: Product.objects.all(),
    "customfields:field_edit": lambda: CustomField.objects.all(),
    "scheduling:crew_edit": lambda: Crew.objects.all(),
    "scheduling:skill_edit": lambda: Skill.objects.all(),
    "expert_opinions:expert_edit": lambda: Expert.objects.all(),
    "grants:schedule_edit": lambda: GrantProject.objects.all(),
    "grants:claim_expense_edit": lambda: EligibleExpense.objects.all(),
}

# Targets that take only a POST: their form is drawn on the record's own page,
# which the walk opens instead (URL name of that page, the records to open it with).
DRAWN_ON = {
    "billing:schedule_item_create": ("billing:contract_billing", lambda: Contract.objects.all()),
    "document_version_upload": ("document_detail", lambda: Document.objects.all()),
    "engine:studio_upload": ("engine:definition_list", None),
    "grants:claim_expense_add": ("grants:claim", lambda: PaymentClaim.objects.all()),
    "grants:claim_import": ("grants:claim", lambda: PaymentClaim.objects.all()),
    "grants:project_document_add": ("grants:project", lambda: GrantProject.objects.all()),
    "grants:scan_upload": ("grants:project", lambda: GrantProject.objects.all()),
    "pv:upload": ("pv:project", lambda: PVProject.objects.all()),
}

LEFT_OUT = {
    # The process studio's editors are canvases (bpmn-js, dmn-js, form-js) with
    # their own browser tests; their forms are the libraries' panels.
    "engine:studio_new": "studio canvas",
    "engine:studio_editor": "studio canvas",
    "engine:studio_table_editor": "studio canvas",
    "engine:definition_edit": "studio canvas",
    # Drawn only for the expert whose step it is, on the inquiry; the task pages below
    # include that step's form.
    "expert_opinions:opinion_upload": "the expert's own step",
    # Actions taken with a button on the contract page, whose form is checked there.
    "billing:advance_create": "a button on the contract page",
    "billing:final_create": "a button on the contract page",
}

# What a person would call wrong with a form, measured in the page itself.
CHECK_FORMS = """
() => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px)`);
  }
  const controls = document.querySelectorAll(
    'main form input:not([type=hidden]):not([type=submit]):not([type=button]),'
    + ' main form select, main form textarea'
  );
  for (const control of controls) {
    if (control.closest('[hidden], template, .d-none, details:not([open])')) continue;
    const name = control.name || control.id || control.type;
    const style = getComputedStyle(control);
    const box = control.getBoundingClientRect();
    if (style.display === 'none' && control.closest('.form-check, label')) {
      problems.push(`${name}: not drawn`);
      continue;
    }
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (box.width < 1 || box.height < 1 || Number(style.opacity) === 0) {
      problems.push(`${name}: not drawn`);
      continue;
    }
    if (['radio', 'checkbox'].includes(control.type) && (box.width < 10 || box.height < 10)) {
      problems.push(`${name}: a ${control.type} too small to see (${box.width}x${box.height})`);
    }
    if (box.left < -1 || box.right > width + 1) {
      const span = `${Math.round(box.left)}..${Math.round(box.right)}`;
      problems.push(`${name}: outside the screen (${span})`);
    }
    const labelled = control.labels.length > 0 || control.getAttribute('aria-label')
      || control.getAttribute('aria-labelledby') || control.title;
    if (!labelled) problems.push(`${name}: no label`);
    if (control.id && document.querySelectorAll(`#${CSS.escape(control.id)}`).length > 1) {
      problems.push(`${name}: its id ${control.id} is not unique on the page`);
    }
    if (control.type === 'date' && control.getAttribute('value') && !control.value) {
      problems.push(`${name}: the initial date ${control.getAttribute('value')} is not valid`);
    }
  }
  return {controls: controls.length, problems};
}
"""


def _form_url_names() -> list[str]:
    names: list[str] = []

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                walk(pattern, f"{namespace}{inner}:" if inner else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if any(word in pattern.name for word in FORM_WORDS):
                    names.append(namespace + pattern.name)

    walk(get_resolver(), "")
    return sorted({name for name in names if not name.startswith("admin:")})


def _candidate_urls(name: str) -> list[str]:
    if name in DRAWN_ON:
        page, records = DRAWN_ON[name]
        if records is None:
            return [reverse(page)]
        return [reverse(page, args=[pk]) for pk in records().values_list("pk", flat=True)[:8]]
    if name in RECORDS:
        return [reverse(name, args=[pk]) for pk in RECORDS[name]().values_list("pk", flat=True)[:4]]
    return [reverse(name)]


def _login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/**")


def _check(page, url: str, misses: list[str]) -> tuple[int, list[str]] | None:
    """The form's problems, or None (noted in `misses`) when the page shows no form."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:  # an action that answers only POST (405 with no page)
        misses.append(f"{url}: {error.message.splitlines()[0]}")
        return None
    if response is None or response.status != 200:
        misses.append(f"{url}: {response.status if response else 'no answer'}")
        return None
    found = page.evaluate(CHECK_FORMS)
    if found["controls"] == 0:
        misses.append(f"{url}: no form controls")
        return None
    return found["controls"], found["problems"]


def _task_pages() -> dict[str, list[str]]:
    """One waiting task per form, under the demo user who may complete it."""
    pages: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    waiting = WorkItem.objects.filter(status=WorkItemStatus.OPEN).select_related("assignee")
    for item in waiting.order_by("pk"):
        key = item.form_key or item.element_id
        if key in seen:
            continue
        user = item.assignee.username if item.assignee else item.candidate_group
        if not user or not User.objects.filter(username=user).exists():
            continue
        seen.add(key)
        pages[user].append(reverse("engine:task", args=[item.pk]))
    return pages


def test_every_form_is_readable_on_a_desktop_and_a_phone(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", stdout=StringIO(), stderr=StringIO())

    names = _form_url_names()
    unknown = [
        name
        for name in names
        if name not in RECORDS
        and name not in DRAWN_ON
        and name not in LEFT_OUT
        and "<" in _pattern_of(name)
    ]
    assert not unknown, f"form pages with no record to open them in this walk: {unknown}"

    problems: list[str] = []
    checked: list[str] = []
    misses: list[str] = []
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        _login(page, live_server.url, "admin")
        for name in names:
            if name in LEFT_OUT:
                continue
            for url in _candidate_urls(name):
                found = _check(page, live_server.url + url, misses)
                if found is None:
                    continue
                checked.append(name)
                problems += [f"{viewport['width']}px {url}: {p}" for p in found[1]]
                break
        for user, urls in _task_pages().items():
            _login(page, live_server.url, user)
            for url in urls:
                found = _check(page, live_server.url + url, misses)
                if found is not None:
                    checked.append(url)
                    problems += [f"{viewport['width']}px {url} ({user}): {p}" for p in found[1]]

    assert not problems, "\n".join(problems)
    # The walk must have reached the forms, not just a run of refusals.
    unreached = sorted(set(names) - set(LEFT_OUT) - set(checked))
    assert not unreached, f"no form found on: {unreached}\n" + "\n".join(misses)
    assert sum(1 for url in checked if url.startswith("/work/tasks/")) >= 10


def _pattern_of(name: str) -> str:
    try:
        reverse(name)
        return ""
    except NoReverseMatch:
        return "<pk>"
