"""The lines a rewriting command prints on stderr besides its diff, as strings: the
summary of the changes (as ``black`` and ``ruff`` do), and the warning about calls whose
name is not a string literal. The command line prints them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .exceptions import location
from .records import FileIndex, ProblemCode
from .render import display_path

__all__ = ["Counted", "change_summary", "unknown_names_warning"]


class Counted(Protocol):
    """A changed file as a summary counts it: its path and how many places changed."""

    @property
    def path(self) -> str: ...

    @property
    def sites(self) -> int: ...


def change_summary(changes: Sequence[Counted], action: str, unit: str = "call site") -> list[str]:
    """The summary of ``changes`` for ``action`` (``diff``, ``write`` or ``check``; each
    change's ``sites`` counted as ``unit``): with ``check``, each file that would change
    (as ``black --check``), then the counts."""
    lines = []
    if action == "check":
        lines += [f"would rewrite {display_path(change.path)}" for change in changes]
    files, sites = len(changes), sum(c.sites for c in changes)
    counts = f"{files} file{'s' * (files != 1)}"
    detail = f", {sites} {unit}{'s' * (sites != 1)}" if files else ""
    if action == "write":
        lines.append(f"{counts} changed{detail}")
    else:
        hint = "; nothing written (use --write to apply)" if action == "diff" and files else ""
        lines.append(f"{counts} would change{detail}{hint}")
    return lines


def unknown_names_warning(indexes: Sequence[FileIndex], name: str) -> str | None:
    """A warning naming the calls whose name is not a string literal (``_(key)``, and API
    calls such as ``_.get_value(key)`` or ``_.set_values(config)``), which may mean
    ``name`` and were left as they are; ``None`` when there are none."""
    unknown = [
        (p.path, p.line or 0, p.column or 0)
        for i in indexes
        for p in i.problems
        if p.code is ProblemCode.NOT_LITERAL_NAME
    ]
    unknown += [(r.path, r.span.line, r.span.column) for i in indexes for r in i.dynamic_refs]
    if not unknown:
        return None
    where = location(*min(unknown))
    calls = f"{len(unknown)} call{'s' * (len(unknown) != 1)}"
    return (
        f"hpman: warning: {calls} with a name that is not a string literal, left as"
        f" {'they are' if len(unknown) != 1 else 'it is'} (first: {where}):"
        f" check that none means `{name}`"
    )
