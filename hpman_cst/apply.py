"""A planned refactoring over many files: make every new file, prove it, then write.

For each file the plan changes (and only those: libcst never sees the others):

1. read it and check that it still indexes as it did when the plan was made;
2. splice the planned edits into the decoded text at the index's spans;
3. run the command's libcst transformer on the statements around the edits (see
   :mod:`hpman_cst.regions`; on the whole module when a region cannot stand alone), and
   require its output to equal the splice: two independent computations agree (libcst's
   round trip of what it parses must be exact);
4. re-encode (same encoding, BOM and newlines), re-index and compare with the intended
   call sites, and compare the new syntax tree with the intended one;
5. compile the new text: no warning or error that the old text does not give.

Any failure raises :class:`~hpman_cst.exceptions.RewriteError` naming the file, before
anything is written. :func:`write` then replaces each changed file atomically.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import functools
import gc
import itertools
import multiprocessing
import os
import re
import stat
from bisect import bisect_left
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

import libcst as cst

from .compiles import check_compiles
from .cst_sites import TooDeep, deeply, first_difference_line, parse_text
from .exceptions import (
    HpmanError,
    RefactorRefused,
    RewriteError,
    SourceDecodeError,
    WriteFailed,
)
from .index import index_source, index_tree
from .plan import EditKind, FilePlan, Plan
from .quoting import CannotEncode, FstringFields, encodes, escaped_for
from .regions import find_regions
from .scan import paused_gc
from .source import SourceText, ast_parse, atomic_write, decode, read_bytes
from .spacing import free_marker
from .transforms._common import SiteTransformer, render
from .verify import Replacement, check_ast, check_index, first_newline, resolve, splice

__all__ = ["Change", "execute", "rewrite", "write"]

# Below this many changed files per process, forking costs more than rewriting here.
_FILES_PER_PROCESS = 4
# Edits that put a name where a name was (a string literal, a keyword of dict()): the
# tokens around stay apart and no new warning can come of them, so the file is not
# compiled once more (that costs about a sixth of a rename).
_RENAMING = frozenset({EditKind.STRING, EditKind.NAME})
# Above this many regions in a file, libcst runs on the whole file (see _by_regions).
_MAX_REGIONS = 64


@dataclass(frozen=True)
class Change:
    """One file's proven rewrite: old and new bytes and decoded texts."""

    path: str
    old: bytes
    new: bytes
    old_text: str
    new_text: str
    sites: int
    #: The changed ranges, ``(start, end, new start, new end)`` offsets into the texts,
    #: in order: the diff aligns the lines around them only (see :mod:`line_diff`).
    edits: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def changed(self) -> bool:
        return self.old != self.new


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


def rewrite(
    file: FilePlan,
    data: bytes,
    transformer: Callable[[], cst.CSTTransformer],
    placeholders: Collection[str],
) -> Change:
    """Rewrite one file's ``data`` as planned, with every check; raises
    :class:`RewriteError` (naming the file) when any check fails."""
    path = file.path
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
    spliced = splice(text, replacements)
    rebound = frozenset(r.placeholder for r in file.index.rebound)
    if rebound:  # calls of a placeholder bound to something else are not call sites here
        transformer = functools.partial(_without_placeholders, transformer, rebound)
    marker = free_marker(text)  # see transforms._common.render
    new_text = _by_regions(text, old_tree, path, replacements, transformer, marker=marker)
    if new_text != spliced and _FORM_FEED_INDENT.search(text):
        new_text = _past_form_feeds(text, path, encoding, replacements, transformer, spliced)
    if new_text != spliced:
        planned = (spliced, replacements)
        new_text = _whole(text, path, encoding, transformer, marker=marker, spliced=planned)
    if new_text != spliced:
        raise _disagreement(path, new_text, spliced)
    try:
        new = new_text.encode(encoding)
    except UnicodeEncodeError:  # `rename lr λ` in a latin-1 file: `"\u03bb"`, or refused
        replacements = _escaped(path, text, replacements, encoding)
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
    edits = _changed_ranges(text, replacements)
    return Change(path, data, new, text, new_text, sites, edits)


