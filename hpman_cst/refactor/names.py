"""What a rename makes of a name: one rule for the planner and the libcst transformer."""

from __future__ import annotations

__all__ = ["renamed", "renamed_key"]


def renamed(name: str, old: str, new: str) -> str | None:
    """The new name of ``name`` when ``old`` becomes ``new``: ``old`` itself and every
    name in the ``old.`` group (``optim`` renames ``optim.lr``, not ``optimizer``);
    ``None`` for any other name."""
    if name == old:
        return new
    if name.startswith(old + "."):
        return new + name[len(old) :]
    return None


def renamed_key(name: str, scope: str, old: str, new: str) -> str | None:
    """The new text of a literal that writes the part of ``name`` below ``scope`` (a key
    of a ``set_tree`` tree below its parents and prefix, see :class:`records.ApiRef`) when
    ``old`` becomes ``new``; ``None`` when it stays: its name does not move, or a
    renamed parent key or prefix moves it. Raises :class:`ValueError` when the new name
    no longer lies below ``scope`` (``optim.lr`` -> ``lr`` under ``{"optim": {...}}``)."""
    target = renamed(name, old, new)
    if target is None or (scope and renamed(scope, old, new) is not None):
        return None
    if not scope:
        return target
    if not target.startswith(scope + "."):
        raise ValueError(target)
    return target[len(scope) + 1 :]
