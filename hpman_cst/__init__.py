"""hpman-cst: a distributed-centralized hyper-parameter manager and its refactoring tools."""

from __future__ import annotations

__version__ = "0.1.0"

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
    UnreadableFile,
)
from .runtime import HyperParameterManager
from .tree import (
    HyperParameterOccurrence,
    HyperParameterPriority,
    HyperParamNode,
    HyperParamTree,
    P,
)

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
    "UnreadableFile",
    "__version__",
]
