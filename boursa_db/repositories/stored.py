"""Domain objects built from stored rows, without running their validators again.

A row read back passed the CHECK constraints of its table, which the validators of the domain
classes mirror (``tests/test_refused_values.py`` holds them to the catalog). Validating it again
costs a one-row read a tenth of its time for nothing, so the mappers of the read paths build
their objects with :func:`stored`, which fills every field as given. Converters do not run
either: a mapper passes each field already as the type its class holds (an enum member, not its
text), as :mod:`boursa_db.repositories.bar_rows` does for bars.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

import attrs

__all__ = ["stored"]

T = TypeVar("T")

_FIELD_NAMES: dict[type[Any], frozenset[str]] = {}


def stored(cls: type[T], /, **fields: Any) -> T:
    """An instance of the attrs class ``cls`` holding ``fields``, every one of them, unchecked.

    A field left out (or one the class does not have) raises TypeError naming it: a mapper
    that forgets a column fails at once, not when the field is first read.
    """
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(
            field.name for field in attrs.fields(cast("type[attrs.AttrsInstance]", cls))
        )
    if len(fields) != len(names) or not names.issuperset(fields):
        missing = ", ".join(sorted(names - fields.keys()))
        unknown = ", ".join(sorted(fields.keys() - names))
        problems = "; ".join(
            part for part in (missing and f"missing {missing}", unknown and f"no {unknown}") if part
        )
        raise TypeError(f"stored {cls.__name__}: {problems}")
    instance = object.__new__(cls)
    fill = object.__setattr__  # also fills the slots of a frozen class
    for name, value in fields.items():
        fill(instance, name, value)
    return instance
