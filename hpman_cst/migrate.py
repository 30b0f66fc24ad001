"""``hpman migrate``: what moving a file from hpman 0.13 and hpargparse 0.14 to hpman-cst
changes. Pure (no I/O): :mod:`hpman_cst.migrate_prove` makes and proves the new text.

Only imports change, and only the module names in them:

=================================================  =============================================
``from hpman.m import _`` (any name, aliases)      ``from hpman_cst.m import _``
``from hpman import X``, ``from hpman.hpm import   ``from hpman_cst import X`` (every public name
X``, ``hpman.hpm_db``, ``hpman.primitives``        of those modules that hpman-cst has)
``import hpman``, ``import hpman.m``               ``import hpman_cst as hpman`` (``hpman.m``,
                                                   ``hpman.HyperParameterManager`` keep working)
``import hpman as h``, ``import hpman.m as m``     ``import hpman_cst as h``, ``import
                                                   hpman_cst.m as m``
``import hpargparse`` (``as h``)                   ``import hpman_cst.hpargparse as hpargparse``
``from hpargparse import bind``                    ``from hpman_cst.hpargparse import bind``
=================================================  =============================================

A name or module with no hpman-cst counterpart (hpman's ``SourceHelper``, the typing
aliases of ``hpman.primitives``, ``hpargparse.hputils``...) leaves its import statement as
it was and becomes a :class:`Note` with its location, as does an attribute without a
counterpart reached through a rewritten module (``hpargparse.hputils.StringAsDefault``).
"""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .exceptions import RewriteError, location
from .records import Span
from .source import SourceText

__all__ = [
    "FileMigration",
    "ImportEdit",
    "Note",
    "Target",
    "from_target",
    "import_target",
    "mentions_originals",
    "plan_migration",
]

#: The top-level packages being replaced.
ORIGINALS = ("hpman", "hpargparse")


@dataclass(frozen=True)
class Target:
    """The hpman-cst module standing for an original one, and the names it provides
    (``None``: any identifier but a dunder, as ``hpman_cst.m`` gives any manager)."""

    module: str
    names: frozenset[str] | None

    def provides(self, name: str) -> bool:
        if self.names is None:  # hpman_cst.m's rule: any name but a dunder (`__` is fine)
            return not (name.startswith("__") and name.endswith("__") and name.strip("_"))
        return name == "*" or name in self.names


def _package_names() -> frozenset[str]:
    import hpman_cst  # the package itself: cheap, it loads none of its modules

    return frozenset(hpman_cst.__all__) | {"m"}


_PACKAGE = Target("hpman_cst", _package_names())
_ARGPARSE = Target("hpman_cst.hpargparse", frozenset({"bind"}))

#: Every original module that has a counterpart. hpman's ``hpm``, ``hpm_db`` and
#: ``primitives`` all stand for the package, which exports their public names.
TARGETS: dict[str, Target] = {
    "hpman": _PACKAGE,
    "hpman.hpm": _PACKAGE,
    "hpman.hpm_db": _PACKAGE,
    "hpman.primitives": _PACKAGE,
    "hpman.m": Target("hpman_cst.m", None),
    "hpargparse": _ARGPARSE,
    "hpargparse.hputils": _ARGPARSE,
}

#: ``import X`` without ``as``: the hpman-cst module the bound name (``X``'s first part)
#: then stands for. ``import hpman.m`` binds ``hpman``, used as ``hpman.m._``.
_BARE_IMPORTS = {"hpman": "hpman", "hpman.m": "hpman", "hpargparse": "hpargparse"}


def is_original(module: str) -> bool:
    """Whether ``module`` is hpman, hpargparse or one of their submodules."""
    return module.partition(".")[0] in ORIGINALS


def mentions_originals(text: str | bytes) -> bool:
    """Whether ``text`` could import an original package at all (a cheap pre-check; in
    non-ASCII text, identifiers count as Python reads them, NFKC-normalised)."""
    if isinstance(text, bytes):
        return not text.isascii() or any(name.encode() in text for name in ORIGINALS)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return any(name in text for name in ORIGINALS)


def import_target(dotted: str, asname: str | None) -> tuple[str, str | None] | None:
    """For ``import dotted [as asname]``: the new ``(module, asname)`` (the asname added
    where the bound name must stay), or ``None`` when it stays as it is."""
    if not is_original(dotted):
        return None
    if asname is not None:
        target = TARGETS.get(dotted)
        return None if target is None else (target.module, asname)
    bound = _BARE_IMPORTS.get(dotted)
    if bound is None:
        return None
    return TARGETS[bound].module, bound