def _escaped(
    path: str, text: str, replacements: Sequence[Replacement], encoding: str
) -> list[Replacement]:
    """``replacements`` with each character the file's encoding cannot hold written as an
    escape in its string literal (libcst agreed on the text before: escapes change no
    string's value, and the proofs run on the escaped text). Raises
    :class:`RefactorRefused` where no escape can stand for it (a name)."""
    done: list[Replacement] = []
    fields: FstringFields | None = None  # an escape cannot go in one before Python 3.12
    for r in replacements:
        if encodes(r.new, encoding):
            done.append(r)
            continue
        fields = fields or FstringFields(text)
        try:
            new = escaped_for(r.new, encoding, in_fstring_field=fields.holds(r.start, r.end))
            done.append(replace(r, new=new))
        except CannotEncode as exc:
            span = r.edit.span
            raise RefactorRefused(str(exc), path=path, line=span.line, column=span.column) from None
    return done


def _changed_ranges(
    text: str, replacements: Sequence[Replacement]
) -> tuple[tuple[int, int, int, int], ...]:
    """The replacements that change something, as offsets into the old and new texts."""
    found: list[tuple[int, int, int, int]] = []
    moved = 0  # how far the new text has moved from the old so far
    for r in replacements:
        if r.new != text[r.start : r.end]:
            found.append((r.start, r.end, r.start + moved, r.start + moved + len(r.new)))
        moved += len(r.new) - (r.end - r.start)
    return tuple(found)


# A form feed in a line's indentation: Python counts the indentation from after it,
# libcst drops it (and so does not print such a file back).
_FORM_FEED_INDENT = re.compile(r"(?<![^\r\n])[ \t\f]*\f")


