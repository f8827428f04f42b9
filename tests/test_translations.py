"""The Polish catalogue is complete, and Polish is what a Polish user sees.

The UI's source strings are English; Polish is the default language. A new
string marked for translation must get its Polish translation in the same
change: `test_catalogues_hold_every_string_of_the_source` runs makemessages on a
copy of the source and names the strings that are missing.

The catalogues are parsed here by hand (no polib: the project does not depend
on it); makemessages and the compiling need GNU gettext, as `make` does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

import obieg

SOURCE = Path(obieg.__file__).resolve().parent
LOCALE = SOURCE / "locale"
LANGS = ("pl", "en")
MAKEMESSAGES = (
    "cd src/obieg && ../../.venv/bin/obieg makemessages -l pl -l en"
    ' --no-location --ignore "*/tests/*"'
)
POLISH_PLURALS = (
    "nplurals=3; plural=(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? 1 : 2);"
)
# msgids that mean different things in different apps, so one Polish word cannot
# fit both; the project catalogue's word wins. Remove an entry once the source
# tells the meanings apart (pgettext or a distinct msgid).
KNOWN_CONFLICTS = {
    # A contact person's job title (crm) vs. the line number of an invoice (billing).
    "position",
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}")


# --- a small .po reader ------------------------------------------------------


class Entry:
    def __init__(self):
        self.flags: set[str] = set()
        self.msgctxt: str | None = None
        self.msgid = ""
        self.msgid_plural: str | None = None
        self.msgstr: dict[int, str] = {}  # index 0 for a singular entry

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(
        r"\\(.)",
        lambda m: {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}.get(m[1], "\\" + m[1]),
        text[1:-1],
    )


def read_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header included, obsolete (#~) ones left out."""
    entries: list[Entry] = []
    entry = Entry()
    field: tuple[str, int] | None = None

    def finish():
        nonlocal entry, field
        if field is not None:
            entries.append(entry)
        entry, field = Entry(), None

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if field is not None:
                finish()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            if field is not None and not line.startswith("#~"):
                finish()
        elif line.startswith('"'):
            name, index = field
            value = _unquote(line)
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, (getattr(entry, name) or "") + value)
        else:
            keyword, _space, rest = line.partition(" ")
            plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword == "msgctxt" or (keyword == "msgid" and field and field[0] != "msgctxt"):
                finish()
            if plural:
                field = ("msgstr", int(plural[1]))
                entry.msgstr[field[1]] = _unquote(rest)
            elif keyword == "msgstr":
                field = ("msgstr", 0)
                entry.msgstr[0] = _unquote(rest)
            elif keyword in {"msgctxt", "msgid", "msgid_plural"}:
                field = (keyword, 0)
                setattr(entry, keyword, _unquote(rest))
            else:
                raise AssertionError(f"{path}: cannot read the line {line!r}")
    finish()
    return entries


def catalogue(path: Path) -> tuple[Entry, list[Entry]]:
    header, *entries = read_po(path)
    assert header.msgid == "", f"{path} does not start with its header"
    return header, entries


def header_fields(header: Entry) -> dict[str, str]:
    lines = header.msgstr[0].splitlines()
    return {name.strip(): value.strip() for name, _c, value in (ln.partition(":") for ln in lines)}


def po_file(lang: str, root: Path = LOCALE) -> Path:
    return root / lang / "LC_MESSAGES" / "django.po"


def needs_gettext():
    if not shutil.which("msgfmt") or not shutil.which("xgettext"):
        pytest.fail("GNU gettext is missing (apt-get install gettext); the catalogues need it")


# --- the committed catalogues ------------------------------------------------


def test_the_polish_catalogue_translates_everything_and_nothing_is_fuzzy():
    header, entries = catalogue(po_file("pl"))
    fields = header_fields(header)
    assert "fuzzy" not in header.flags
    assert fields["Language"] == "pl"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == POLISH_PLURALS
    assert entries, "the Polish catalogue is empty"

    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    untranslated = [
        e.msgid
        for e in entries
        if not all(e.msgstr.get(i) for i in (range(3) if e.msgid_plural else [0]))
    ]
    problems = [f"fuzzy (check and remove the flag): {m!r}" for m in fuzzy]
    problems += [f"not translated: {m!r}" for m in untranslated]
    assert not problems, "src/obieg/locale/pl/LC_MESSAGES/django.po:\n" + "\n".join(problems)


def test_polish_translations_keep_the_placeholders():
    _header, entries = catalogue(po_file("pl"))
    wrong = []
    for e in entries:
        if e.msgid_plural is None:
            if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr[0])):
                wrong.append(e.msgid)
            continue
        wanted = set(PLACEHOLDER.findall(e.msgid_plural))
        for index, text in e.msgstr.items():
            found = set(PLACEHOLDER.findall(text))
            # The "one" form may leave the number out ("jeden dokument").
            if found != wanted and not (index == 0 and found <= wanted):
                wrong.append(f"{e.msgid} [{index}]")
    assert not wrong, "placeholders differ from the English:\n" + "\n".join(wrong)


def test_the_english_catalogue_is_the_source_language():
    header, entries = catalogue(po_file("en"))
    fields = header_fields(header)
    assert "fuzzy" not in header.flags
    assert fields["Language"] == "en"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert not [e.msgid for e in entries if "fuzzy" in e.flags]


