import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
application = get_wsgi_application()

# The code and its module-level objects live as long as the process: some 240,000
# objects that every full garbage collection walked again (about 140 ms, once per
# 20-60 requests: a few ms per request on average, all of it in the slowest ones).
# The views are imported now (through the URL configuration) rather than at the first
# request, and everything loaded so far is moved out of the collector's sight.
get_resolver().url_patterns  # noqa: B018 - imports every view module
# So are the tables `reverse` reads, one per language: filled at the first link drawn
# in each language, they cost that request 0.6 s (the pages' many routes' patterns).
for language, _name in settings.LANGUAGES:
    with translation.override(language):
        get_resolver().reverse_dict  # noqa: B018 - fills the language's tables
gc.freeze()