def _past_form_feeds(
    text: str,
    path: str,
    encoding: str,
    replacements: Sequence[Replacement],
    transformer: Callable[[], cst.CSTTransformer],
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


def _whole(
    text: str,
    path: str,
    encoding: str,
    transformer: Callable[[], cst.CSTTransformer],
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


def _by_regions(
    text: str,
    tree: ast.Module,
    path: str,
    replacements: Sequence[Replacement],
    transformer: Callable[[], cst.CSTTransformer],
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
    transformer: Callable[[], cst.CSTTransformer],
    encoding: str = "utf-8",
    marker: str = "\ue000",
) -> str:
    """The transformer's output for ``text`` (``marker`` must not occur in it: see
    :func:`~hpman_cst.transforms._common.render`). libcst drops a lone CR that ends the text
    (an old-Mac file, or a statement of one): it is set aside and put back, so such a
    file can be rewritten (the splice, which keeps it, must still agree)."""
    lone_cr = text.endswith("\r")
    module = parse_text(text[:-1] if lone_cr else text, path, encoding).module
    return render(module, transformer(), marker) + ("\r" if lone_cr else "")


@dataclass(frozen=True)
class _Failure:
    # An error's location fields do not survive pickling; carry them as data.
    refused: bool
    message: str
    path: str | None
    line: int | None
    column: int | None

    @classmethod
    def of(cls, exc: RewriteError | RefactorRefused) -> _Failure:
        refused = isinstance(exc, RefactorRefused)
        return cls(refused, exc.message, exc.path, exc.line, exc.column)

    def error(self) -> RewriteError | RefactorRefused:
        kind = RefactorRefused if self.refused else RewriteError
        return kind(self.message, path=self.path, line=self.line, column=self.column)


def _without_placeholders(
    transformer: Callable[[], cst.CSTTransformer], left_out: frozenset[str]
) -> cst.CSTTransformer:
    made = transformer()
    if isinstance(made, SiteTransformer):
        made.placeholders = made.placeholders - left_out
    return made


def _rewrite_one(
    file: FilePlan,
    transformer: Callable[[], cst.CSTTransformer],
    placeholders: frozenset[str],
    read: Callable[[str], bytes] = read_bytes,
) -> Change | _Failure:
    """:func:`rewrite` of one planned file, its failure as data (a worker's result)."""
    try:
        return rewrite(file, read(file.path), transformer, placeholders)
    except (RewriteError, RefactorRefused) as exc:
        return _Failure.of(exc)
    except Exception as exc:  # a bug: still this file's one-line refusal, never a traceback
        detail = " ".join(str(exc).split())
        message = f"cannot rewrite this file ({type(exc).__name__}: {detail}); nothing was changed"
        return _Failure(False, message, file.path, None, None)
    finally:
        gc.collect(0)  # the few cycles a file leaves (with the collector paused)


def _rewrite_job(
    job: tuple[FilePlan, Callable[[], cst.CSTTransformer], frozenset[str]],
) -> Change | _Failure:
    return _rewrite_one(*job)


def _in_workers(plan: Plan, processes: int) -> list[Change | _Failure] | None:
    # This process is one of them: it rewrites every processes-th file itself while the
    # forked workers rewrite the others.
    files = plan.files
    theirs = [n for n in range(len(files)) if n % processes]
    results: list[Change | _Failure | None] = [None] * len(files)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    try:
        with ProcessPoolExecutor(max_workers=processes - 1, mp_context=context) as pool:
            work = [(files[n], plan.transformer, plan.placeholders) for n in theirs]
            pending = pool.map(_rewrite_job, work)  # submitted now; runs meanwhile
            for n in range(0, len(files), processes):
                results[n] = _rewrite_one(files[n], plan.transformer, plan.placeholders)
            for n, result in zip(theirs, pending):
                results[n] = result
    except (OSError, AssertionError, NotImplementedError, BrokenProcessPool):
        return None
    done = [r for r in results if r is not None]
    return done if len(done) == len(files) else None


def execute(
    plan: Plan, *, read: Callable[[str], bytes] = read_bytes, jobs: int = 1
) -> tuple[Change, ...]:
    """Every changed file of ``plan``, proven; files the plan leaves as they were are
    left out. Raises :class:`RewriteError` for the first file that fails a check, or
    :class:`RefactorRefused` for one where the edit cannot be written (an inlined default
    that an f-string field cannot hold).

    With ``jobs > 1`` and several files per process, files are rewritten in up to that
    many processes (``read`` must then be the default)."""
    # Spread the files over processes when there are enough per process to pay for the
    # fork; rewrite here when no worker can be started (a daemon process). The cyclic
    # garbage collector would walk every record of the scan again and again: it halved
    # the speed (see scan.paused_gc; the workers inherit the pause).
    processes = min(jobs, len(plan.files) // _FILES_PER_PROCESS)
    results: list[Change | _Failure] | None = None
    with paused_gc():
        if processes > 1 and read is read_bytes:
            results = _in_workers(plan, processes)
        if results is None:
            results = [
                _rewrite_one(f, plan.transformer, plan.placeholders, read) for f in plan.files
            ]
    changes: list[Change] = []
    for result in results:
        if isinstance(result, _Failure):
            raise result.error()
        if result.changed:
            changes.append(result)
    return tuple(changes)


def write(changes: Sequence[Change], *, read: Callable[[str], bytes] = read_bytes) -> None:
    """Write each change atomically (same folder, same permission bits), after checking
    that every file is still as it was read, is writable and is planned once; raises
    :class:`RewriteError` before writing anything if one is not.

    Each file is read again just before it is replaced and left alone if it changed.
    When writing stops part way (that, a full disk, a failed rename, an interrupt),
    raises :class:`WriteFailed` naming the files written and those left as they were:
    every file is entirely old or entirely new."""
    seen: set[str] = set()
    for change in changes:
        real = os.path.realpath(change.path)
        if real in seen:
            raise RewriteError(
                "the same file was planned twice; nothing was written", path=change.path
            )
        seen.add(real)
        if read(change.path) != change.old:
            raise RewriteError(
                "the file changed while the rewrite was prepared; nothing was written",
                path=change.path,
            )
        if not os.access(os.path.dirname(real), os.W_OK) or not os.access(real, os.W_OK):
            raise RewriteError(
                "the file or its folder is not writable; nothing was written", path=change.path
            )
        if not os.stat(real).st_mode & stat.S_IWUSR:  # root may write anything: ask the bits
            raise RewriteError("the file is read-only; nothing was written", path=change.path)
    written: list[str] = []
    for position, change in enumerate(changes):
        try:
            atomic_write(change.path, change.new, expect=change.old)
        except BaseException as exc:
            raise _stopped(changes[position:], written, exc) from exc
        written.append(change.path)


def _stopped(left: Sequence[Change], written: list[str], exc: BaseException) -> WriteFailed:
    """The error for a write that failed at ``left[0]`` after ``written``."""
    failed = left[0]
    with contextlib.suppress(OSError):  # an interrupt may come just after the rename
        if read_bytes(failed.path) == failed.new:
            written, left = [*written, failed.path], left[1:]
    if isinstance(exc, HpmanError):
        reason = exc.message
    elif isinstance(exc, KeyboardInterrupt):
        reason = "interrupted"
    elif isinstance(exc, OSError):
        reason = f"cannot write: {exc.strerror or exc}"
    else:
        reason = f"cannot write: {type(exc).__name__}: {exc}"
    done = f"written: {', '.join(written)}" if written else "nothing was written"
    unwritten = tuple(c.path for c in left)
    rest = f"; left as they were: {', '.join(unwritten)}" if unwritten else ""
    return WriteFailed(
        f"{reason}; {done}{rest}", path=failed.path, written=tuple(written), unwritten=unwritten
    )
