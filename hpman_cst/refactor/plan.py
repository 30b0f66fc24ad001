"""Planning the refactoring commands from the ``ast`` index: which spans change to what,
and every refusal. Pure (no I/O, no libcst): a plan is data (:mod:`.edits`); the exact
new texts are made by :mod:`.materialise` once each changing file is read, and
:mod:`.prove` redoes each planned command with libcst to check them.
"""

from __future__ import annotations

import keyword
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Sequence

from ..conflicts import different_defaults_message, first_different_default, is_below
from ..exceptions import RefactorRefused, RewriteError, did_you_mean
from ..new_default import read_new_default
from ..notebook import split_cell_path
from ..quoting import is_valid_name
from ..records import ApiRef, FileIndex, Occurrence, RefForm, Span
from .edits import Command, Edit, EditKind, FilePlan, Plan
from .names import renamed, renamed_key

__all__ = ["plan_remove", "plan_rename", "plan_set_default"]


def _show(text: str | None, width: int = 40) -> str:
    # Source text in a one-line message: blanks and line breaks collapsed, shortened.
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


class _Project:
    """Every occurrence and API reference of the scanned files, in source order."""

    def __init__(self, indexes: Sequence[FileIndex]) -> None:
        broken = next((i for i in indexes if not i.parsed), None)
        if broken is not None:
            problem = broken.problems[0]
            raise RewriteError(
                f"{problem.message} (a file that does not parse may use the name being"
                f" changed: fix it, or leave it out with --exclude {problem.path})",
                path=problem.path,
                line=problem.line,
                column=problem.column,
            )
        self.indexes = indexes
        self.occurrences = sorted(
            (o for i in indexes for o in i.occurrences), key=Occurrence.sort_key
        )
        self.refs = sorted((r for i in indexes for r in i.api_refs), key=ApiRef.sort_key)

    def names(self) -> set[str]:
        return {o.name for o in self.occurrences} | {r.name for r in self.refs if not r.group}

    def defaults_in_hpman_order(self, *names: str) -> list[Occurrence]:
        """The occurrences of ``names`` that give a default, in the order hpman reads
        them (files as scanned, then ``ast.walk`` order), as conflicts are decided."""
        return [o for i in self.indexes for o in i.occurrences if o.name in names and o.has_default]

    def groups(self) -> set[str]:
        named = self.names() | {r.name for r in self.refs if r.group}
        found = {n.rsplit(".", i)[0] for n in named for i in range(1, n.count(".") + 1)}
        return found | {r.name for r in self.refs if r.group}

    def unknown(self, name: str) -> RefactorRefused:
        known = self.names() | self.groups()
        return RefactorRefused(f"unknown hyper-parameter `{name}`{did_you_mean(name, known)}")

    def plan(
        self,
        command: Command,
        reason: str,
        placeholders: Collection[str],
        edits: Iterable[tuple[str, Edit]],
    ) -> Plan:
        by_path: dict[str, list[Edit]] = {}
        for path, edit in edits:
            edit = Edit(edit.span, edit.kind, edit.value, edit.keep, reason, command)
            by_path.setdefault(path, []).append(edit)
        _refuse_notebook_cells(by_path)
        files = []
        for index in self.indexes:
            if index.path in by_path:
                ordered = tuple(sorted(by_path[index.path], key=lambda e: e.span))
                _check_disjoint(index.path, ordered)
                _check_nothing_swallowed(index, ordered)
                files.append(FilePlan(index.path, ordered, index=index))
        return Plan((command,), frozenset(placeholders), tuple(files))


def _refuse_notebook_cells(by_path: dict[str, list[Edit]]) -> None:
    # Notebook cells are indexed (list, check) but no prover checks a notebook edit yet:
    # a command that must change a cell refuses as a whole rather than leave it behind.
    cells = sorted(
        (path, min(edits, key=lambda e: e.span))
        for path, edits in by_path.items()
        if split_cell_path(path) is not None
    )
    if cells:
        path, edit = cells[0]
        raise RefactorRefused(
            "hpman cannot rewrite notebook cells yet (this command would have to change"
            " this one); nothing was changed: edit the cells by hand, or leave notebooks"
            " out with --exclude '*.ipynb'",
            path=path,
            line=edit.span.line,
            column=edit.span.column,
        )


