"""Source files as bytes at the edges: decoding the way Python does, parsing without the
compiler's warnings, positions in the decoded text, and atomic writes that keep encoding,
BOM, newlines and permissions.

Stdlib only: the runtime imports this module.
"""

from __future__ import annotations

import ast
import codecs
import contextlib
import itertools
import operator
import os
import re
import stat
from bisect import bisect_right
from typing import Literal, Union, overload

from .exceptions import FileChanged, SourceDecodeError, UnreadableFile
from .records import Span

__all__ = ["SourceText", "ast_parse", "atomic_write", "decode", "read_bytes"]

PathLike = Union[str, "os.PathLike[str]"]

# Python's tokenizer ends a line at \r\n, \r or \n, and nowhere else (not at \f, \v, ...).
_NEWLINE = re.compile(r"\r\n|\r|\n")
_TWO_LINES = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)?[^\r\n]*")
_NEWLINE_BYTES = re.compile(rb"\r\n|\r|\n")
_CHUNK = 1024  # characters per step when converting byte columns on non-ASCII lines
_O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
_O_BINARY: int = getattr(os, "O_BINARY", 0)


def read_bytes(path: PathLike) -> bytes:
    """The bytes of ``path``; :class:`UnreadableFile` when it cannot be read or is not a
    regular file (a FIFO would block forever, ``/dev/zero`` never end)."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (no effect on files).
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_BINARY)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or exc}", path=str(path)) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISREG(mode):
            with open(fd, "rb", closefd=False) as handle:
                return handle.read()
    except OSError as exc:
        message = f"cannot read file: {exc.strerror or exc}"
        raise UnreadableFile(message, path=str(path)) from None
    finally:
        os.close(fd)
    what = "is a directory" if stat.S_ISDIR(mode) else "not a regular file"
    raise UnreadableFile(what, path=str(path))


def decode(data: bytes, path: str = "<unknown>") -> tuple[str, str]:
    """Decode source bytes exactly as Python's compiler does: a UTF-8 BOM, else a PEP 263
    coding cookie (see :func:`_cookie`), else UTF-8. Returns ``(text, encoding)``,
    ``encoding`` being ``"utf-8-sig"`` when the file starts with a BOM. Newlines are kept
    as they are.

    One difference, on the strict side: bytes that are not UTF-8 in a comment of a file
    without a cookie are an error, as when Python runs the file (``compile()`` of the
    bytes does not check the comments it skips, but a lossless edit needs the text).

    Raises :class:`SourceDecodeError` (with the line of the first bad byte).
    """
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    # Only a cookie in the first two lines counts; some codecs (utf-7) change ASCII text.
    if not bom and data.isascii() and b"coding" not in _first_two_lines(data):
        return data.decode("ascii"), "utf-8"
    cookie = _cookie(body)
    if bom:
        if cookie is not None and cookie[0] != "utf-8":
            message = f"encoding problem: {cookie[0]} with BOM"
            raise SourceDecodeError(message, path=path, line=cookie[1])
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8" if cookie is None else cookie[0]
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise SourceDecodeError(
            f"cannot decode byte {data[exc.start]:#04x} as {encoding}", path=path, line=line
        ) from None
    except LookupError:  # no such codec, or one that is not a text encoding (rot13)
        line = 1 if cookie is None else cookie[1]
        what = "unknown encoding" if _unknown(encoding) else "encoding problem"
        raise SourceDecodeError(f"{what}: {encoding}", path=path, line=line) from None
    except UnicodeError as exc:  # a codec failing without a position (undefined)
        line = 1 if cookie is None else cookie[1]
        message = f"encoding problem: {encoding}: {exc}"
        raise SourceDecodeError(message, path=path, line=line) from None


# The coding spec of a line, as Python's tokenizer reads it: in a comment that is the
# first thing on the line, the first "coding" followed by ":" or "=", spaces or tabs, and
# at least one ASCII letter, digit, "-", "_" or ".".
_SPEC = re.compile(rb"[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII | re.DOTALL)
_BLANK_OR_COMMENT = re.compile(rb"[ \t\f]*(?:#|$)")


def _cookie(data: bytes) -> tuple[str, int] | None:
    """The encoding named by the coding cookie of ``data`` (after any BOM) and its line
    (1 or 2), normalised as Python does; ``None`` without one. Python's rule: lines end
    at ``\r\n``, ``\r`` or ``\n``; line 1 counts, and line 2 only after a line 1 that
    is blank or a comment."""
    lines = _NEWLINE_BYTES.split(_first_two_lines(data), 2)
    for number, line in enumerate(lines[:2], 1):
        spec = _SPEC.match(line)
        if spec is not None:
            return _normal_name(spec.group(1).decode("ascii")), number
        if not _BLANK_OR_COMMENT.match(line):
            return None
    return None


def _normal_name(name: str) -> str:
    # Python's tokenizer (get_normal_name) maps the spellings of two encodings to one
    # name, judging the first 12 characters; a BOM must go with one it maps to "utf-8".
    head = name[:12].lower().replace("_", "-")
    if head == "utf-8" or head.startswith("utf-8-"):
        return "utf-8"
    latin = ("latin-1", "iso-8859-1", "iso-latin-1")
    if head in latin or head.startswith(tuple(f"{n}-" for n in latin)):
        return "iso-8859-1"
    return name


def _unknown(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return True
    return False


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line holding byte ``offset``, lines ending as Python ends them."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _first_two_lines(data: bytes) -> bytes:
    match = _TWO_LINES.match(data)
    return data[: match.end()] if match else data


@overload
def ast_parse(text: str, path: str = ..., mode: Literal["exec"] = ...) -> ast.Module: ...
@overload
def ast_parse(text: str, path: str = ..., *, mode: Literal["eval"]) -> ast.Expression: ...
def ast_parse(text: str, path: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """``ast.parse(text, path, mode)`` without the warnings Python's parser gives about the
    code it reads (``SyntaxWarning: invalid escape sequence '\\d'``, a
    ``DeprecationWarning`` before 3.12). They are about the user's code, not about reading
    it: printed, they would land in the output of the user's program, once per parse;
    under ``-W error`` (or pytest's ``filterwarnings = error`` around a test that parses
    code) the file would be reported as a syntax error. Raises what ``ast.parse`` raises."""
    import warnings  # here, not at the top: importing the runtime need not load it

    # Costs about 2 us per call, against 1 to 3 ms to parse a typical 15 KB file.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, path, mode)


class SourceText:
    """Decoded source text with the line table needed to turn ``ast`` positions
    (1-based lines, UTF-8 byte columns) into code-point offsets and spans."""

    __slots__ = ("_columns", "_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        # Per line: None when ASCII, else where its chunks start in UTF-8 (built once: a
        # 20 MB line with thousands of call sites must not be re-encoded per node).
        self._columns: dict[int, list[int] | None] = {}

    @property
    def line_starts(self) -> list[int]:
        """Offset in ``text`` of the first character of each line (index 0 = line 1)."""
        if self._starts is None:
            text = self.text
            if "\r" in text:
                self._starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
            else:  # the common case, three times faster: each line's length, summed in C
                lines = text.split("\n")
                lines.pop()  # (the text after the last newline starts no further line)
                ends = itertools.accumulate(map(len, lines))
                self._starts = [0, *map(operator.add, ends, itertools.count(1))]
        return self._starts

    def line_text(self, line: int) -> str:
        """Line ``line`` (1-based), with its newline."""
        starts = self.line_starts
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[starts[line - 1] : end]

    def char_column(self, line: int, byte_column: int) -> int:
        """Convert an ``ast`` column (UTF-8 bytes into the line) to code points."""
        if line in self._columns:
            table = self._columns[line]
        else:
            table = self._columns[line] = _column_table(self.line_text(line))
        if table is None:
            return byte_column
        # Find the chunk holding the column, then count the characters before it there.
        chunk = bisect_right(table, byte_column, 0, len(table) - 1) - 1
        start = self.line_starts[line - 1] + chunk * _CHUNK  # (no copy of the whole line)
        piece = self.text[start : start + _CHUNK].encode("utf-8", "surrogatepass")
        head = piece[: byte_column - table[chunk]]
        return chunk * _CHUNK + len(head.decode("utf-8", "replace"))

    def offset(self, line: int, column: int) -> int:
        """Offset in ``text`` of (1-based line, 0-based code-point column)."""
        return self.line_starts[line - 1] + column

    def position(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based column) of an offset in ``text``."""
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index]

    def segment(self, span: Span) -> str:
        """The text inside ``span``."""
        return self.text[
            self.offset(span.line, span.column) : self.offset(span.end_line, span.end_column)
        ]

    def span_of(self, node: ast.expr) -> Span:
        """The span of an ``ast`` expression parsed from ``text``, in code points."""
        end_line = node.end_lineno or node.lineno
        end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return Span(
            node.lineno,
            self.char_column(node.lineno, node.col_offset),
            end_line,
            self.char_column(end_line, end_col),
        )