def from_target(module: str | None, level: int, names: list[str]) -> str | None:
    """For ``from module import names``: the new module, or ``None`` when the statement
    stays as it is (not an original, or a name without counterpart)."""
    if level or module is None or not is_original(module):
        return None
    target = TARGETS.get(module)
    if target is None or not all(target.provides(name) for name in names):
        return None
    return target.module


@dataclass(frozen=True)
class Note:
    """Something ``migrate`` left as it was, with where."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{location(self.path, self.line, self.column)}: note: {self.message}"


@dataclass(frozen=True)
class ImportEdit:
    """Replace the module name at ``span`` (with its ``as`` part when ``alias``) by
    ``new``; ``statement`` is the import statement that holds it."""

    span: Span
    new: str
    statement: Span


@dataclass(frozen=True)
class FileMigration:
    """The edits and notes of one file; ``imports`` maps each rewritten statement's span
    to what its module names become (see :func:`expected_tree`)."""

    path: str
    edits: tuple[ImportEdit, ...]
    notes: tuple[Note, ...]
    imports: tuple[tuple[Span, tuple[tuple[int, str, str | None], ...]], ...]


_WS = r"(?:[ \t\f]|\\(?:\r\n|\r|\n))*"
_NAME = r"[^\W\d]\w*"
_DOTTED = re.compile(rf"{_NAME}(?:{_WS}\.{_WS}{_NAME})*")
_SPACE = re.compile(_WS)
_AS = re.compile(rf"{_WS}as{_WS}({_NAME})")
_COMMA = re.compile(rf"{_WS},")
_BLANKS = re.compile(r"[ \t\f]|\\(?:\r\n|\r|\n)")


def plan_migration(path: str, text: str, tree: ast.Module) -> FileMigration:
    """The edits and notes of ``text`` (parsed as ``tree``). Raises :class:`RewriteError`
    when an import's text cannot be matched to its syntax tree (short of a bug, never)."""
    planner = _Planner(path, text)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            planner.import_from(node)
        elif isinstance(node, ast.Import):
            planner.import_(node)
        elif isinstance(node, ast.Call):
            planner.dynamic_import(node)
    planner.attributes(tree)
    edits = tuple(sorted(planner.edits, key=lambda e: (e.span.line, e.span.column)))
    notes = tuple(sorted(set(planner.notes), key=lambda n: (n.line, n.column, n.message)))
    return FileMigration(path, edits, notes, tuple(planner.imports))


