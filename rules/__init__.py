"""The rule catalog: every Rule subclass defined in a module of this package, ordered by code.

Adding a rule is adding a class to one of these modules (or a new module); nothing else
needs to know its name.
"""

import importlib
import inspect
import pkgutil

from tflint.api import Rule


def _discover() -> tuple[type[Rule], ...]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Rule) and obj is not Rule and obj.__module__ == module.__name__:
                found[obj.code] = obj
    return tuple(found[code] for code in sorted(found))


ALL_RULES = _discover()
