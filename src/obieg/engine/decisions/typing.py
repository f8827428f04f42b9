"""DMN item definitions as FEEL types (typed inputs, allowed values, collections)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from obieg.engine import feel
from obieg.engine.feel.types import ANY, ContextType, FeelType, FunctionType, ListType, UnknownType

from .model import ItemDefinition

if TYPE_CHECKING:
    from .evaluate import TypeResolver


class ItemDefinitionType(FeelType):
    """A named item definition: base type or components, plus allowed values."""

    def __init__(
        self, item: ItemDefinition, resolver: TypeResolver, *, single: bool = False
    ) -> None:
        self.item = item
        self.resolver = resolver
        self.single = single  # the element type of a collection
        self.name = item.name
        self._base: FeelType | None = None

    @property
    def is_collection(self) -> bool:
        return self.item.is_collection and not self.single

    @property
    def element(self) -> FeelType:
        return ItemDefinitionType(self.item, self.resolver, single=True)

    def base(self) -> FeelType:
        if self._base is None:
            item = self.item
            if item.components:
                fields: dict[str, FeelType] = {}
                for component in item.components:
                    fields[component.name] = ItemDefinitionType(component, self.resolver)
                self._base = ContextType(fields)
            elif item.function_item is not None:
                params, result = item.function_item
                self._base = FunctionType(
                    [self.resolver.resolve(t) if t else ANY for _, t in params],
                    self.resolver.resolve(result) if result else ANY,
                )
            elif item.type_ref:
                self._base = self.resolver.resolve(item.type_ref)
            else:
                self._base = ANY
        return self._base

    def _allowed(self, value: Any) -> bool:
        for tests in (self.item.allowed_values, self.item.type_constraint):
            if tests and not self.resolver.matches(tests, value):
                return False
        return True

    def conforms(self, value: Any) -> bool:
        if self.is_collection:
            if not isinstance(value, list):
                return False
            element = self.element
            return all(item is None or element.conforms(item) for item in value)
        if value is None:
            return True
        base = self.base()
        if isinstance(base, ContextType):
            if not isinstance(value, dict):
                return False
            for key, kind in base.fields.items():
                if value.get(key) is not None and not kind.conforms(value[key]):
                    return False
        elif not base.conforms(value):
            return False
        return self._allowed(value)

    def coerce(self, value: Any) -> Any:
        """The value as this type, or None (DMN 1.5 10.3.2.9.4)."""
        if value is None:
            return None
        if self.is_collection:
            if not isinstance(value, list):
                value = [value]
            element = self.element
            return value if all(v is None or element.conforms(v) for v in value) else None
        if isinstance(value, list) and len(value) == 1 and not self._base_is_list():
            value = value[0]
        return value if self.conforms(value) else None

    def _base_is_list(self) -> bool:
        base = self.base()
        return isinstance(base, ListType) or getattr(base, "is_collection", False)


def coerce_to(value: Any, kind: FeelType | None) -> Any:
    if kind is None or value is None:
        return value
    if isinstance(kind, ItemDefinitionType):
        return kind.coerce(value)
    if isinstance(kind, UnknownType):
        return value
    return feel.coercion_coerce(value, kind)
