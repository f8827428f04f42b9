"""Data objects and data stores: what a model documents about its data, not a second store.

Camunda 7 and 8 treat data objects, data stores and their associations as
documentation, and so does Obieg: a case's values are its case data, under
the names its forms, actions and workers give them (the "Survey report" a
task writes is whatever that task puts into the case data). SpiffWorkflow
would instead move a value named after the data object's id out of the case
data into a store of its own — and refuse a model whose task reads a data
store it has no code for — so the associations are taken out of the tree it
parses (the stored file stays as drawn, and the diagram shows them).
"""

from __future__ import annotations

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_DOCUMENTATION = ("dataInputAssociation", "dataOutputAssociation", "dataObject")


def prepare(root) -> None:
    """Drop data associations and data objects from the tree SpiffWorkflow parses (in place)."""
    for name in _DOCUMENTATION:
        for node in list(root.iter(f"{{{BPMN}}}{name}")):
            node.getparent().remove(node)
