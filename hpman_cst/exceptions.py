"""Every error hpman-cst raises, under one root: :class:`HpmanError`.

Classes keep hpman 0.13's names where hpman has one (``DoubleAssignmentException``,
``NotLiteralNameException``, ``NotLiteralEvaluable``, ``ImpossibleTree``) and also derive
from the builtin a caller of hpman may already catch (``SyntaxError``, ``KeyError``,
``TypeError``, ``FileNotFoundError``...). Each carries ``path``, ``line`` and ``column``
where they apply, and renders as one compiler-style line: ``train.py:12:9: message``
(line 1-based, column shown 1-based; the ``column`` attribute itself is 0-based like
``ast``).

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    from collections.abc import Iterable

    from .records import Problem

__all__ = [
    "ArgumentCountError",
    "ConfigError",
    "DoubleAssignmentException",
    "EmptyValue",
    "FileChanged",
    "HpmanError",
    "HpmanSyntaxError",
    "HyperParameterNotFound",
    "ImpossibleTree",
    "InvalidArgument",
    "InvalidHint",
    "InvalidValue",
    "NotLiteralEvaluable",
    "NotLiteralNameException",
    "PathNotFound",
    "RefactorRefused",
    "RewriteError",
    "SerialError",
    "SourceDecodeError",
    "UnhashableLiteral",
    "UnknownHyperParameterWarning",
    "UnreadableFile",
    "WriteFailed",
    "did_you_mean",
    "error_for",
    "location",
]


def location(path: str | None, line: int | None = None, column: int | None = None) -> str:
    """``path:line:column`` as messages write it (the column 1-based, as compilers and
    editors count), as much of it as is known; ``""`` when nothing is."""
    parts = [] if path is None else [path]
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column + 1))
    return ":".join(parts)


class HpmanError(Exception):
    """Root of every hpman-cst error.

    ``message`` is the bare text; ``str(error)`` prefixes ``path:line:column:`` when the
    location is known.
    """

    def __init__(
        self,
        message: str = "",
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    @property
    def location(self) -> str:
        """``path:line:column`` (column 1-based), as much of it as is known, or ``""``."""
        return location(self.path, self.line, self.column)

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


class HpmanSyntaxError(HpmanError, SyntaxError):
    """A source file that Python cannot parse."""

    def __init__(
        self,
        message: str = "",
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message, path=path, line=line, column=column)
        # Fill SyntaxError's own fields so tracebacks and IDEs point at the spot.
        self.msg = message
        self.filename = path
        self.lineno = line
        self.offset = None if column is None else column + 1

    def fill_from(self, error: SyntaxError) -> None:
        """Take the fields Python's own ``error`` for the same source has (the line's text,
        the offsets, the end position), so a traceback shows the line and a caret."""
        self.text = error.text
        self.offset = error.offset
        self.end_lineno = getattr(error, "end_lineno", None)  # Python 3.10+
        self.end_offset = getattr(error, "end_offset", None)


class SourceDecodeError(HpmanError, UnicodeError):
    """A source file whose bytes do not decode with the encoding Python would use."""


class UnreadableFile(HpmanError, OSError):
    """A source file that exists but cannot be read (permissions, a directory, ...)."""


class PathNotFound(HpmanError, FileNotFoundError):
    """A path given to parse or scan that does not exist."""


class ConfigError(HpmanError, ValueError):
    """A bad ``[tool.hpman]`` table in ``pyproject.toml`` (unknown key, wrong type, TOML
    syntax); ``path`` is the ``pyproject.toml``."""


class NotLiteralNameException(HpmanError):
    """The first argument of a hyper-parameter call is not a string literal."""


class ArgumentCountError(HpmanError):
    """A hyper-parameter call without exactly one or two positional arguments."""


class NotLiteralEvaluable(HpmanError):
    """A hint keyword whose value is not a literal.

    As in hpman, an instance created with no arguments is also the *value* recorded for a
    default that is not a literal (``_("f", compute())``) until the call runs.
    """

    def __repr__(self) -> str:
        return "NotLiteralEvaluable()" if not self.message else super().__repr__()


class UnhashableLiteral(HpmanError, TypeError):
    """A set or dict literal with an unhashable member (``{1, [2]}``)."""


class DoubleAssignmentException(HpmanError):
    """Two different defaults for one hyper-parameter; both places are named."""


class ImpossibleTree(HpmanError, ValueError):
    """A dotted name that would be both a leaf with a value and a branch."""


class InvalidArgument(HpmanError, ValueError):
    """A bad argument to the manager itself: an empty separator, ``get_tree`` of a leaf..."""


class HyperParameterNotFound(HpmanError, KeyError):
    """An unknown hyper-parameter name; the message suggests close names."""

    def __init__(self, name: str, known: Iterable[str] = (), *, reason: str = "not found") -> None:
        super().__init__(f"`{name}` {reason}{did_you_mean(name, known)}")
        self.name = name

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.message


class UnknownHyperParameterWarning(UserWarning):
    """A setter (``set_value``, ``set_values``, ``set_tree``) gave a value to a name the
    parsed code does not contain, or below a leaf with a value (making it a tree). The
    value is stored, as hpman stores it; the message names close names. Make it an error
    with ``warnings.simplefilter("error", UnknownHyperParameterWarning)`` or ``-W
    error::hpman_cst.UnknownHyperParameterWarning``."""


class InvalidHint(HpmanError, ValueError):
    """A hint the front-ends interpret (``choices=``, ``range=``, ``required=``, ``help=``)
    whose value cannot be honoured, e.g. ``range=[1]``."""


class InvalidValue(HpmanError, ValueError):
    """A value (from the command line or a loaded file) that does not convert to the
    hyper-parameter's type or breaks its ``choices=`` / ``range=`` hint."""

    def __init__(self, message: str, *, name: str | None = None, path: str | None = None) -> None:
        super().__init__(message, path=path)
        self.name = name


