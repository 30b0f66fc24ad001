"""The rewriting commands' libcst transformers: one per command, set up by its
constructor, each changing only the arguments (or, for ``remove``, the whole call) of the
call sites it matches."""

from __future__ import annotations

from .remove import RemoveTransformer
from .rename import RenameTransformer
from .set_default import SetDefaultTransformer

__all__ = ["RemoveTransformer", "RenameTransformer", "SetDefaultTransformer"]
