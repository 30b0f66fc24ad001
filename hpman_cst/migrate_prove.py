"""``hpman migrate``, one file: plan the import edits, make the new text twice (the
planned edits spliced into the text, and libcst's :class:`MigrateTransformer`), and prove
that they agree and that the file changed only in its import statements.

The proofs (:func:`check_imports_only`), before anything is written:

* every edit lies inside an ``import`` or ``from ... import`` statement;
* the new text is the old one with exactly those edits: every byte outside them is
  where it was;
* the new syntax tree is the old one with each rewritten import as planned (module names
  and aliases), and nothing else.

Then the new text must encode back to the file's encoding and decode to itself, as for
every rewrite (:mod:`hpman_cst.refactor.prove`).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from .cst.agree import by_regions, whole
from .cst.transforms.migrate import MigrateTransformer
from .exceptions import RewriteError, SourceDecodeError
from .migrate import FileMigration, Note, expected_tree, mentions_originals, plan_migration
from .refactor.edits import Change, Edit, EditKind
from .refactor.materialise import Replacement, splice
from .source import SourceText, ast_parse, decode

__all__ = ["check_imports_only", "migrate_file"]

_EXCLUDE_HINT = "; fix it or leave it out with --exclude"


def migrate_file(path: str, data: bytes) -> tuple[Change | None, tuple[Note, ...]]:
    """The proven migration of the file ``path`` holding ``data`` (``None`` when nothing
    changes) and its notes. Raises :class:`RewriteError` (naming the file) when the file
    may import hpman but does not decode or parse, or when a proof fails."""
    if not mentions_originals(data):
        return None, ()
    try:
        text, encoding = decode(data, path)
    except SourceDecodeError as exc:
        if not mentions_originals(data.decode("latin-1")):  # its bytes never spell one
            return None, ()
        raise RewriteError(
            f"{exc.message}{_EXCLUDE_HINT} {path}", path=path, line=exc.line, column=exc.column
        ) from None
    if not mentions_originals(text):
        return None, ()
    try:
        tree = ast_parse(text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        line = exc.lineno if isinstance(exc, SyntaxError) else None
        # SyntaxError.offset is 1-based and, for str input, counts code points
        offset = exc.offset if isinstance(exc, SyntaxError) else None
        column = offset - 1 if line and offset else None
        message = exc.msg if isinstance(exc, SyntaxError) else "cannot parse this file"
        raise RewriteError(
            f"{message}{_EXCLUDE_HINT} {path}", path=path, line=line, column=column
        ) from None
    migration = plan_migration(path, text, tree)
    if not migration.edits:
        return None, migration.notes
    source = SourceText(text)
    replacements = [
        Replacement(
            Edit(e.span, EditKind.EXPRESSION, e.new),
            source.offset(e.span.line, e.span.column),
            source.offset(e.span.end_line, e.span.end_column),
            e.new,
        )
        for e in migration.edits
    ]
    spliced = splice(text, replacements)
    new_text = by_regions(text, tree, path, replacements, MigrateTransformer)
    if new_text != spliced:
        new_text = whole(text, path, encoding, MigrateTransformer)
    if new_text != spliced:
        raise RewriteError(
            "libcst and the planner disagree about this file's imports; nothing was changed",
            path=path,
        )
    check_imports_only(path, text, new_text, replacements, migration)
    try:
        new = new_text.encode(encoding)
        same = decode(new, path)[0] == new_text
    except (UnicodeEncodeError, SourceDecodeError):
        same = False
    if not same:
        message = f"the migrated file would not encode back as {encoding}; nothing was changed"
        raise RewriteError(message, path=path)
    return Change(path, data, new, text, new_text, len(migration.edits)), migration.notes


def _import_ranges(source: SourceText, tree: ast.Module) -> list[tuple[int, int]]:
    ranges = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            end_line = node.end_lineno or node.lineno
            start = source.offset(node.lineno, source.char_column(node.lineno, node.col_offset))
            end_column = source.char_column(end_line, node.end_col_offset or 0)
            ranges.append((start, source.offset(end_line, end_column)))
    return ranges


def check_imports_only(
    path: str,
    old_text: str,
    new_text: str,
    replacements: Sequence[Replacement],
    migration: FileMigration,
) -> None:
    """Raise :class:`RewriteError` unless ``new_text`` differs from ``old_text`` only by
    ``replacements``, each inside an import statement, and parses to the old syntax tree
    with the imports rewritten as ``migration`` intends."""

    def refuse(what: str) -> RewriteError:
        return RewriteError(f"{what}; nothing was changed", path=path)

    old_source = SourceText(old_text)
    try:
        old_tree = ast_parse(old_text, path)
        new_tree = ast_parse(new_text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise refuse("the migrated file would not parse") from None
    imports = _import_ranges(old_source, old_tree)
    for r in replacements:
        if not any(start <= r.start and r.end <= end for start, end in imports):
            raise refuse("an edit lies outside the import statements")
    old_position = new_position = 0
    for r in replacements:
        kept = old_text[old_position : r.start]
        if not new_text.startswith(kept + r.new, new_position):
            raise refuse("the migrated file differs outside its import statements")
        new_position += len(kept) + len(r.new)
        old_position = r.end
    if old_text[old_position:] != new_text[new_position:]:
        raise refuse("the migrated file differs outside its import statements")
    wanted = expected_tree(old_tree, old_source, migration)
    if ast.dump(wanted) != ast.dump(new_tree):
        raise refuse("the migrated file's syntax tree differs from the intended one")
