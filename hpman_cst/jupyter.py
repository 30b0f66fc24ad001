"""Keeping the manager bound to ``_`` in IPython and Jupyter.

IPython binds ``_``, ``__`` and ``___`` to the last outputs it displayed. It leaves them
alone once the user has bound them, but before IPython 9.18 that check is fooled when the
first output displayed after ``from hpman_cst.m import _`` is the manager itself: the
next output then replaces the manager, and ``_("lr", 0.1)`` fails. ``runtime`` calls
:func:`keep_managers_bound` when ``hpman_cst.m`` is imported in a process where IPython is
loaded; it registers two cell hooks that put a manager back when the display hook has
replaced it. Stdlib only; IPython is never imported here.
"""

from __future__ import annotations

import sys

from .runtime import HyperParameterManager

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ManagerGuard", "keep_managers_bound"]

#: The names IPython's display hook rebinds.
UNDERS = ("_", "__", "___")

_MISSING = object()


class ManagerGuard:
    """The two cell hooks of one IPython shell: :meth:`before` notes which of ``_``,
    ``__`` and ``___`` are managers; :meth:`after` puts back each one that the display
    hook replaced by an output (a value the user assigned is left alone, unless it is
    also the output the cell displayed: the two cannot be told apart)."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.bound: dict[str, HyperParameterManager] = {}

    def before(self, info: object = None) -> None:
        """``pre_run_cell``: remember the managers bound to the display hook's names."""
        namespace = self.shell.user_ns
        self.bound = {
            name: value
            for name in UNDERS
            if isinstance(value := namespace.get(name), HyperParameterManager)
        }

    def after(self, result: object = None) -> None:
        """``post_run_cell``: rebind each remembered manager the display hook replaced."""
        namespace = self.shell.user_ns
        display = getattr(self.shell, "displayhook", None)
        for name, manager in self.bound.items():
            value = namespace.get(name, _MISSING)
            if value is not manager and value is getattr(display, name, _MISSING):
                namespace[name] = manager


def keep_managers_bound() -> ManagerGuard | None:
    """Register a :class:`ManagerGuard` with the running IPython shell (once per shell);
    returns it, or ``None`` outside IPython."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    if shell is None or getattr(shell, "events", None) is None:
        return None  # IPython is loaded but no shell runs (a plain script imported it)
    events = shell.events
    guard: ManagerGuard | None = getattr(shell, "_hpman_cst_guard", None)
    if guard is None:
        guard = ManagerGuard(shell)
        events.register("pre_run_cell", guard.before)
        events.register("post_run_cell", guard.after)
        shell._hpman_cst_guard = guard
    return guard