class _Planner:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.source = SourceText(text)
        self.edits: list[ImportEdit] = []
        self.notes: list[Note] = []
        self.imports: list[tuple[Span, tuple[tuple[int, str, str | None], ...]]] = []
        # names bound to rewritten modules, each to every one an import binds it to
        self.bound: dict[str, list[Target]] = {}

    def _span(self, node: ast.stmt | ast.expr) -> Span:
        source = self.source
        end_line = node.end_lineno or node.lineno
        end_column = node.end_col_offset if node.end_col_offset is not None else 0
        return Span(
            node.lineno,
            source.char_column(node.lineno, node.col_offset),
            end_line,
            source.char_column(end_line, end_column),
        )

    def note(self, node: ast.stmt | ast.expr, message: str) -> None:
        span = self._span(node)
        self.notes.append(Note(self.path, span.line, span.column, message))

    def _refuse(self, node: ast.stmt, what: str) -> RewriteError:
        span = self._span(node)
        return RewriteError(
            f"cannot locate {what} in this import; nothing was changed",
            path=self.path,
            line=span.line,
            column=span.column,
        )

    def _names(self, statement: Span, keyword: str) -> Iterator[tuple[int, int, str]]:
        """``(start, end, dotted text)`` of each dotted name after ``keyword`` at the start of
        ``statement``, as offsets in the text; for ``import``, each alias's ``as`` part is
        skipped."""
        text = self.source.text
        start = self.source.offset(statement.line, statement.column)
        end = self.source.offset(statement.end_line, statement.end_column)
        position = start + len(keyword)
        while True:
            position = _SPACE.match(text, position, end).end()  # type: ignore[union-attr]
            dotted = _DOTTED.match(text, position, end)
            if dotted is None:
                return
            name = unicodedata.normalize("NFKC", _BLANKS.sub("", dotted.group()))
            yield dotted.start(), dotted.end(), name  # as Python reads identifiers
            position = dotted.end()
            alias = _AS.match(text, position, end)
            if alias is not None:
                position = alias.end()
            comma = _COMMA.match(text, position, end)
            if keyword == "from" or comma is None:
                return
            position = comma.end()

    def _edit(self, statement: Span, start: int, end: int, new: str) -> None:
        first, last = self.source.position(start), self.source.position(end)
        self.edits.append(ImportEdit(Span(*first, *last), new, statement))

    def import_from(self, node: ast.ImportFrom) -> None:
        if node.level or node.module is None or not is_original(node.module):
            return
        names = [a.name for a in node.names]
        new = from_target(node.module, node.level, names)
        if new is None:
            target = TARGETS.get(node.module)
            if target is None:
                self.note(node, f"module `{node.module}` has no hpman-cst counterpart; {_LEFT}")
                return
            for name in names:
                if not target.provides(name):
                    message = f"`{name}` of `{node.module}` has no hpman-cst counterpart"
                    self.note(node, f"{message}; {_LEFT}")
            return
        statement = self._span(node)
        found = next(self._names(statement, "from"), None)
        if found is None or found[2] != node.module:
            raise self._refuse(node, f"the module name `{node.module}`")
        self._edit(statement, found[0], found[1], new)
        self.imports.append((statement, ((0, new, None),)))

    def import_(self, node: ast.Import) -> None:
        rewrites = [import_target(a.name, a.asname) for a in node.names]
        for alias, rewrite in zip(node.names, rewrites):
            if rewrite is None and is_original(alias.name):
                bound = alias.asname or alias.name.partition(".")[0]
                self.note(
                    node,
                    f"module `{alias.name}` (bound to `{bound}`) has no hpman-cst counterpart;"
                    f" {_LEFT}",
                )
        if not any(rewrites):
            return
        statement = self._span(node)
        found = list(self._names(statement, "import"))
        if [f[2] for f in found] != [a.name for a in node.names]:
            raise self._refuse(node, "the module names")
        changed: list[tuple[int, str, str | None]] = []
        for position, (alias, rewrite, (start, end, _)) in enumerate(
            zip(node.names, rewrites, found)
        ):
            if rewrite is None:
                continue
            module, asname = rewrite
            new = module if alias.asname is not None else f"{module} as {asname}"
            self._edit(statement, start, end, new)
            changed.append((position, module, asname))
            self.bound.setdefault(asname or module, []).append(_BY_MODULE[module])
        self.imports.append((statement, tuple(changed)))

    def dynamic_import(self, node: ast.Call) -> None:
        """A note for ``__import__("hpman")`` or ``importlib.import_module("hpman")``: an
        import by name, which only its author can change safely."""
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if called not in ("__import__", "import_module") or not node.args:
            return
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            return
        module = first.value
        if not is_original(module):
            return
        target = TARGETS.get(module)
        counterpart = (
            f"its counterpart is `{target.module}`"
            if target is not None
            else "it has no hpman-cst counterpart"
        )
        self.note(node, f"`{module}` is imported by name here; change it by hand ({counterpart})")

    def attributes(self, tree: ast.Module) -> None:
        """A note for each ``module.name`` through a rewritten module whose ``name`` has
        no counterpart (``hpargparse.hputils``); a name bound by several imports (to
        ``hpman_cst`` and ``hpman_cst.m``) gets one only if none of them provides it."""
        if not self.bound:
            return
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
                continue
            targets = self.bound.get(node.value.id, [])
            if targets and not any(t.provides(node.attr) for t in targets):
                modules = " or ".join(f"`{m}`" for m in dict.fromkeys(t.module for t in targets))
                self.note(
                    node,
                    f"`{node.value.id}.{node.attr}` has no hpman-cst counterpart"
                    f" (`{node.value.id}` is now {modules})",
                )


_LEFT = "this import is left as it was"


_BY_MODULE = {target.module: target for target in TARGETS.values()}


def expected_tree(tree: ast.Module, source: SourceText, migration: FileMigration) -> ast.Module:
    """``tree`` (parsed from ``source``, changed in place) with each rewritten import as
    ``migration`` intends it: what the new text must parse to."""
    wanted = dict(migration.imports)
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        span = Span(
            node.lineno,
            source.char_column(node.lineno, node.col_offset),
            node.end_lineno or node.lineno,
            source.char_column(node.end_lineno or node.lineno, node.end_col_offset or 0),
        )
        for position, module, asname in wanted.get(span, ()):
            if isinstance(node, ast.ImportFrom):
                node.module = module
            else:
                node.names[position].name = module
                node.names[position].asname = asname
    return tree
