"""libcst's half of proving a Python rewrite: each planned command's transformer, run on
the statements around its edits (see :mod:`hpman_cst.regions`; on the whole module when
a region cannot stand alone), must print exactly the splice of that command's edits
(:func:`agree`). Two independent computations agree, and libcst's round trip of what it
parses must be exact.

The transformer of each command is made from the plan's :class:`~hpman_cst.refactor.edits.Command`
record (:data:`TRANSFORMERS`): plans are data and never hold one.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Sequence

import libcst as cst

from ..exceptions import RewriteError
from ..refactor.edits import Command
from ..refactor.materialise import Replacement, first_newline, splice
from ..regions import find_regions
from ..source import SourceText, ast_parse
from ..spacing import free_marker
from .sites import TooDeep, deeply, first_difference_line, parse_text
from .transforms import RemoveTransformer, RenameTransformer, SetDefaultTransformer
from .transforms._common import render

__all__ = ["TRANSFORMERS", "Transformer", "agree", "by_regions", "transformer", "whole"]

#: Makes a fresh transformer (each run needs its own).
Transformer = Callable[[], cst.CSTTransformer]

# Above this many regions in a file, libcst runs on the whole file (see by_regions).
_MAX_REGIONS = 64


def _rename(command: Command, placeholders: frozenset[str]) -> cst.CSTTransformer:
    return RenameTransformer(command["old"], command["new"], placeholders)


def _set_default(command: Command, placeholders: frozenset[str]) -> cst.CSTTransformer:
    as_string = command["kind"] == "string"
    return SetDefaultTransformer(
        command["name"], command["value"], as_string=as_string, placeholders=placeholders
    )


def _remove(command: Command, placeholders: frozenset[str]) -> cst.CSTTransformer:
    return RemoveTransformer(command["name"], command["default"], placeholders)


#: Each command's transformer, by command name, from its record and the placeholders.
TRANSFORMERS: dict[str, Callable[[Command, frozenset[str]], cst.CSTTransformer]] = {
    "rename": _rename,
    "set-default": _set_default,
    "remove": _remove,
}


def transformer(command: Command, placeholders: Collection[str]) -> Transformer:
    """What makes ``command``'s transformer for call sites of ``placeholders``; raises
    :class:`RewriteError` for a command no transformer redoes."""
    make = TRANSFORMERS.get(command.name)
    if make is None:
        raise RewriteError(f"no libcst transformer proves `{command.name}` (a bug: report it)")
    wanted = frozenset(placeholders)
    return lambda: make(command, wanted)


def agree(
    text: str,
    tree: ast.Module,
    path: str,
    encoding: str,
    replacements: Sequence[Replacement],
    make: Transformer,
) -> None:
    """Raise :class:`RewriteError` (naming the file) unless the transformer ``make``
    makes, run on ``text`` (parsed as ``tree``), prints ``text`` with exactly
    ``replacements``."""
    spliced = splice(text, replacements)
    marker = free_marker(text)  # see transforms._common.render
    new_text = by_regions(text, tree, path, replacements, make, marker=marker)
    if new_text != spliced and _FORM_FEED_INDENT.search(text):
        new_text = _past_form_feeds(text, path, encoding, replacements, make, spliced)
    if new_text != spliced:
        planned = (spliced, replacements)
        new_text = whole(text, path, encoding, make, marker=marker, spliced=planned)
    if new_text != spliced:
        raise _disagreement(path, new_text, spliced)


_LINE_END = re.compile(r"\r\n|\r|\n")


def _line(text: str, line: int) -> tuple[str, str]:
    """Line ``line`` (1-based, lines ending as Python ends them) of ``text``: its text
    and its line end."""
    start = 0
    for number, match in enumerate(_LINE_END.finditer(text), 2):
        if number > line:
            return text[start : match.start()], match.group()
        start = match.end()
    return text[start:], ""


def _disagreement(path: str, cst_text: str, spliced: str) -> RewriteError:
    """The error for a file where libcst's rewrite and the splice of the planned edits
    differ: where, both versions of the line, and what to do."""
    line = first_difference_line(cst_text, spliced)
    shown = []
    ends_differ = _line(cst_text, line)[1] != _line(spliced, line)[1]
    for text in (cst_text, spliced):
        body, end = _line(text, line)
        flat = " ".join(body.split())
        flat = flat if len(flat) <= 50 else flat[:47] + "..."
        if ends_differ:  # two rewrites may differ only there
            flat += end.replace("\r", "\\r").replace("\n", "\\n")
        shown.append(flat)
    return RewriteError(
        f"libcst and the index disagree about this line's rewrite (libcst: `{shown[0]}`,"
        f" planned: `{shown[1]}`), so it cannot be proven; nothing was changed: edit the call"
        " sites on this line by hand and run the command again",
        path=path,
        line=line,
    )


# A form feed in a line's indentation: Python counts the indentation from after it,
# libcst drops it (and so does not print such a file back).
_FORM_FEED_INDENT = re.compile(r"(?<![^\r\n])[ \t\f]*\f")


def _past_form_feeds(
    text: str,
    path: str,
    encoding: str,
    replacements: Sequence[Replacement],
    transformer: Transformer,
    spliced: str,
) -> str | None:
    """``spliced`` when libcst agrees with the splice on ``text`` without the indentation
    up to each form feed that starts a line (the same program: Python starts counting
    the indentation after a form feed); ``None`` when it does not or cannot. Those
    blanks hold no edit, and the splice keeps them."""
    cut = [(m.start(), m.end()) for m in _FORM_FEED_INDENT.finditer(text)]
    starts = [start for start, _ in cut]
    removed = list(itertools.accumulate(end - start for start, end in cut))

    def moved(offset: int) -> int:  # where an offset of `text` lands without the cuts
        k = bisect_left(starts, offset)
        return offset - (removed[k - 1] if k else 0)

    plain = _FORM_FEED_INDENT.sub("", text)
    shifted = [dataclasses.replace(r, start=moved(r.start), end=moved(r.end)) for r in replacements]
    try:
        output = _libcst_output(plain, path, transformer, encoding, free_marker(plain))
    except Exception:  # libcst's errors: the attempt on the whole file reports them
        return None
    return spliced if output == splice(plain, shifted) else None


def whole(
    text: str,
    path: str,
    encoding: str,
    transformer: Transformer,
    *,
    marker: str | None = None,
    spliced: tuple[str, Sequence[Replacement]] = ("", ()),
) -> str:
    """The transformer's output for the whole module (the authority: its errors are the
    file's, and no exception of libcst's goes further than a :class:`RewriteError`:
    ``spliced``, the planned text and its replacements, says why)."""

    def output() -> str:
        return _libcst_output(text, path, transformer, encoding, marker or free_marker(text))

    try:
        try:
            return output()
        except (RecursionError, TooDeep):  # a long implicit concatenation, say
            return deeply(output)
    except (RecursionError, TooDeep):
        raise RewriteError(
            "too deeply nested for libcst even with a deep stack; nothing was changed: split"
            " the deeply nested expression around the edit and run the command again",
            path=path,
        ) from None
    except cst.ParserSyntaxError as exc:
        raise RewriteError(
            f"libcst cannot parse the new text ({exc.message}), so the rewrite cannot be"
            " proven; nothing was changed: edit this file's call sites by hand",
            path=path,
        ) from None
    except RewriteError:
        raise
    except Exception as exc:  # a CSTValidationError, or a bug: this file's refusal
        raise _transform_failed(path, *spliced, exc) from None


def _transform_failed(
    path: str, spliced: str, replacements: Sequence[Replacement], exc: Exception
) -> RewriteError:
    """The error for a transformer that raised ``exc``: why the planned text cannot be
    written when it does not parse, else libcst's reason, at the first edit."""
    try:
        ast_parse(spliced, path)
    except SyntaxError as error:
        reason = f"the rewritten file would not parse ({error.msg}); nothing was changed"
        column = None if error.offset is None else error.offset - 1
        return RewriteError(reason, path=path, line=error.lineno, column=column)
    except (ValueError, RecursionError, MemoryError):
        pass
    first = replacements[0].edit.span if replacements else None
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return RewriteError(
        f"libcst cannot make this edit ({detail}); nothing was changed: edit this call by"
        " hand and run the command again",
        path=path,
        line=None if first is None else first.line,
        column=None if first is None else first.column,
    )