def _inside(inner: Span, outer: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (
        inner.end_line,
        inner.end_column,
    ) <= (outer.end_line, outer.end_column)


def _check_nothing_swallowed(index: FileIndex, edits: Sequence[Edit]) -> None:
    # An edit must not delete another call site: one inside a replaced default, or in a
    # removed call's hints. The edits are disjoint, so each site starts inside at most one
    # edit (or at the end of one and the start of the next): a binary search per edit
    # finds its candidates, and the check costs O(n log n), not sites x edits.
    items: list[Occurrence | ApiRef] = [*index.occurrences, *index.api_refs]
    order = sorted(range(len(items)), key=lambda k: _start(items[k].span))
    starts = [_start(items[k].span) for k in order]
    for edit in edits:
        if edit.kind is EditKind.STRING:
            continue
        end = (edit.span.end_line, edit.span.end_column)
        first = bisect_left(starts, _start(edit.span))
        last = bisect_right(starts, end, lo=first)
        for k in sorted(order[first:last]):  # in the index's order, as reported before
            item = items[k]
            if not _inside(item.span, edit.span):
                continue
            if edit.kind is EditKind.INLINE and item.span == edit.span:
                continue  # the call being inlined (a replaced default may be a call site)
            if edit.keep is not None and _inside(item.span, edit.keep):
                continue
            raise RefactorRefused(
                f"this would delete the call site of `{item.name}` at {item.location}; edit"
                " it by hand",
                path=index.path,
                line=edit.span.line,
                column=edit.span.column,
            )


def _start(span: Span) -> tuple[int, int]:
    return span.line, span.column


def _check_disjoint(path: str, edits: Sequence[Edit]) -> None:
    for before, after in zip(edits, edits[1:]):
        if (after.span.line, after.span.column) < (before.span.end_line, before.span.end_column):
            raise RefactorRefused(
                "a call site of this name sits inside another one; edit it by hand",
                path=path,
                line=after.span.line,
                column=after.span.column,
            )


def plan_rename(
    indexes: Sequence[FileIndex],
    old: str,
    new: str,
    *,
    merge: bool = False,
    placeholders: Collection[str] = ("_",),
) -> Plan:
    """Plan renaming ``old`` (and its ``old.`` group) to ``new``.

    Raises :class:`RefactorRefused` for an invalid or unchanged ``new``, an unknown
    ``old``, or a new name already in use (unless ``merge`` and the defaults agree), and
    :class:`RewriteError` when a scanned file does not parse.
    """
    project = _Project(indexes)
    if not is_valid_name(new):
        raise RefactorRefused(
            f"`{new}` is not a valid hyper-parameter name (identifiers joined by dots, like"
            " `optim.lr`)"
        )
    if new == old:
        raise RefactorRefused(f"`{old}` is already called `{new}`")
    moving = [o for o in project.occurrences if renamed(o.name, old, new) is not None]
    moving_refs = [r for r in project.refs if renamed(r.name, old, new) is not None]
    if not moving and not moving_refs:
        raise project.unknown(old)
    _check_targets(project, old, new, merge)
    edits: list[tuple[str, Edit]] = []
    for occurrence in moving:
        target = renamed(occurrence.name, old, new)
        assert target is not None
        edits.append((occurrence.path, Edit(occurrence.name_span, EditKind.STRING, target)))
    for ref in moving_refs:
        edit = _renamed_ref(ref, old, new)
        if edit is not None:
            edits.append((ref.path, edit))
    return project.plan(
        Command.of("rename", old=old, new=new), f"rename `{old}` to `{new}`", placeholders, edits
    )


def _renamed_ref(ref: ApiRef, old: str, new: str) -> Edit | None:
    """The edit of one API reference's literal (``None``: a renamed parent key or prefix
    moves it); refused where the new name cannot be written there."""
    prefix = f"cannot rename `{old}` to `{new}` at {ref.location}"
    try:
        key = renamed_key(ref.name, ref.scope, old, new)
    except ValueError as exc:
        raise RefactorRefused(
            f"{prefix}: this `{ref.method}` key lies below `{ref.scope}` and the new name"
            f" `{exc}` would not; move the key out of `{ref.scope}` by hand first"
        ) from None
    if key is None:
        return None
    if ref.form is not RefForm.IDENTIFIER:
        return Edit(ref.name_span, EditKind.STRING, key)
    if not _is_keyword_argument(key):
        raise RefactorRefused(
            f"{prefix}: `{key}` cannot be a keyword argument of `dict()`; write that mapping"
            f" as a dict literal ({{'{ref.key}': ...}}) first"
        )
    return Edit(ref.name_span, EditKind.NAME, key)


def _is_keyword_argument(key: str) -> bool:
    # A keyword argument's name is an identifier Python reads as written: not a keyword,
    # not `__debug__` (which no code may assign), and unchanged by the NFKC normalisation
    # the parser applies (`dict(µ=1)` has the key `μ`).
    return (
        key.isidentifier()
        and not keyword.iskeyword(key)
        and key != "__debug__"
        and unicodedata.normalize("NFKC", key) == key
    )


def _check_targets(project: _Project, old: str, new: str, merge: bool) -> None:
    staying = [o for o in project.occurrences if renamed(o.name, old, new) is None]
    staying_refs = [r for r in project.refs if renamed(r.name, old, new) is None and not r.group]
    targets = {renamed(n, old, new): n for n in project.names() if renamed(n, old, new) is not None}
    valued = _values(project)
    items: list[Occurrence | ApiRef] = [*staying, *staying_refs]
    merged: set[str] = set()  # targets whose merge was allowed (it depends on them only)
    for item in items:
        for target, source in targets.items():
            assert target is not None
            if item.name == target:
                if target not in merged:
                    _check_merge(project, source, target, item, merge)
                    merged.add(target)
                continue
            # The registry's rule: a name with a value cannot also be a group; a name
            # that is only read (`_("curses")` beside `_("curses.ascii")`) can.
            if is_below(target, item.name) and item.name in valued:
                raise RefactorRefused(
                    f"cannot rename `{source}` to `{target}`: `{item.name}` has"
                    f" {valued[item.name]}, so it cannot also be the group of `{target}`;"
                    f" choose another new name, or rename `{item.name}` first"
                )
            if is_below(item.name, target) and source in valued:
                raise RefactorRefused(
                    f"cannot rename `{source}` to `{target}`: `{source}` has"
                    f" {valued[source]} and `{item.name}` is in use at {item.location}, so"
                    f" `{target}` would be both a value and a group; choose another new name"
                )


def _values(project: _Project) -> dict[str, str]:
    """Each name that has a value (a default, or a setter of the manager's API) and where
    the first one is, as messages say it: ``"a default at path:line:col"``."""
    found: dict[str, str] = {}
    for o in project.occurrences:
        if o.has_default:
            found.setdefault(o.name, f"a default at {o.location}")
    for r in project.refs:
        if r.method.startswith("set"):
            found.setdefault(r.name, f"a value set at {r.location}")
    return found


def _check_merge(
    project: _Project, source: str, target: str, existing: Occurrence | ApiRef, merge: bool
) -> None:
    differ = first_different_default(project.defaults_in_hpman_order(source, target))
    if merge and differ is None:
        return
    message = (
        f"cannot rename `{source}` to `{target}`: `{target}` is already in use at"
        f" {existing.location}"
    )
    if differ is not None:
        first, other = differ
        message += (
            f" with a different default (`{_show(first.default)}` at {first.location},"
            f" `{_show(other.default)}` at {other.location})"
        )
    else:
        message += "; pass --merge to merge them (their defaults agree)"
    raise RefactorRefused(message)


def _occurrences_of(project: _Project, name: str) -> list[Occurrence]:
    found = [o for o in project.occurrences if o.name == name]
    if found:
        return found
    members = sorted(n for n in project.names() if n.startswith(name + "."))
    if members:
        listed = ", ".join(members[:3]) + (", ..." if len(members) > 3 else "")
        raise RefactorRefused(f"`{name}` is a group ({listed}); name one hyper-parameter")
    raise project.unknown(name)


def plan_set_default(
    indexes: Sequence[FileIndex],
    name: str,
    value: str,
    *,
    placeholders: Collection[str] = ("_",),
    allow_type_change: bool = False,
    expression: bool = False,
) -> Plan:
    """Plan replacing every default of ``name`` with ``value``, read as
    :func:`~hpman_cst.new_default.read_new_default` says: a Python literal of the
    default's type written as given, a bare word for a string, ``false`` for a bool;
    another type only with ``allow_type_change``; any expression with ``expression``.

    Raises :class:`RefactorRefused` for an unknown name, a name without default, a value
    that is not a literal (without ``expression``), of another type, or outside a
    ``range``/``choices`` hint.
    """
    project = _Project(indexes)
    occurrences = _occurrences_of(project, name)
    defined = [o for o in occurrences if o.has_default]
    if not defined:
        raise RefactorRefused(
            f"`{name}` has no default to replace (it is only read, at {occurrences[0].location})"
        )
    new = read_new_default(
        name, value, occurrences, allow_type_change=allow_type_change, expression=expression
    )
    kind = EditKind.STRING if new.as_string else EditKind.EXPRESSION
    edits = [(o.path, Edit(o.default_span, kind, new.text)) for o in defined if o.default_span]
    command = Command.of("set-default", name=name, value=new.text, kind=kind.value)
    return project.plan(command, f"set the default of `{name}`", placeholders, edits)


def plan_remove(
    indexes: Sequence[FileIndex], name: str, *, placeholders: Collection[str] = ("_",)
) -> Plan:
    """Plan inlining ``name`` away: each call site becomes its default's source text.

    Raises :class:`RefactorRefused` when ``name`` is unknown or a group, has no default,
    has conflicting defaults, a starred default, a non-literal default also read
    elsewhere, or is still set or queried through the manager's API.
    """
    project = _Project(indexes)
    occurrences = _occurrences_of(project, name)
    defined = [o for o in occurrences if o.has_default]
    refs = [r for r in project.refs if r.covers(name)]
    prefix = f"cannot remove `{name}`"
    if not defined:
        raise RefactorRefused(
            f"{prefix}: it has no default to inline (it is only read, at {occurrences[0].location})"
        )
    first = defined[0]
    # The conflict as hpman list and the runtime report it: in hpman's order.
    differ = first_different_default(project.defaults_in_hpman_order(name))
    if differ is not None:
        raise RefactorRefused(
            f"{prefix}: {differ[1].location}: {different_defaults_message(*differ)}"
        )
    starred = next((o for o in defined if (o.default or "").startswith("*")), None)
    if starred is not None:
        raise RefactorRefused(f"{prefix}: its default at {starred.location} is starred")
    for ref in sorted(refs, key=lambda r: (r.name != name, r.sort_key())):
        if ref.method != "get_value":
            what = f"its group `{ref.name}`" if ref.name != name else "it"
            raise RefactorRefused(f"{prefix}: `.{ref.method}` still uses {what} at {ref.location}")
    reads: list[Occurrence | ApiRef] = [*[o for o in occurrences if o is not first], *refs]
    if not first.is_literal and reads:
        raise RefactorRefused(
            f"{prefix}: its default `{_show(first.default)}` is not a literal and it is also read"
            f" at {reads[0].location}"
        )
    default = first.default or ""
    edits = [
        (o.path, Edit(o.span, EditKind.INLINE, o.default or default, o.default_span))
        for o in occurrences
    ]
    edits += [(r.path, Edit(r.span, EditKind.INLINE, default)) for r in refs]
    command = Command.of("remove", name=name, default=default)
    return project.plan(command, f"remove `{name}`", placeholders, edits)
