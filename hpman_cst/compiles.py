"""The last proof of a rewritten file: Python compiles it without a new warning.

The syntax tree check cannot see what the tokenizer and the compiler only warn about:
``1if x else y`` parses to the intended tree, but warns (``invalid decimal literal``),
and is an error under ``-W error`` and in later Pythons; ``1 is x`` warns that ``is`` is
used with a literal. The new text is compiled as Python would compile the file, every
warning recorded; one that neither the old text (a file may carry its own ``"\\d"``) nor
a new value on its own (``set-default pat "'\\w+'"`` is written as typed) gives refuses
the file. So does a compile error the old text did not have.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable

from .exceptions import RewriteError

__all__ = ["check_compiles"]

# (kind, message, line): a warning, or the error that stopped compiling.
_Report = tuple[str, str, "int | None"]


def _report(text: str, path: str, mode: str = "exec") -> list[_Report]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            compile(text, path, mode, dont_inherit=True)
            stopped: list[_Report] = []
        except SyntaxError as exc:  # `return` outside a function: ast.parse accepts it
            stopped = [(type(exc).__name__, str(exc.msg), exc.lineno)]
        except (ValueError, RecursionError, MemoryError) as exc:
            stopped = [(type(exc).__name__, str(exc), None)]
    found = [(w.category.__name__, str(w.message), w.lineno) for w in caught]
    return [*found, *stopped]


def check_compiles(path: str, old_text: str, new_text: str, values: Iterable[str]) -> None:
    """Raise :class:`RewriteError` (at the line concerned) when compiling ``new_text``
    gives a warning or an error that neither compiling ``old_text`` nor compiling each
    of the new ``values`` (expressions) alone gives."""
    new = _report(new_text, path)
    if not new:
        return
    old = Counter((kind, message) for kind, message, _ in _report(old_text, path))
    alone: dict[str, list[_Report]] = {}
    for value in values:  # each inlined copy of `"\d"` warns again
        if value not in alone:
            alone[value] = _report(f"(\n{value}\n)", path, "eval")
        old.update((kind, message) for kind, message, _ in alone[value] if kind.endswith("Warning"))
    for kind, message, line in new:
        if old[kind, message]:
            old[kind, message] -= 1
            continue
        what = "warning" if kind.endswith("Warning") else "error"
        raise RewriteError(
            f"the rewritten file would compile with a new {what} ({kind}: {message});"
            " nothing was changed: edit the call sites on this line by hand and run the"
            " command again",
            path=path,
            line=line,
        )
