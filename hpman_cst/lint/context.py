"""What the rules of ``hpman check`` read beyond the registry: the files scanned (for the
calls static parsing cannot see), the placeholders, the saved runs given with
``--config``, and how near-duplicate names are compared.

A rule asks for an attribute with :func:`getattr` and a default, so that a subject with
only a registry (a test's, the language server's) still runs every rule it can.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..formats.run_keys import RunKey
from ..near_names import Normalisation
from .rule import Subject

__all__ = ["Run", "files_of", "near_rules_of", "placeholders_of", "runs_of", "source_of"]


@dataclass(frozen=True)
class Run:
    """A saved run read for the drift check: its path, top-level keys and text (``text``
    without a BOM; ``data`` the bytes read, for a fix)."""

    path: str
    keys: tuple[RunKey, ...] = field(default=())
    text: str = ""
    data: bytes = b""


def files_of(subject: Subject) -> Sequence[str]:
    """The Python files of ``subject`` (none when it does not say)."""
    files: Sequence[str] = getattr(subject, "files", ())
    return files


def placeholders_of(subject: Subject) -> Sequence[str]:
    """The placeholders looked for (``_`` when the subject does not say)."""
    placeholders: Sequence[str] = getattr(subject, "placeholders", ("_",))
    return placeholders


def source_of(subject: Subject, path: str) -> str | None:
    """The decoded text of ``path`` as the subject has it (``None``: not readable)."""
    reader = getattr(subject, "source", None)
    if reader is None:
        return None
    text: str | None = reader(path)
    return text


def runs_of(subject: Subject) -> Sequence[Run]:
    """The saved runs given to check against the code."""
    runs: Sequence[Run] = getattr(subject, "runs", ())
    return runs


def near_rules_of(subject: Subject) -> Normalisation:
    """How the subject compares names (the default :class:`Normalisation` otherwise)."""
    rules: Normalisation = getattr(subject, "near_names", None) or Normalisation()
    return rules
