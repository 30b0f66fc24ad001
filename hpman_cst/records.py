"""The plain, frozen records every stage passes along.

Positions follow ``ast``: lines are 1-based, columns 0-based; unlike ``ast`` the columns
count characters (code points) of the decoded line, not UTF-8 bytes, so that they agree
with editors, with libcst and with slicing the decoded text. Records never hold a parser
node; they pickle, compare and sort by ``(path, line, column)``.

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .exceptions import location

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    from .refactor.edits import FilePlan

__all__ = [
    "ApiRef",
    "DynamicRef",
    "FileIndex",
    "Finding",
    "Marker",
    "Occurrence",
    "Problem",
    "ProblemCode",
    "Rebound",
    "RefForm",
    "Severity",
    "Span",
    "Value",
]


class Marker(enum.Enum):
    """Stand-ins for a default that has no Python value (enum members pickle as themselves)."""

    NO_DEFAULT = "no default"
    NOT_LITERAL = "not a literal"

    def __repr__(self) -> str:
        return f"Marker.{self.name}"


#: A default's evaluated value: any literal, or a :class:`Marker`.
Value = object


@dataclass(frozen=True, order=True)
class Span:
    """A source range: ``line``/``end_line`` 1-based, ``column``/``end_column`` 0-based
    code-point offsets; the end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return location(None, self.line, self.column)


@dataclass(frozen=True)
class Occurrence:
    """One call of the placeholder: ``_("name")`` or ``_("name", default, **hints)``.

    ``default`` is the exact source text of the default argument (without parentheses
    that merely wrap it), ``None`` when there is none; ``value`` is its literal value, or
    ``Marker.NOT_LITERAL`` / ``Marker.NO_DEFAULT``. ``hints`` holds the literal keyword
    arguments in source order (a ``**{...}`` literal has the key ``None``, as in hpman).
    """

    name: str
    path: str
    placeholder: str
    span: Span
    name_span: Span
    default: str | None = None
    default_span: Span | None = None
    value: Value = Marker.NO_DEFAULT
    hints: tuple[tuple[str | None, object], ...] = ()

    @property
    def filename(self) -> str:
        """:attr:`path`, under the name hpman's occurrences give it."""
        return self.path

    @property
    def lineno(self) -> int:
        """The call's first line (1-based), under the name hpman's occurrences give it."""
        return self.span.line

    @property
    def column(self) -> int:
        """The call's first column (0-based code points, as ``ast``)."""
        return self.span.column

    @property
    def has_default(self) -> bool:
        """Whether the call passes a default (a definition, as opposed to a plain get)."""
        return self.default is not None

    @property
    def kind(self) -> str:
        """``"define"`` when the call has a default, ``"get"`` otherwise."""
        return "define" if self.has_default else "get"

    @property
    def is_literal(self) -> bool:
        """Whether the default exists and is a Python literal."""
        return not isinstance(self.value, Marker)

    @property
    def hint_dict(self) -> dict[str | None, object]:
        """The hints as a dict (later keys win, as in a call)."""
        return dict(self.hints)

    def sort_key(self) -> tuple[str, int, int]:
        """Source order across files: ``(path, line, column)``."""
        return (self.path, self.span.line, self.span.column)

    @property
    def location(self) -> str:
        """Where the call is, as messages write it: ``path:line:column``."""
        return location(self.path, self.span.line, self.span.column)


class RefForm(str, enum.Enum):
    """How an API reference writes its name (stable strings)."""

    ARGUMENT = "argument"  # a str literal passed by position: _.get_value("lr")
    KEYWORD = "keyword"  # a str literal passed by keyword: _.get_value(name="lr")
    KEY = "key"  # a str literal key of a dict literal: {"lr": 1}
    IDENTIFIER = "identifier"  # a keyword of dict(): dict(lr=1)


@dataclass(frozen=True)
class ApiRef:
    """A name written in a call of the manager's own API: ``_.get_value("lr")``,
    ``_.set_value(name="lr", value=v)``, ``_.exists("lr")``, ``_.get_occurrence("lr")``,
    ``_.get_occurrences("lr")``, a key of ``_.set_values({...})`` or of
    ``_.set_values(dict(lr=...))``, a prefix of ``_.get_tree("optim")`` or
    ``_.set_tree(..., prefix="optim")``, or a key at any level of ``_.set_tree({...})``.

    These are not hyper-parameter definitions (hpman's parser ignores them) but a rename
    must follow them and ``remove`` must know whether a name is still set somewhere.
    ``name`` is the full name; the literal at ``name_span`` writes only its part below
    ``scope`` (a ``set_tree`` key below its parent keys and prefix), in the way ``form``
    says. ``group`` is true when the reference also stands for every name below ``name``
    (a prefix, a ``set_tree`` key whose value is a dict or may be one).
    """

    name: str
    path: str
    placeholder: str
    method: str
    span: Span
    name_span: Span
    form: RefForm = RefForm.ARGUMENT
    scope: str = ""
    group: bool = False

    @property
    def key(self) -> str:
        """The part of ``name`` that the literal writes."""
        return self.name[len(self.scope) + 1 :] if self.scope else self.name

    def covers(self, name: str) -> bool:
        """Whether a call of this reference reads or sets ``name``."""
        return name == self.name or (self.group and name.startswith(self.name + "."))

    def sort_key(self) -> tuple[str, int, int]:
        """Source order across files: ``(path, line, column)``."""
        return (self.path, self.name_span.line, self.name_span.column)

    @property
    def location(self) -> str:
        """Where the name literal is, as messages write it: ``path:line:column``."""
        return location(self.path, self.name_span.line, self.name_span.column)


