"""`obieg serve` refuses to start with a clear message when static files were never collected."""

import pytest
from django.core.management.base import CommandError

from obieg.core.management.commands.serve import _ensure_static_files_collected


@pytest.fixture(autouse=True)
def production_storage(settings):
    """The storage `obieg serve` runs with (the tests' own serves plain file names)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "obieg.web.static_storage.StaticStorage"},
    }


def test_serve_says_to_collect_static_files_first(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "never-collected"
    with pytest.raises(CommandError, match="obieg collectstatic"):
        _ensure_static_files_collected()


def test_serve_starts_once_they_are_collected(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text(
        '{"paths": {"a.css": "a.123.css"}, "version": "1.1", "hash": "x"}'
    )
    _ensure_static_files_collected()