class SerialError(HpmanError, ValueError):
    """A values file (YAML/JSON) that cannot be read, parsed, written or applied."""


class RefactorRefused(HpmanError):
    """A refactoring command that refuses to run (unknown name, a name already in use, a
    value that is not a literal, ...): nothing is written."""


class RewriteError(HpmanError):
    """A planned rewrite that cannot be proven safe (a file that does not parse, a libcst
    round trip that is not exact, output that fails verification): nothing is written."""


class FileChanged(HpmanError):
    """A file whose bytes changed on disk after they were read: it is not overwritten."""


class WriteFailed(HpmanError):
    """Writing stopped part way (a full disk, a failed rename, an interrupt): each file is
    entirely old or entirely new; ``written`` and ``unwritten`` say which."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        written: tuple[str, ...] = (),
        unwritten: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, path=path)
        self.written = written
        self.unwritten = unwritten


class EmptyValue:
    """Sentinel for "no value": instances never compare equal (hpman semantics)."""

    def __repr__(self) -> str:
        return "EmptyValue()"


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"; did you mean `a` or `b`?"`` for up to three known names closest to ``name``,
    else ``""``: first those differing only in case (``LEARNING_RATE``), then those with
    the same last part in another group or none (``lr`` -> ``optim.lr``), then close
    spellings, case ignored (``learning_rat``); failing all, names of the same group
    starting with the same words (``lr_rate`` -> ``lr``)."""
    import difflib  # only on this error path: importing it costs several milliseconds

    names = sorted(set(known))
    folded = name.casefold()
    leaf = folded.rpartition(".")[2]
    by_fold: dict[str, list[str]] = {}
    for candidate in names:
        by_fold.setdefault(candidate.casefold(), []).append(candidate)
    same_case = by_fold.get(folded, [])
    same_leaf = [n for n in names if n.casefold().rpartition(".")[2] == leaf]
    spelled = difflib.get_close_matches(folded, list(by_fold), n=3, cutoff=0.6)
    close = [n for f in spelled for n in by_fold[f]]
    chosen = list(dict.fromkeys(n for n in [*same_case, *same_leaf, *close] if n != name))[:3]
    if not chosen:
        chosen = _same_words(name, names)[:3]
    if not chosen:
        return ""
    quoted = [f"`{c}`" for c in chosen]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; did you mean {listed}?"


def _same_words(name: str, pool: list[str]) -> list[str]:
    # Names of the same group whose last part starts with the words of `name`'s, or the
    # other way round: `lr_rate` -> `lr`, `optim.lr` -> `optim.lr_max` (too different in
    # length for difflib's ratio).
    group, _, last = name.rpartition(".")
    words = _words(last)
    found = []
    for candidate in pool:
        other_group, _, other_last = candidate.rpartition(".")
        other = _words(other_last)
        shorter = min(len(words), len(other))
        same_start = shorter > 0 and words[:shorter] == other[:shorter]
        if same_start and other_group == group and candidate != name:
            found.append(candidate)
    return found


def _words(name: str) -> list[str]:
    # The words of a name: parts between `_` and `-`.
    return [w for w in name.replace("-", "_").split("_") if w]


#: The error class of each ``ProblemCode``, by the code's name (the enum is not loaded here).
_PROBLEM_ERRORS: dict[str, type[HpmanError]] = {
    "SYNTAX": HpmanSyntaxError,
    "DECODE": SourceDecodeError,
    "UNREADABLE": UnreadableFile,
    "NOT_LITERAL_NAME": NotLiteralNameException,
    "ARGUMENT_COUNT": ArgumentCountError,
    "NOT_LITERAL_HINT": NotLiteralEvaluable,
    "UNHASHABLE": UnhashableLiteral,
}


def error_for(problem: Problem) -> HpmanError:
    """The exception that reports ``problem`` (``raise error_for(p)``): its class follows
    the problem's code, its text is ``path:line:column: message``."""
    cls = _PROBLEM_ERRORS[problem.code.name]
    return cls(problem.message, path=problem.path, line=problem.line, column=problem.column)