@dataclass(frozen=True)
class DynamicRef:
    """A manager API call that names hyper-parameters with something other than a
    literal (``_.get_value(key)``, ``_.set_values(config)``): the names are unknown, so a
    rename warns about it. ``span`` is that of the expression standing for the name(s)."""

    path: str
    placeholder: str
    method: str
    span: Span

    @property
    def location(self) -> str:
        """Where the expression is, as messages write it: ``path:line:column``."""
        return location(self.path, self.span.line, self.span.column)


class ProblemCode(str, enum.Enum):
    """What kind of problem a :class:`Problem` is (stable strings, used in JSON)."""

    SYNTAX = "syntax-error"
    DECODE = "decode-error"
    UNREADABLE = "unreadable"
    NOT_LITERAL_NAME = "not-literal-name"
    ARGUMENT_COUNT = "argument-count"
    NOT_LITERAL_HINT = "not-literal-hint"
    UNHASHABLE = "unhashable-literal"


@dataclass(frozen=True)
class Problem:
    """A call site or file the extractor rejects, kept as data beside the occurrences."""

    code: ProblemCode
    message: str
    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return f"{location(self.path, self.line, self.column)}: {self.message}"

    def sort_key(self) -> tuple[str, int, int]:
        """Source order across files: ``(path, line, column)``."""
        return (self.path, self.line or 0, self.column or 0)


class Severity(str, enum.Enum):
    """How much a :class:`Finding` matters (stable strings, used in JSON and SARIF)."""

    ERROR = "error"  # the runtime refuses it, or a file cannot be read at all
    WARNING = "warning"  # likely a mistake; the program still runs
    INFO = "info"  # worth knowing; nothing is wrong


@dataclass(frozen=True)
class Finding:
    """What one rule of :mod:`hpman_cst.lint` found at one place.

    ``code`` is the rule's stable code (``D001``, see :mod:`hpman_cst.lint.catalog`);
    ``name`` the hyper-parameter concerned, when there is one. The position is as known:
    a file that cannot be read has none, one that does not decode only a line; ``line``
    and ``end_line`` are 1-based, ``column`` and ``end_column`` 0-based code points, the
    end exclusive (as :class:`Span`). ``fix`` holds the edits that would resolve it, when
    the rule knows them: a :class:`~hpman_cst.refactor.edits.FilePlan` per file to
    change (imported for typing only: that module imports this one).
    """

    code: str
    severity: Severity
    path: str
    message: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    name: str | None = None
    fix: tuple[FilePlan, ...] = ()

    @classmethod
    def at(
        cls,
        code: str,
        severity: Severity,
        path: str,
        span: Span,
        message: str,
        *,
        name: str | None = None,
        fix: tuple[FilePlan, ...] = (),
    ) -> Finding:
        """A finding over the whole of ``span``."""
        return cls(
            code,
            severity,
            path,
            message,
            span.line,
            span.column,
            span.end_line,
            span.end_column,
            name,
            fix,
        )

    @property
    def span(self) -> Span | None:
        """The range found, when its start and end are both known."""
        if None in (self.line, self.column, self.end_line, self.end_column):
            return None
        return Span(self.line or 0, self.column or 0, self.end_line or 0, self.end_column or 0)

    @property
    def location(self) -> str:
        """``path:line:column`` (column 1-based), as much of it as is known."""
        return location(self.path, self.line, self.column)

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"

    def sort_key(self) -> tuple[str, int, int, str]:
        """Source order across files, then code: ``(path, line, column, code)``."""
        return (self.path, self.line or 0, self.column or 0, self.code)


@dataclass(frozen=True)
class Rebound:
    """A module binds a placeholder's name to something other than a manager (``from
    gettext import gettext as _``): its calls of that placeholder are not hyper-parameter
    call sites and are left out of the index. ``line``/``column`` are the binding's."""

    path: str
    placeholder: str
    line: int
    column: int
    binding: str  # what the name is bound to: "`gettext` from `gettext`", "a function"

    @property
    def message(self) -> str:
        """Why the file's calls are left out (one line, without the location)."""
        return (
            f"`{self.placeholder}` is bound to {self.binding} here, not to a hyper-parameter"
            f" manager; its calls in this file are left out"
        )

    def __str__(self) -> str:
        return f"{location(self.path, self.line, self.column)}: {self.message}"

    def sort_key(self) -> tuple[str, int, int]:
        """Source order across files: ``(path, line, column)``."""
        return (self.path, self.line, self.column)


@dataclass(frozen=True)
class FileIndex:
    """What the extractor found in one file.

    ``occurrences`` are in ``ast.walk`` (breadth-first) order, the order in which hpman
    0.13 registers them; sort with :meth:`Occurrence.sort_key` for source order.
    ``problems`` are in source order. A file that does not decode or parse has one problem
    and no occurrences.
    """

    path: str
    occurrences: tuple[Occurrence, ...] = ()
    api_refs: tuple[ApiRef, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    dynamic_refs: tuple[DynamicRef, ...] = ()
    rebound: tuple[Rebound, ...] = ()

    @property
    def parsed(self) -> bool:
        """False when the file could not be read, decoded or parsed at all."""
        return not any(p.code in _FILE_LEVEL for p in self.problems)


_FILE_LEVEL = frozenset({ProblemCode.SYNTAX, ProblemCode.DECODE, ProblemCode.UNREADABLE})
