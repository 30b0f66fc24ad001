"""Safe fixes of saved runs: a key renamed where the code's rename is certain (R001), as a
plan of text edits that is materialised (spliced), proven (the run read back holds the
same keys and values but the renamed one) and written atomically, all runs before any.

The run is edited in place: only the key's text changes, in the quoting it had; comments,
order, spacing, newlines and a BOM stay.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .exceptions import RewriteError, SerialError
from .formats.positions import LineStarts
from .formats.run_keys import RunKey, read_run_text
from .literals import same_value as same
from .records import Span
from .refactor.edits import Command, Edit, EditKind, FileKind, FilePlan
from .serial import Format, format_for
from .source import atomic_write

__all__ = ["FixedRun", "fix_runs", "key_rename", "materialise", "prove", "write"]

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BOM = "\ufeff"


def _key_text(old_text: str, new_key: str, format: Format) -> str:
    """``new_key`` written as ``old_text`` (the key as it stood) was: plain, single- or
    double-quoted in YAML; a JSON string in JSON."""
    if format == "json":
        return json.dumps(new_key, ensure_ascii=False)
    if old_text.startswith("'"):
        return "'" + new_key.replace("'", "''") + "'"
    if old_text.startswith('"') or _PLAIN.fullmatch(new_key) is None:
        return json.dumps(new_key, ensure_ascii=False)
    return new_key


def key_rename(path: str, text: str, key: RunKey, new_name: str) -> FilePlan | None:
    """The plan renaming ``key`` (of the run at ``path``, whose text is ``text``) to
    ``new_name``, or ``None`` when the key cannot say it in place (the new name is in
    another group than the one the key sits in)."""
    group = key.name[: len(key.name) - len(key.key)]
    if not new_name.startswith(group) or len(new_name) == len(group):
        return None
    fmt = format_for(path)
    lines = LineStarts(text)
    start = lines.offset(key.line, key.column)
    end = lines.offset(key.end_line, key.end_column)
    new_text = _key_text(text[start:end], new_name[len(group) :], fmt)
    span = Span(key.line, key.column, key.end_line, key.end_column)
    command = Command.of("rename-key", old=key.name, new=new_name)
    reason = f"rename `{key.name}` to `{new_name}`"
    kind = FileKind.JSON if fmt == "json" else FileKind.YAML
    return FilePlan(
        path, (Edit(span, EditKind.EXPRESSION, new_text, reason=reason, command=command),), kind
    )


def materialise(text: str, plan: FilePlan) -> str:
    """``text`` with the edits of ``plan`` spliced in (each edit's value as written)."""
    lines = LineStarts(text)
    pieces = []
    position = 0
    for edit in plan.edits:
        start = lines.offset(edit.span.line, edit.span.column)
        end = lines.offset(edit.span.end_line, edit.span.end_column)
        pieces += [text[position:start], edit.value]
        position = end
    return "".join(pieces) + text[position:]


def _flat(keys: Sequence[RunKey]) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for key in keys:
        if key.children is None:
            found.append((key.name, key.value))
        else:
            found += _flat(key.children) or [(key.name, key.value)]
    return found


def prove(path: str, old_text: str, new_text: str, plan: FilePlan) -> None:
    """Raise :class:`RewriteError` unless ``new_text`` reads as ``old_text`` does with
    exactly the planned keys renamed: same names otherwise, same order, same values."""
    fmt = format_for(path)
    renames = {e.command["old"]: e.command["new"] for e in plan.edits if e.command is not None}
    try:
        before = _flat(read_run_text(old_text.lstrip(_BOM), fmt, path))
        after = _flat(read_run_text(new_text.lstrip(_BOM), fmt, path))
    except SerialError as exc:
        raise RewriteError(f"the fixed run would not read back: {exc}", path=path) from None
    expected = [(_renamed(name, renames), value) for name, value in before]
    if len(after) != len(expected) or any(
        a[0] != e[0] or not same(a[1], e[1]) for a, e in zip(after, expected)
    ):
        raise RewriteError(
            "the fixed run would not hold the same values: nothing written", path=path
        )


def _renamed(name: str, renames: dict[str, str]) -> str:
    for old, new in renames.items():
        if name == old or name.startswith(old + "."):
            return new + name[len(old) :]
    return name


def fix_runs(plans: Sequence[FilePlan], runs: Sequence[tuple[str, str, bytes]]) -> list[FixedRun]:
    """Materialise and prove the ``plans`` (several for one file are merged) of the runs
    ``(path, text, bytes)``, every one before returning any. Raises
    :class:`RewriteError` when a plan cannot be proven (then nothing may be written), and
    :class:`~hpman_cst.exceptions.RefactorRefused` for overlapping edits."""
    merged: dict[str, FilePlan] = {}
    for plan in plans:
        merged[plan.path] = merged[plan.path] | plan if plan.path in merged else plan
    fixed = []
    for path, text, data in runs:
        if path not in merged:
            continue
        new_text = materialise(text, merged[path])
        prove(path, text, new_text, merged[path])
        fixed.append(FixedRun(path, text, new_text, data))
    return fixed


@dataclass(frozen=True)
class FixedRun:
    """A run file and its text before and after the fixes (what a diff shows)."""

    path: str
    old_text: str
    new_text: str
    old_bytes: bytes


def write(fixed: Sequence[FixedRun]) -> None:
    """Replace each run with its new text (UTF-8, its BOM kept), each atomically and only
    if it still holds the bytes it was read from."""
    for run in fixed:
        bom = b"\xef\xbb\xbf" if run.old_bytes.startswith(b"\xef\xbb\xbf") else b""
        atomic_write(run.path, bom + run.new_text.encode("utf-8"), expect=run.old_bytes)
