"""Reading and running the DMN Technology Compatibility Kit's test cases.

Shared by `bench/dmn_tck.py` and the level-2 pytest. A test file
(`*-test-01.xml`, schema `testCases.xsd`) names a model, input values and
expected results; each result node counts as one result, as in the TCK's
published figures. Values compare as the TCK's Drools runner compares them:
numbers as decimals within 1e-8, lists item by item, contexts key by key.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree

from obieg.engine import decisions, feel
from obieg.engine.feel import temporal
from obieg.engine.feel.values import feel_equal

from .model import child, children, local

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
NUMBER_TOLERANCE = Decimal("0.00000001")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


@dataclass(frozen=True)
class CaseFile:
    level: int
    folder: Path
    test_file: Path

    @property
    def label(self) -> str:
        return f"{self.folder.name}/{self.test_file.name}"


@dataclass
class Outcome:
    level: int
    case_file: str
    test_id: str
    node: str
    status: str  # passed, failed, errored
    detail: str = ""


def find_case_files(root: Path) -> list[CaseFile]:
    files = []
    for level in (2, 3):
        base = root / f"compliance-level-{level}"
        for test_file in sorted(base.glob("*/*-test-*.xml")):
            files.append(CaseFile(level, test_file.parent, test_file))
    return files


# --- values ---------------------------------------------------------------------------------


def _scalar(element: Any) -> Any:
    if element.get(XSI_NIL) == "true":
        return None
    text = element.text or ""
    kind = (element.get(XSI_TYPE) or "").split(":")[-1]
    if kind in ("decimal", "double", "int", "integer", "long", "float", "short"):
        try:
            return feel.to_feel(Decimal(text.strip()))
        except InvalidOperation:
            return None
    if kind == "boolean":
        return text.strip() == "true"
    if kind == "date":
        return temporal.parse_date(text.strip())
    if kind == "dateTime":
        return temporal.parse_datetime(text.strip())
    if kind == "time":
        return temporal.parse_time(text.strip())
    if kind in ("duration", "dayTimeDuration", "yearMonthDuration"):
        return temporal.parse_duration(text.strip())
    return text


def read_value(element: Any) -> Any:
    """A TCK valueType element (value, components or list) as a FEEL value."""
    if element is None or element.get(XSI_NIL) == "true":
        return None
    value = child(element, "value")
    if value is not None:
        return _scalar(value)
    items = child(element, "list")
    if items is not None:
        if items.get(XSI_NIL) == "true":
            return None
        return [read_value(item) for item in children(items, "item")]
    components = children(element, "component")
    if components:
        return {c.get("name") or "": read_value(c) for c in components}
    return None


def same(expected: Any, actual: Any) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, Decimal) and isinstance(actual, Decimal):
        return abs(expected - actual) < NUMBER_TOLERANCE
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            same(e, a) for e, a in zip(expected, actual, strict=True)
        )
    if isinstance(expected, dict) and isinstance(actual, dict):
        return len(expected) == len(actual) and all(
            key in actual and same(value, actual[key]) for key, value in expected.items()
        )
    if type(expected) is not type(actual) and not (
        isinstance(expected, dt.time) and isinstance(actual, dt.time)
    ):
        return False
    if isinstance(expected, (dt.datetime, dt.time)):
        if (expected.tzinfo is None) != (actual.tzinfo is None):
            return False
    return feel_equal(expected, actual) is True


def show(value: Any) -> str:
    text = feel.to_text(value) if not isinstance(value, str) else repr(value)
    return text if len(text) < 200 else text[:200] + "..."


# --- running ------------------------------------------------------------------------------------


def load_model(case_file: CaseFile, root: Any) -> decisions.DecisionModel:
    model_name = (root.findtext("{*}modelName") or "").strip()
    dmn_files = sorted(case_file.folder.glob("*.dmn"))
    main = [p for p in dmn_files if p.name == model_name] or dmn_files[:1]
    others = [p for p in dmn_files if p not in main]
    return decisions.load(main + others)


def _inputs(case: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    inputs: dict[str, Any] = {}
    namespaced: dict[str, dict[str, Any]] = {}
    for node in children(case, "inputNode"):
        value = read_value(node)
        namespace = node.get("namespace")
        if namespace:
            namespaced.setdefault(namespace, {})[node.get("name") or ""] = value
        else:
            inputs[node.get("name") or ""] = value
    return inputs, namespaced


def run_case_file(case_file: CaseFile) -> Iterator[Outcome]:
    root = etree.parse(str(case_file.test_file), _PARSER).getroot()
    cases = [c for c in root if local(c.tag) == "testCase"]
    try:
        model = load_model(case_file, root)
    except Exception as error:  # noqa: BLE001 - any failure to load is one errored result per node
        for case in cases:
            for node in children(case, "resultNode"):
                yield Outcome(
                    case_file.level,
                    case_file.label,
                    case.get("id") or "",
                    node.get("name") or "",
                    "errored",
                    f"load: {error}",
                )
        return
    for case in cases:
        yield from run_case(case_file, model, case)


def run_case(case_file: CaseFile, model: decisions.DecisionModel, case: Any) -> Iterator[Outcome]:
    inputs, namespaced = _inputs(case)
    kind = case.get("type") or "decision"
    invocable = case.get("invocableName")
    service_result: Any = None
    service_error: str | None = None
    if kind in ("decisionService", "bkm") and invocable:
        try:
            service_result = model.invoke(invocable, inputs, namespaced=namespaced)
        except Exception:  # noqa: BLE001
            service_error = traceback.format_exc(limit=-3)
    for node in children(case, "resultNode"):
        name = node.get("name") or ""
        expected = read_value(child(node, "expected"))
        try:
            if service_error is not None:
                raise RuntimeError(service_error)
            if kind in ("decisionService", "bkm") and invocable:
                actual = service_result
                if isinstance(actual, dict) and name in actual and not isinstance(expected, dict):
                    actual = actual[name]
            else:
                actual = model.evaluate(name, inputs, namespaced=namespaced)
        except Exception as error:  # noqa: BLE001
            detail = (
                traceback.format_exc(limit=-2)
                if not isinstance(error, RuntimeError)
                else str(error)
            )
            yield Outcome(
                case_file.level,
                case_file.label,
                case.get("id") or "",
                name,
                "errored",
                detail.strip()[-600:],
            )
            continue
        if same(expected, actual):
            yield Outcome(case_file.level, case_file.label, case.get("id") or "", name, "passed")
        else:
            why = "; ".join(model.last_messages[:3])
            yield Outcome(
                case_file.level,
                case_file.label,
                case.get("id") or "",
                name,
                "failed",
                f"expected {show(expected)}, got {show(actual)}" + (f" [{why}]" if why else ""),
            )


def default_root() -> Path:
    """../shared/dmn-tck/TestCases next to the checkout."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "dmn-tck" / "TestCases"
        if candidate.is_dir():
            return candidate
    return here.parents[5] / "shared" / "dmn-tck" / "TestCases"
