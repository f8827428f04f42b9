"""Parsed process specs, one per definition version, kept in memory.

A case's saved state does not repeat its spec; loading a case takes the
spec from here, parsing the definition's files only the first time this
process sees that version. Specs are read-only while cases run, so
threads share them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from obieg.engine.spiff.parser import build_parser, specs_for

MAX_SPECS = 256

_lock = threading.Lock()
# Keyed by content, not by row id: the same files always give the same spec.
_specs: OrderedDict[tuple[str, str], tuple] = OrderedDict()


def bundle_for(definition) -> tuple:
    """(spec, sub-process specs) of a ProcessDefinition, parsed once per process."""
    cache_key = (definition.key, definition.checksum)
    with _lock:
        bundle = _specs.get(cache_key)
        if bundle is not None:
            _specs.move_to_end(cache_key)
            return bundle
    parser = build_parser(definition.sources, python_decisions=definition.python_decisions)
    bundle = specs_for(parser, definition.key)
    with _lock:
        _specs[cache_key] = bundle
        while len(_specs) > MAX_SPECS:
            _specs.popitem(last=False)
    return bundle


def clear() -> None:
    with _lock:
        _specs.clear()
