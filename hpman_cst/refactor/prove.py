"""Prove: a file's materialised edits checked by the prover of its kind before anything
is written (:data:`PROVERS`; YAML, JSON or notebook provers join it by file kind).

The Python prover (:func:`prove_python`), for a file the plan changes (and only those:
libcst never sees the others):

1. check that the file still indexes as it did when the plan was made;
2. materialise the planned edits and splice them into the decoded text;
3. redo each planned command with its libcst transformer, on the statements around its
   edits, and require the output to equal the splice of that command's edits
   (:func:`hpman_cst.cst.agree.agree`): the commands of a merged plan are proven one by
   one, their edits being disjoint;
4. re-encode (same encoding, BOM and newlines), re-index and compare with the intended
   call sites, and compare the new syntax tree with the intended one;
5. compile the new text: no warning or error that the old text does not give.

Any failure raises :class:`~hpman_cst.exceptions.RewriteError` (or
:class:`~hpman_cst.exceptions.RefactorRefused` for an edit that cannot be written) naming
the file.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from ..compiles import check_compiles
from ..cst.agree import agree, transformer
from ..exceptions import RefactorRefused, RewriteError, SourceDecodeError
from ..index import index_source, index_tree
from ..source import ast_parse, decode
from .edits import Change, Command, EditKind, FileKind, FilePlan
from .materialise import Replacement, changed_ranges, escaped, resolve, splice
from .python_proofs import check_ast, check_index

__all__ = ["PROVERS", "Prover", "prove", "prove_python"]

#: A prover: the file's plan, its bytes now and the plan's placeholders -> the proven change.
Prover = Callable[[FilePlan, bytes, frozenset[str]], Change]

# Edits that put a name where a name was (a string literal, a keyword of dict()): the
# tokens around stay apart and no new warning can come of them, so the file is not
# compiled once more (that costs about a sixth of a rename).
_RENAMING = frozenset({EditKind.STRING, EditKind.NAME})


def prove(file: FilePlan, data: bytes, placeholders: Collection[str]) -> Change:
    """``file``'s rewrite of ``data``, proven by the prover of its kind; raises
    :class:`RewriteError` when no prover checks such files or a check fails."""
    prover = PROVERS.get(file.kind)
    if prover is None:
        raise RewriteError(
            f"no prover checks {file.kind.value} files yet; nothing was changed", path=file.path
        )
    return prover(file, data, frozenset(placeholders))


def prove_python(file: FilePlan, data: bytes, placeholders: frozenset[str]) -> Change:
    """Rewrite one Python file's ``data`` as planned, with every check; raises
    :class:`RewriteError` (naming the file) when any check fails."""
    path = file.path
    if file.index is None:
        raise RewriteError("a Python file's plan holds its index (a bug: report it)", path=path)
    changed = RewriteError(
        "the file changed since it was scanned; run the command again", path=path
    )
    try:
        text, encoding = decode(data, path)
        old_tree = ast_parse(text, path)
    except (SourceDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        raise changed from None  # the file decoded and parsed when it was scanned
    if index_tree(old_tree, text, path, placeholders) != file.index:
        raise changed
    if text.encode(encoding) != data:
        raise RewriteError(
            f"the file does not re-encode exactly as {encoding} (its bytes would change);"
            " nothing was changed: edit its call sites by hand",
            path=path,
        )
    try:
        replacements = resolve(text, file)
    except (RewriteError, RefactorRefused) as exc:
        raise type(exc)(exc.message, path=path, line=exc.line, column=exc.column) from None
    new_text = splice(text, replacements)
    # Calls of a placeholder bound to something else are not call sites here.
    wanted = placeholders - {r.placeholder for r in file.index.rebound}
    for command, group in _by_command(path, replacements).items():
        agree(text, old_tree, path, encoding, group, transformer(command, wanted))
    try:
        new = new_text.encode(encoding)
    except UnicodeEncodeError:  # `rename lr λ` in a latin-1 file: `"\u03bb"`, or refused
        replacements = escaped(path, text, replacements, encoding)
        new_text = splice(text, replacements)
        new = new_text.encode(encoding)
    # (No edit changes how the new bytes decode: a cookie counts in a comment on line 1,
    # or on line 2 after a blank or comment line 1 (see source.decode), and an edit
    # replaces an expression, which leaves code on its lines.)
    try:
        new_tree = ast_parse(new_text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        check_index(file, text, new_text, index_source(new_text, path, placeholders), replacements)
        raise  # pragma: no cover - check_index reports the syntax error
    new_index = index_tree(new_tree, new_text, path, placeholders)
    check_index(file, text, new_text, new_index, replacements)
    check_ast(path, text, new_text, replacements, (old_tree, new_tree))
    if any(r.edit.kind not in _RENAMING for r in replacements):
        check_compiles(path, text, new_text, (r.new for r in replacements))
    sites = sum(
        1
        for r in replacements
        if r.new != text[r.start : r.end] and r.edit.kind is not EditKind.INSERT
    )
    edits = changed_ranges(text, replacements)
    return Change(path, data, new, text, new_text, sites, edits)


#: The prover of each kind of file.
PROVERS: dict[FileKind, Prover] = {FileKind.PYTHON: prove_python}


def _by_command(path: str, replacements: list[Replacement]) -> dict[Command, list[Replacement]]:
    """``replacements`` grouped by the command that planned them, in order."""
    grouped: dict[Command, list[Replacement]] = {}
    for r in replacements:
        if r.edit.command is None:
            raise RewriteError(
                "an edit without the command that planned it cannot be proven (a bug: report"
                " it); nothing was changed",
                path=path,
            )
        grouped.setdefault(r.edit.command, []).append(r)
    return grouped
