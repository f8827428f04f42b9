"""The web process's start: its loaded code is out of the garbage collector's sight."""

import gc
import importlib
import sys


def test_the_wsgi_module_freezes_what_is_loaded_with_the_views(settings):
    sys.modules.pop("obieg.wsgi", None)
    gc.unfreeze()
    try:
        wsgi = importlib.import_module("obieg.wsgi")
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 0
        assert "obieg.web.views.accounts" in sys.modules  # the views came with the URLs
    finally:
        gc.unfreeze()
