"""The soak's simulated users: people working cases and accountants billing, over HTTP.

Each user is a thread with its own `requests.Session`, talking to one of the
web processes as a browser or an API client would. Every request is logged
(kind, status, time); every change the server said it made is remembered
with a token of its own, so the checks can find it in the database exactly
once — and every change it refused can be looked for and must be absent.
"""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import requests

PROCESS = "soak_order"
MESSAGE = "soak_approved"
TIMEOUT = (5, 120)  # connect, read (seconds): a saturated server is slow, not wrong
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TASK_FORM = re.compile(r'<form method="post" id="task-form".*?name="revision" value="(\d+)"', re.S)
INBOX_ROW = re.compile(r'<tr id="item-(\d+)"')


@dataclass
class Request:
    kind: str
    status: int  # 0: no answer (connection error or timeout)
    ms: float
    at: float
    draining: bool


@dataclass
class Shared:
    """What all users read: the run's phase and the invoices payments go to."""

    stop: threading.Event = field(default_factory=threading.Event)
    draining: threading.Event = field(default_factory=threading.Event)
    invoices: list[int] = field(default_factory=list)  # direct VAT invoices, for payments


@dataclass
class OwnCase:
    id: int
    key: str
    message_sent: bool = False
    last_try: float = 0.0


class User(threading.Thread):
    """One simulated person; subclasses decide what they do each step."""

    def __init__(self, *, name: str, user_id: int, token: str, base_url: str, shared: Shared):
        super().__init__(name=name, daemon=True)
        self.username, self.user_id, self.base = name, user_id, base_url
        self.shared = shared
        self.random = random.Random(name)
        self.requests: list[Request] = []
        self.transport_errors: list[str] = []
        self.http = requests.Session()
        # What a TLS-terminating proxy in front (TRUSTED_PROXIES) adds to each request.
        self.http.headers["X-Forwarded-Proto"] = "https"
        self.http.headers["X-Forwarded-For"] = f"10.0.{user_id // 250}.{user_id % 250 + 1}"
        self.http.headers["Origin"] = base_url.replace("http://", "https://")
        self.api = {"Authorization": f"Token {token}"}

    def call(self, kind: str, method: str, path: str, *, api: bool = True, **kwargs):
        """One request, logged; None when no answer came."""
        referer = self.base.replace("http://", "https://") + path
        headers = {**(self.api if api else {}), "Referer": referer}
        began = time.perf_counter()
        try:
            response = self.http.request(
                method,
                self.base + path,
                headers=headers,
                timeout=TIMEOUT,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as error:
            self.transport_errors.append(f"{kind}: {type(error).__name__}: {error}")
            self._log(kind, 0, began)
            return None
        self._log(kind, response.status_code, began)
        # The server marks its cookies Secure (PUBLIC_URL is https); between the
        # proxy and the server the loopback is plain http, so send them anyway.
        for cookie in self.http.cookies:
            cookie.secure = False
        return response

    def _log(self, kind: str, status: int, began: float) -> None:
        now = time.perf_counter()
        self.requests.append(
            Request(kind, status, (now - began) * 1000, now, self.shared.draining.is_set())
        )

    def run(self) -> None:
        while not self.shared.stop.is_set():
            if not self.step():
                return
            self.shared.stop.wait(self.random.uniform(0.2, 0.8))  # think time

    def step(self) -> bool:
        raise NotImplementedError


class CaseWorker(User):
    """A salesperson (some also designers): starts orders, works the queue, sends approvals."""

    def __init__(self, *, html_password: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.html_password = html_password
        self.logged_in = False
        self.cases: list[OwnCase] = []
        # What the server said: (work item, token, case or None, element or "").
        self.completed: list[tuple[int, str, int | None, str]] = []
        self.refused: list[str] = []  # tokens of completions answered 4xx
        self.unknown: list[str] = []  # tokens of completions with no answer
        self.messages: list[int] = []  # cases a message was delivered to (200)
        self.messages_unanswered: list[int] = []  # cases a message may or may not have reached

    def step(self) -> bool:
        if self.html_password and not self.logged_in:
            self.logged_in = self.log_in()
        waiting = [case for case in self.cases if not case.message_sent]
        due = [case for case in waiting if time.perf_counter() - case.last_try > 3.0]
        roll = self.random.random()
        if not self.shared.draining.is_set() and len(waiting) < 2 and roll < 0.25:
            self.start_case()
        elif due and roll < 0.6:
            self.send_message(due[0])
        elif roll > 0.93:
            self.read_case()
        elif self.logged_in and roll > 0.6:
            self.work_in_browser()
        else:
            self.work_by_api()
        return True

    def start_case(self) -> None:
        key = f"soak:{uuid.uuid4().hex}"
        body = {"process": PROCESS, "title": f"Order {key[-6:]}", "keys": [key]}
        response = self.call("start case", "POST", "/api/engine/cases/", json=body)
        if response is not None and response.status_code == 201:
            self.cases.append(OwnCase(response.json()["id"], key))

    def send_message(self, case: OwnCase) -> None:
        """The customer approves once the order is taken in: look at the case, then send."""
        case.last_try = time.perf_counter()
        detail = self.call("case detail", "GET", f"/api/engine/cases/{case.id}/")
        if detail is None or detail.status_code != 200:
            return
        taken_in = any(
            event["kind"] == "task_completed" and event["element_id"] == "intake"
            for event in detail.json()["history"]
        )
        if not taken_in:
            return
        body = {"name": MESSAGE, "key": case.key, "payload": {"approved_by": self.username}}
        response = self.call("message", "POST", "/api/engine/messages/", json=body)
        # 400 would mean no case waits for it: the engine lost the waiting catch event.
        if response is not None and response.status_code == 200:
            case.message_sent = True
            self.messages.extend(response.json()["cases"])
        elif response is None or response.status_code >= 500:
            self.messages_unanswered.append(case.id)

    def read_case(self) -> None:
        if self.cases:
            case = self.random.choice(self.cases)
            self.call("case detail", "GET", f"/api/engine/cases/{case.id}/")

    def work_by_api(self) -> None:
        response = self.call("inbox", "GET", f"/api/engine/work-items/?process={PROCESS}")
        if response is None or response.status_code != 200:
            return
        items = response.json()["results"]
        mine = [item for item in items if item["assignee"] == self.user_id]
        queued = [item for item in items if item["assignee"] is None]
        if mine:
            item = mine[0]
        elif queued:
            item = self.random.choice(queued[:10])
            claimed = self.call("claim", "POST", f"/api/engine/work-items/{item['id']}/claim/")
            if claimed is None or claimed.status_code != 200:
                return  # 409: someone else was first
            item = claimed.json()
        else:
            return
        token = uuid.uuid4().hex
        body = {"data": {"comment": token}, "revision": item["revision"]}
        path = f"/api/engine/work-items/{item['id']}/complete/"
        answer = self.call("complete", "POST", path, json=body)
        self._note(answer, 200, item["id"], token, item["case"], item["element_id"])

    def _note(self, answer, ok: int, item_id: int, token: str, case_id, element: str) -> None:
        if answer is None or answer.status_code >= 500:
            self.unknown.append(token)  # no answer: either outcome is correct
        elif answer.status_code == ok and not answer.headers.get("Location", "").startswith(
            "/login"
        ):
            self.completed.append((item_id, token, case_id, element))
        else:
            self.refused.append(token)  # the server said no: it must have changed nothing

    # The browser's way: the session, the inbox page, the task page and its form.

    def log_in(self) -> bool:
        page = self.call("html login", "GET", "/login/", api=False)
        if page is None or page.status_code != 200:
            return False
        form = {"username": self.username, "password": self.html_password}
        form["csrfmiddlewaretoken"] = CSRF.search(page.text).group(1)
        answer = self.call("html login", "POST", "/login/", api=False, data=form)
        return answer is not None and answer.status_code == 302

    def work_in_browser(self) -> None:
        page = self.call("html inbox", "GET", f"/work/?process={PROCESS}", api=False)
        if page is None or page.status_code != 200:
            return
        rows = INBOX_ROW.findall(page.text)
        if not rows:
            return
        item_id = int(self.random.choice(rows[:10]))
        path = f"/work/tasks/{item_id}/"
        if self.random.random() < 0.5:  # claim first, as most people do
            claim = {"csrfmiddlewaretoken": CSRF.search(page.text).group(1)}
            answer = self.call("html claim", "POST", path + "claim/", api=False, data=claim)
            if answer is None or answer.status_code != 302:
                return
        task = self.call("html task", "GET", path, api=False)
        form = TASK_FORM.search(task.text) if task is not None and task.status_code == 200 else None
        if form is None:
            return  # done by someone else, or theirs now
        token = uuid.uuid4().hex
        data = {"csrfmiddlewaretoken": CSRF.search(task.text).group(1)}
        data.update(revision=form.group(1), comment=token)
        answer = self.call("html complete", "POST", path, api=False, data=data)
        # 302 to the next task: done. 409: someone was first. 200: the form again.
        self._note(answer, 302, item_id, token, None, "")


class Accountant(User):
    """Adds payment plans, issues invoices, records payments, runs the day's issuing."""

    def __init__(self, *, contracts: list[int], buyers: list[int], **kwargs):
        super().__init__(**kwargs)
        self.contracts, self.buyers = contracts, buyers
        self.planned: list[tuple[int, str]] = []  # (schedule item, due date) answered 201
        self.invoices: list[tuple[int, str]] = []  # (invoice, number) answered 201
        self.payments: list[tuple[int, str, str]] = []  # (invoice, reference, amount) 201
        self.issued_by_request: list[str] = []
        self.left_by_request = 0  # items an issue-due request left for later
        self.closed_day = False

    def step(self) -> bool:
        if self.shared.draining.is_set():
            if not self.closed_day:  # the end of the day: issue what fell due
                self.closed_day = True
                self.issue_due()
            return False
        roll = self.random.random()
        if roll < 0.35:
            self.plan_payment()
        elif roll < 0.6:
            self.issue_invoice()
        elif roll < 0.85:
            self.record_payment()
        elif roll < 0.98:
            self.call("invoice list", "GET", "/api/billing/invoices/?ordering=-id")
        else:  # now and then by hand, racing the workers' clocks
            self.issue_due()
        return True

    def plan_payment(self) -> None:
        # Most fall due today (the worker clock issues them); some tomorrow (it must not).
        due = date.today() + timedelta(days=0 if self.random.random() < 0.8 else 1)
        body = {
            "contract": self.random.choice(self.contracts),
            "due_date": due.isoformat(),
            "amount": f"{self.random.randint(100, 999)}.{self.random.randint(0, 99):02d}",
            "kind": "instalment",
            "description": "Rata",
        }
        response = self.call("plan payment", "POST", "/api/billing/schedule-items/", json=body)
        if response is not None and response.status_code == 201:
            self.planned.append((response.json()["id"], due.isoformat()))

    def issue_invoice(self) -> None:
        lines = [
            {
                "description": "Serwis instalacji",
                "quantity": "1",
                "unit_price": "350.00",
                "vat_rate": "23",
            },
            {
                "description": "Dojazd",
                "quantity": str(self.random.randint(1, 3)),
                "unit_price": "80.00",
                "vat_rate": "8",
            },
        ]
        body = {"buyer": self.random.choice(self.buyers), "lines": lines}
        response = self.call("issue invoice", "POST", "/api/billing/invoices/", json=body)
        if response is not None and response.status_code == 201:
            invoice = response.json()
            self.invoices.append((invoice["id"], invoice["number"]))
            self.shared.invoices.append(invoice["id"])

    def record_payment(self) -> None:
        recent = self.shared.invoices[-10:]  # the same few invoices: payments race
        if not recent:
            return
        invoice = self.random.choice(recent)
        reference = uuid.uuid4().hex
        amount = f"{self.random.randint(5, 60)}.00"
        body = {"amount": amount, "reference": reference}
        path = f"/api/billing/invoices/{invoice}/payments/"
        response = self.call("record payment", "POST", path, json=body)
        # 400: more than is still due (another accountant paid it off first).
        if response is not None and response.status_code == 201:
            self.payments.append((invoice, reference, amount))

    def issue_due(self) -> None:
        response = self.call("issue due", "POST", "/api/billing/schedule-items/issue-due/")
        if response is not None and response.status_code == 200:
            self.issued_by_request.extend(response.json()["issued"])
            self.left_by_request += len(response.json()["refused"])
