"""hpman-cst: a distributed-centralized hyper-parameter manager and its refactoring tools."""

from __future__ import annotations

__version__ = "0.1.0"

# The names below are imported on first access (PEP 562), so that ``import hpman_cst``
# (which ``from hpman_cst.m import _`` runs first) loads none of the package's modules.
TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    from .exceptions import (
        ArgumentCountError,
        DoubleAssignmentException,
        EmptyValue,
        HpmanError,
        HpmanSyntaxError,
        HyperParameterNotFound,
        ImpossibleTree,
        InvalidArgument,
        NotLiteralEvaluable,
        NotLiteralNameException,
        PathNotFound,
        SourceDecodeError,
        UnhashableLiteral,
        UnknownHyperParameterWarning,
        UnreadableFile,
    )
    from .priority import HyperParameterPriority, P
    from .runtime import HyperParameterManager
    from .tree import HyperParameterOccurrence, HyperParamNode, HyperParamTree

#: Where each lazily exported name lives (a module of this package).
_EXPORTS = {
    **dict.fromkeys(
        (
            "ArgumentCountError",
            "DoubleAssignmentException",
            "EmptyValue",
            "HpmanError",
            "HpmanSyntaxError",
            "HyperParameterNotFound",
            "ImpossibleTree",
            "InvalidArgument",
            "NotLiteralEvaluable",
            "NotLiteralNameException",
            "PathNotFound",
            "SourceDecodeError",
            "UnhashableLiteral",
            "UnknownHyperParameterWarning",
            "UnreadableFile",
        ),
        "exceptions",
    ),
    "HyperParameterManager": "runtime",
    **dict.fromkeys(("HyperParameterOccurrence", "HyperParamNode", "HyperParamTree"), "tree"),
    **dict.fromkeys(("HyperParameterPriority", "P"), "priority"),
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None and name != "m":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    if module is None:  # `import hpman_cst as hpman` then `hpman.m._`, as with hpman
        return import_module(f"{__name__}.m")

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later accesses skip this function
    return value


__all__ = [
    "ArgumentCountError",
    "DoubleAssignmentException",
    "EmptyValue",
    "HpmanError",
    "HpmanSyntaxError",
    "HyperParamNode",
    "HyperParamTree",
    "HyperParameterManager",
    "HyperParameterNotFound",
    "HyperParameterOccurrence",
    "HyperParameterPriority",
    "ImpossibleTree",
    "InvalidArgument",
    "NotLiteralEvaluable",
    "NotLiteralNameException",
    "P",
    "PathNotFound",
    "SourceDecodeError",
    "UnhashableLiteral",
    "UnknownHyperParameterWarning",
    "UnreadableFile",
    "__version__",
]
