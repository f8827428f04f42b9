"""The web process's start: its loaded code is out of the garbage collector's sight."""

import gc
import importlib
import sys

from django.urls import clear_url_caches, get_resolver


def test_the_wsgi_module_freezes_what_is_loaded_with_the_views(settings):
    sys.modules.pop("obieg.wsgi", None)
    clear_url_caches()  # a resolver no other test has filled yet
    gc.unfreeze()
    try:
        wsgi = importlib.import_module("obieg.wsgi")
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 0
        assert "obieg.web.views.accounts" in sys.modules  # the views came with the URLs
        # reverse()'s tables are filled for every language, not at a request's first link.
        assert set(get_resolver()._reverse_dict) >= {code for code, _name in settings.LANGUAGES}
    finally:
        gc.unfreeze()
