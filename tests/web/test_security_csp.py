"""Content-Security-Policy: scripts only from our static files, so the pages
carry no inline script and no inline event handler."""

import re
from pathlib import Path

import obieg

TEMPLATES = sorted(Path(obieg.__file__).parent.glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
# onclick=, onchange= … and htmx's hx-on (evaluated as code) inside a tag.
INLINE_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\-][\w:-]*)\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_the_scan_finds_the_templates_and_recognises_inline_code():
    assert len(TEMPLATES) > 50
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/web/obieg.js"></script>')
    assert INLINE_HANDLER.search('<select name="x"\n onchange="this.form.submit()">')
    assert INLINE_HANDLER.search('<button hx-on:click="go()">')
    assert not INLINE_HANDLER.search('<select data-submit-on-change name="one">')
    assert SCRIPT_URL.search('<a href="javascript:void(0)">')


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, SCRIPT_URL):
            offenders += [f"{template}: {match.group(0)[:80]}" for match in pattern.finditer(text)]
    assert not offenders, "\n".join(offenders)


def test_pages_carry_a_policy_that_allows_only_our_own_scripts(client, org):
    client.force_login(org.sara)
    for url in ["/", "/login/", "/api/docs/", "/no-such-page/"]:
        response = client.get(url)
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
