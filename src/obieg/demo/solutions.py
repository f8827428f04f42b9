"""Demo data of the installed solutions, found by convention.

Each solution app may have a `demo` module with `create_demo(organisation)`;
the platform's demo knows no solution by name (ARCHITECTURE: solutions
plug in, the core does not import them).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

SOLUTIONS_PACKAGE = "obieg.solutions."


def create_solution_demos(organisation) -> list[str]:
    """Run every installed solution's demo; the labels of those that ran."""
    ran = []
    for config in apps.get_app_configs():
        if not config.name.startswith(SOLUTIONS_PACKAGE):
            continue
        module_name = f"{config.name}.demo"
        if find_spec(module_name) is None:
            continue
        create = getattr(import_module(module_name), "create_demo", None)
        if create is not None:
            create(organisation)
            ran.append(config.label)
    return ran