def _column_table(text: str) -> list[int] | None:
    """For a line: the UTF-8 byte offset at which each chunk of ``_CHUNK`` characters
    starts, plus the line's length in bytes; ``None`` if the line is ASCII."""
    if text.isascii():
        return None
    starts = [0]
    for start in range(0, len(text), _CHUNK):
        chunk = text[start : start + _CHUNK]
        starts.append(starts[-1] + len(chunk.encode("utf-8", "surrogatepass")))
    return starts


def atomic_write(path: PathLike, data: bytes, *, expect: bytes | None = None) -> None:
    """Replace the contents of ``path`` with ``data`` atomically: write a temporary file in
    the same folder, give it the original's permission bits (and owner and group, where
    allowed), fsync, then rename over the original. A symlink is written through to its
    target (the link itself stays). A file that does not exist yet is created with the
    permissions ``open()`` would give it.

    With ``expect``, the file must still hold exactly those bytes at the last moment
    before the rename, else :class:`FileChanged` is raised and nothing is replaced."""
    # Imported here, not at the top: the runtime imports this module and never writes.
    import tempfile
    from pathlib import Path

    target = Path(os.path.realpath(path))
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None:
        mode = stat.S_IMODE(info.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".hpman-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if info is not None:
            _keep_owner(tmp, info)
        os.chmod(tmp, mode)  # after chown, which clears set-id bits
        if expect is not None and read_bytes(target) != expect:
            raise FileChanged(
                "the file changed since it was read; it was not overwritten", path=str(path)
            )
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _keep_owner(tmp: str, info: os.stat_result) -> None:
    # The temporary file belongs to whoever runs hpman; give it the original's owner and
    # group. Only root may give a file away; others may at least keep a group they are in.
    if not hasattr(os, "chown") or (info.st_uid, info.st_gid) == (os.getuid(), os.getgid()):
        return
    for uid in (info.st_uid, -1):
        try:
            os.chown(tmp, uid, info.st_gid)
            return
        except OSError:
            continue