def by_regions(
    text: str,
    tree: ast.Module,
    path: str,
    replacements: Sequence[Replacement],
    transformer: Transformer,
    *,
    marker: str | None = None,
) -> str | None:
    """The transformer's output when it runs on the statements around the edits only
    (see :mod:`hpman_cst.regions`), the rest of ``text`` (parsed as ``tree``) kept;
    ``None`` when libcst cannot handle a region alone."""
    source = SourceText(text)
    found = find_regions(
        source, tree, ((r.start, r.end) for r in replacements), first_newline(text)
    )
    if found is None:
        return None
    if len(found) > _MAX_REGIONS:
        return None  # each region costs a parse of its own: the whole file is cheaper
    marker = marker or free_marker(text)
    parts: list[str] = []
    position = 0
    for region in found:
        try:
            region_text = region.header + text[region.start : region.end]
            code = _libcst_output(region_text, path, transformer, marker=marker)
        except Exception:  # whatever fails here, the whole module decides
            return None
        if not code.startswith(region.header):
            return None
        parts += [text[position : region.start], code[len(region.header) :]]
        position = region.end
    parts.append(text[position:])
    return "".join(parts)


def _libcst_output(
    text: str,
    path: str,
    transformer: Transformer,
    encoding: str = "utf-8",
    marker: str = "\ue000",
) -> str:
    """The transformer's output for ``text`` (``marker`` must not occur in it: see
    :func:`~hpman_cst.cst.transforms._common.render`). libcst drops a lone CR that ends the text
    (an old-Mac file, or a statement of one): it is set aside and put back, so such a
    file can be rewritten (the splice, which keeps it, must still agree)."""
    lone_cr = text.endswith("\r")
    module = parse_text(text[:-1] if lone_cr else text, path, encoding).module
    return render(module, transformer(), marker) + ("\r" if lone_cr else "")
