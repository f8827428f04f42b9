"""What one person reads of a case they may see: its data, its history's data, its documents.

The access policy decides who sees a case at all. Within a case not every
detail is everyone's business: an installer needs the address and the
panels, not the purchase costs, the payment references or the customer's
signed link. The case's subject says what a person may read with a method
`case_reading(user)` returning a `Reading`; the engine's pages and API apply
it wherever they show case data (the data panel, each history line) and the
case's documents. A subject without the method leaves everything readable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reading:
    """The case data keys and document kinds one person reads; None means all of them."""

    data_keys: frozenset[str] | None = None
    document_kinds: frozenset[str] | None = None

    def data(self, data: Mapping[str, Any] | None) -> dict[str, Any]:
        if self.data_keys is None:
            return dict(data or {})
        return {key: value for key, value in (data or {}).items() if key in self.data_keys}

    def documents(self, documents: Iterable) -> list:
        if self.document_kinds is None:
            return list(documents)
        return [document for document in documents if document.kind in self.document_kinds]


EVERYTHING = Reading()


def reading_for(user, case) -> Reading:
    """How much of `case` the user reads, as its subject rules (everything by default)."""
    if not case.subject_type_id:
        return EVERYTHING
    subject = case.subject  # cached on the case: the page's subject panel reads the same
    rule = getattr(subject, "case_reading", None)
    return rule(user) if callable(rule) else EVERYTHING
