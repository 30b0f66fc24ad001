"""``HyperParameterPriority`` (alias ``P``): where a hyper-parameter's value came from.

Its own module because ``enum`` (with ``functools`` and ``collections``) costs
milliseconds to import: the manager ranks values with plain ints (see
:mod:`hpman_cst.tree`) and this module is loaded only when a caller asks for the enum
(``hpman_cst.P``, ``occurrence.priority``...).
"""

from __future__ import annotations

import enum

__all__ = ["HyperParameterPriority", "P"]


class HyperParameterPriority(enum.IntEnum):
    """Where a value came from; a higher priority wins."""

    PRIORITY_PARSED_FROM_SOURCE_CODE = 1
    PRIORITY_SET_FROM_CALLABLE = 2
    PRIORITY_SET_FROM_SETTER = 3


P = HyperParameterPriority