def test_strings_shared_with_an_app_catalogue_are_translated_alike():
    """The project catalogue (LOCALE_PATHS) wins over an app's own: a different
    translation there would silently hide the app's."""
    _header, ours = catalogue(po_file("pl"))
    mine = {e.key: e.msgstr for e in ours}
    differing = []
    for app_po in sorted(SOURCE.glob("*/**/locale/pl/LC_MESSAGES/django.po")):
        _h, theirs = catalogue(app_po)
        for e in theirs:
            if e.msgid in KNOWN_CONFLICTS or e.key not in mine or not all(e.msgstr.values()):
                continue
            if e.msgstr != mine[e.key]:
                differing.append(f"{e.msgid!r}: {mine[e.key]} here, {e.msgstr} in {app_po}")
    assert not differing, "one msgid, two Polish translations:\n" + "\n".join(differing)


def test_the_polish_catalogue_compiles(tmp_path):
    needs_gettext()
    for lang in LANGS:
        result = subprocess.run(
            ["msgfmt", "--check", "-o", str(tmp_path / f"{lang}.mo"), str(po_file(lang))],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr


# --- completeness: makemessages on a copy of the source ----------------------


def test_catalogues_hold_every_string_of_the_source(tmp_path):
    needs_gettext()
    copy = tmp_path / "obieg"
    shutil.copytree(
        SOURCE,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "node_modules", ".*"),
    )
    # A locale/ folder without catalogues is not in a fresh clone (git keeps no
    # empty folders) and would send its app's strings elsewhere than in CI.
    for folder in list(copy.glob("**/locale")):
        if folder != copy / "locale" and not any(folder.glob("*/LC_MESSAGES/django.po")):
            shutil.rmtree(folder)
    # makemessages writes files outside any app's locale/ to LOCALE_PATHS[0]:
    # point it at the copy, never at the real catalogue.
    (tmp_path / "copy_settings.py").write_text(
        f"from obieg.settings import *  # noqa\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "copy_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "django", "makemessages", "--no-location"]
    command += ["--ignore", "*/tests/*", *(arg for lang in LANGS for arg in ("-l", lang))]
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

    problems = []
    for lang in LANGS:
        committed = {e.key for e in catalogue(po_file(lang))[1]}
        current = {e.key for e in catalogue(po_file(lang, copy / "locale"))[1]}
        missing, unused = sorted(current - committed, key=str), sorted(committed - current, key=str)
        problems += [f"{lang}: missing {msgid!r}" for _ctx, msgid in missing]
        problems += [f"{lang}: no longer used {msgid!r}" for _ctx, msgid in unused]
    assert not problems, (
        "The catalogues in src/obieg/locale are behind the source. Run\n"
        f"    {MAKEMESSAGES}\n"
        "then translate the new entries of locale/pl/LC_MESSAGES/django.po (and remove any "
        "'#, fuzzy' after checking it).\n" + "\n".join(problems)
    )


# --- Polish on the page -----------------------------------------------------


@pytest.fixture
def polish_catalogue(tmp_path, settings):
    """The committed catalogues compiled afresh, so a stale or missing .mo cannot hide a gap."""
    needs_gettext()
    for lang in LANGS:
        target = tmp_path / "locale" / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        subprocess.run(
            ["msgfmt", "--check", "-o", str(target / "django.mo"), str(po_file(lang))], check=True
        )
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    settings.LANGUAGE_CODE = "pl"
    with translation.override("pl"):
        yield


def test_the_login_page_speaks_polish(client, polish_catalogue, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert 'lang="pl"' in page
    assert "Zaloguj się" in page
    assert "Log in" not in page


def test_a_signed_in_page_speaks_polish_and_english_on_request(client, polish_catalogue, sara):
    client.force_login(sara)
    polish = client.get(reverse("account_list"), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Klienci" in polish and "Wyloguj się" in polish
    english = client.get(reverse("account_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Accounts" in english and "Log out" in english


# --- what the shipped processes and customer e-mails say ---------------------


def test_every_name_a_shipped_process_shows_has_every_language():
    """BPMN/DMN names are not gettext strings: each element keeps its translations
    (`<obieg:translation lang=".." name=".."/>`, engine/labels.py); none may be missing."""
    from lxml import etree

    from obieg.engine import labels

    models = sorted(SOURCE.glob("solutions/*/processes/*.bpmn"))
    models += sorted(SOURCE.glob("solutions/*/processes/*.dmn"))
    assert models, "no shipped process models found"
    missing = [
        f"{path.relative_to(SOURCE)}: {element.element_id} ({element.name}): no {', '.join(langs)}"
        for path in models
        for element, langs in labels.missing_translations(etree.parse(str(path)).getroot())
    ]
    assert not missing, "untranslated names in the shipped models:\n" + "\n".join(missing)


POLISH_LETTERS = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "ngettext", "npgettext"}


def test_customer_mails_write_no_text_outside_the_catalogue():
    """A mail module's words are gettext strings (English msgids, rendered in the reader's
    language); a Polish string literal there would reach an English customer as is."""
    import ast

    modules = sorted(SOURCE.glob("solutions/*/notify.py"))
    assert modules
    found = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        translated = {
            id(argument)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT
            for argument in ast.walk(node)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings | translated
                and POLISH_LETTERS.search(node.value)
            ):
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {node.value!r}")
    assert not found, "Polish text outside gettext in customer mails:\n" + "\n".join(found)
