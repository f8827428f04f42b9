"""Form schemas inside a BPMN file: read them, put one in, take one out.

They sit in the extension elements of the file's first process, as
`<obieg:formSchema key="…">{json}</obieg:formSchema>`; other tools keep
extension elements they do not know, so Camunda Modeler and bpmn-js
round-trip them.
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
OBIEG = "urn:obieg:bpmn:1"
TAG = f"{{{OBIEG}}}formSchema"
MAX_SCHEMA_CHARS = 200_000


class SchemaFileError(ValueError):
    """The file cannot hold a schema (not BPMN, no process) or holds a broken one."""


def schemas_in_root(root) -> dict[str, Any]:
    """{key: schema} of a parsed file; a schema that is not JSON comes back as None."""
    found: dict[str, Any] = {}
    for node in root.iter(TAG):
        key = node.get("key") or ""
        if key and key not in found:
            try:
                found[key] = json.loads(node.text or "")
            except ValueError:
                found[key] = None
    return found


def schemas_in(xml: str) -> dict[str, Any]:
    return schemas_in_root(_parse(xml))


def with_schema(xml: str, key: str, schema: dict[str, Any] | None) -> str:
    """The file with `schema` stored under `key` (replacing one), or removed when None."""
    root = _parse(xml)
    for node in list(root.iter(TAG)):
        if node.get("key") == key:
            node.getparent().remove(node)
    if schema is not None:
        text = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
        if len(text) > MAX_SCHEMA_CHARS:
            raise SchemaFileError("the form is larger than 200 kB")
        extensions = _extension_elements(root)
        node = etree.SubElement(extensions, TAG, nsmap={"obieg": OBIEG})
        node.set("key", key)
        node.text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")


def _parse(xml: str):
    try:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as error:
        raise SchemaFileError(f"not well-formed XML: {error}") from error
    if root.tag != f"{{{BPMN}}}definitions":
        raise SchemaFileError("not a BPMN file")
    return root


def _extension_elements(root):
    process = root.find(f"{{{BPMN}}}process")
    if process is None:
        raise SchemaFileError("the file has no process to keep the form in")
    extensions = process.find(f"{{{BPMN}}}extensionElements")
    if extensions is None:
        extensions = etree.Element(f"{{{BPMN}}}extensionElements")
        # BPMN's schema wants extension elements after the documentation, before the rest.
        position = len(process.findall(f"{{{BPMN}}}documentation"))
        process.insert(position, extensions)
    return extensions
