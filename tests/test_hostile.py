"""Hostile or odd input for reading source: every case ends in a clear problem (or a clean
result), never a traceback or a hang.

Tests run as root here, so ``chmod 000`` does not stop a read: an unreadable file is
simulated by making ``os.open`` fail with ``PermissionError`` for that one path. The
cases that could hang (20 MB files, regexes that once backtracked) run in a child
interpreter with a generous limit, so a regression fails the test instead of hanging the
suite; the limit is a hang guard, not a timing assertion.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hpman_cst import source
from hpman_cst.exceptions import PathNotFound, SourceDecodeError, UnreadableFile
from hpman_cst.index import index_bytes, index_file, index_source, may_contain_call
from hpman_cst.records import ProblemCode
from hpman_cst.source import SourceText, decode, read_bytes

REPO = Path(__file__).resolve().parent.parent
HANG_GUARD = 600  # seconds; a hang, not slowness


def run_isolated(code: str, *args: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter (it prints one JSON document) and return it."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
            cwd=REPO,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"no result after {HANG_GUARD} s: the code hangs")
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


INDEX_A_FILE = """
import json, sys
from hpman_cst.index import index_file
index = index_file(sys.argv[1])
last = max(index.occurrences, key=lambda o: o.sort_key(), default=None)
print(json.dumps({
    "occurrences": len(index.occurrences),
    "problems": [str(p) for p in index.problems],
    "last": None if last is None else [last.name, last.default, last.span.line, last.span.column],
}))
"""


# -- empty and binary files ---------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\xef\xbb\xbf", id="bom-only"),
        pytest.param(b"\n\n\r\n  \t\n", id="blank-lines"),
        pytest.param(b"# just a comment", id="comment-only"),
        pytest.param(b"# -*- coding: latin-1 -*-\n", id="cookie-only"),
    ],
)
def test_empty_files_have_nothing_and_no_problem(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "empty.py"
    path.write_bytes(data)
    for precheck in (True, False):
        index = index_file(str(path), precheck=precheck)
        assert index.occurrences == ()
        assert index.problems == ()
        assert index.parsed


def test_binary_file_with_null_bytes_is_a_syntax_problem(tmp_path: Path) -> None:
    path = tmp_path / "blob.py"
    path.write_bytes(b"_('a', 1)\x00\x00\x01\x02" * 100)
    (problem,) = index_file(str(path)).problems
    assert problem.code is ProblemCode.SYNTAX
    assert str(problem) == f"{path}: source code string cannot contain null bytes"


def test_binary_file_that_is_not_text_is_a_decode_problem(tmp_path: Path) -> None:
    path = tmp_path / "image.py"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00_('a', 1)" + bytes(range(256))
    )
    (problem,) = index_file(str(path)).problems
    assert problem.code is ProblemCode.DECODE
    assert str(problem).startswith(f"{path}:1: ")


# -- encodings Python itself refuses, or reads differently -------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"# coding: nonexistent\n_('a', 1)\n", "unknown encoding: nonexistent", id="unknown"
        ),
        pytest.param(
            b"# coding: rot13\n_('a', 1)\n", "encoding problem: rot13", id="not-text-codec"
        ),
        pytest.param(b"# coding: hex\n_('a', 1)\n", "encoding problem: hex", id="bytes-codec"),
        pytest.param(
            b"# coding: undefined\n_('a', 1)\n", "encoding problem: undefined", id="undefined"
        ),
        pytest.param(
            b"\xef\xbb\xbf# coding: latin-1\n_('a', 1)\n",
            "encoding problem: iso-8859-1 with BOM",
            id="bom-vs-cookie",
        ),
        pytest.param(
            b"x = 1\n_('a', '\xe9')\n",
            "cannot decode byte 0xe9 as utf-8",
            id="latin1-without-cookie",
        ),
    ],
)
def test_bad_encodings_are_decode_problems(data: bytes, message: str) -> None:
    with pytest.raises(SourceDecodeError) as caught:
        decode(data, "enc.py")
    assert str(caught.value).startswith("enc.py:")
    assert message in str(caught.value)
    (problem,) = index_bytes(data, "enc.py").problems
    assert problem.code is ProblemCode.DECODE
    assert message in problem.message


def test_a_cookie_after_a_long_first_line_is_honoured() -> None:
    # utf-7 changes ASCII text ("+AGE-" is "a"): the cookie must be seen wherever the
    # second line starts, as Python does.
    data = b"#" + b"-" * 1000 + b"\n# coding: utf-7\n_('+AGE-', 1)\n"
    (occ,) = index_bytes(data, "u7.py").occurrences
    assert occ.name == "a"


# -- unreadable paths ----------------------------------------------------------------------


def test_unreadable_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.py"
    path.write_bytes(b"_('a', 1)\n")
    real_open = os.open

    def no_permission(file: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.fspath(file) == str(path):  # type: ignore[call-overload]
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", no_permission)
    (problem,) = index_file(str(path)).problems
    assert problem.code is ProblemCode.UNREADABLE
    assert str(problem) == f"{path}: cannot read file: Permission denied"


def test_read_error_midway_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "flaky.py"
    path.write_bytes(b"_('a', 1)\n")

    class FailingReader(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(source, "open", lambda *args, **kwargs: FailingReader(), raising=False)
    with pytest.raises(UnreadableFile, match="Input/output error"):
        read_bytes(path)


def test_directory_named_like_a_module_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "package.py"
    path.mkdir()
    (problem,) = index_file(str(path)).problems
    assert str(problem) == f"{path}: is a directory"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_named_like_a_module_does_not_block(tmp_path: Path) -> None:
    path = tmp_path / "pipe.py"
    os.mkfifo(path)
    result = run_isolated(INDEX_A_FILE, str(path))
    assert result["problems"] == [f"{path}: not a regular file"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_link_to_an_endless_device_does_not_read_forever(tmp_path: Path) -> None:
    path = tmp_path / "zero.py"
    path.symlink_to("/dev/zero")
    result = run_isolated(INDEX_A_FILE, str(path))
    assert result["problems"] == [f"{path}: not a regular file"]


def test_missing_file_raises_path_not_found(tmp_path: Path) -> None:
    with pytest.raises(PathNotFound) as caught:
        index_file(str(tmp_path / "gone.py"))
    assert str(caught.value) == f"{tmp_path / 'gone.py'}: no such file or directory"


def test_dangling_symlink_raises_path_not_found(tmp_path: Path) -> None:
    (tmp_path / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    with pytest.raises(PathNotFound):
        index_file(str(tmp_path / "dangling.py"))


def test_symlink_loop_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    (problem,) = index_file(str(tmp_path / "a.py")).problems
    assert problem.code is ProblemCode.UNREADABLE
    assert "symbolic links" in problem.message


# -- sources the parser cannot take ---------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("_('a', " + "(" * 1000 + ")" * 1000 + ")", id="deep-parentheses"),
        pytest.param("_('a', " + "-" * 200_000 + "1)", id="deep-unary"),
        pytest.param("_('a', " + "not " * 100_000 + "1)", id="deep-not"),
        pytest.param("x = '\ud800'\n_('a', 1)", id="lone-surrogate"),
        pytest.param("_('a', 1", id="unclosed"),
        pytest.param("\tx = 1\n  _('a', 1)", id="bad-indent"),
    ],
)
def test_unparsable_sources_are_problems(source: str) -> None:
    (problem,) = index_source(source, "deep.py").problems
    assert problem.code is ProblemCode.SYNTAX
    assert str(problem).startswith("deep.py")


def test_deep_but_valid_literal_default_is_read() -> None:
    (occ,) = index_source("_('a', " + "[" * 150 + "]" * 150 + ")", "t.py").occurrences
    assert occ.default == "[" * 150 + "]" * 150


# -- odd names and placeholders ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("with space", id="space"),
        pytest.param("ünïcödé", id="non-ascii"),
        pytest.param("名前", id="cjk"),
        pytest.param("", id="empty"),
        pytest.param("a\x00b\tc\nd", id="control-characters"),
        pytest.param("\ud800", id="lone-surrogate"),
        pytest.param("x" * 10_000, id="very-long"),
        pytest.param("a.b..c.", id="odd-dots"),
    ],
)
def test_any_string_is_a_name(name: str) -> None:
    source = f"x = 'ü'; _({name!r}, 1)\n"
    (occ,) = index_source(source, "t.py").occurrences
    assert occ.name == name
    assert SourceText(source).segment(occ.name_span) == repr(name)


@pytest.mark.parametrize("placeholder", ["", "1x", "a b", "_.x", "(", ".*", "\\", "ü", "_\n", "#"])
def test_placeholder_that_is_not_an_identifier_matches_nothing(placeholder: str) -> None:
    source = "_('a', 1)\nx.y('b', 2)\n(c)('d')\n"
    assert index_source(source, "t.py", placeholder).occurrences == ()
    may_contain_call(source.encode(), placeholder)  # no exception, any answer
    may_contain_call("é".encode() + source.encode(), placeholder)


# -- big files: linear, never a hang -------------------------------------------------------------


def _generated_lines(size: int) -> bytes:
    block: list[str] = []
    for i in range(100):
        if i % 50 == 0:
            block.append(f'x{i} = _("NAME_{i}", {i})  # a call site\n')
        elif i % 2:
            block.append(f"# padding comment line {i:08d} " + "." * 40 + "\n")
        else:
            block.append(f"y{i} = [{i}, {i} + 1, 'str']  # code without a site\n")
    text = "".join(block)
    copies = size // len(text) + 1
    return "".join(text.replace("NAME", f"b{n}") for n in range(copies)).encode()


@pytest.mark.slow
def test_twenty_megabytes_of_lines(tmp_path: Path) -> None:
    path = tmp_path / "big.py"
    data = _generated_lines(20_000_000)
    path.write_bytes(data)
    result = run_isolated(INDEX_A_FILE, str(path))
    copies = data.count(b"# a call site") // 2
    assert result["occurrences"] == copies * 2
    assert result["problems"] == []


@pytest.mark.slow
def test_twenty_megabytes_on_one_non_ascii_line(tmp_path: Path) -> None:
    # Thousands of call sites on one long line with non-ASCII text: converting each
    # node's byte column must not re-encode the whole line (that was quadratic).
    pad = "é" * 500
    calls = [f'_("n{i}", "{pad}"), ' for i in range(20_000)]
    line = "x = [" + "".join(calls) + "]"
    path = tmp_path / "one_line.py"
    path.write_bytes((line + "\ny = 1\n").encode())
    assert path.stat().st_size > 20_000_000
    result = run_isolated(INDEX_A_FILE, str(path))
    assert result["occurrences"] == 20_000
    last_column = len(line) - len(calls[-1]) - 1
    assert result["last"] == ["n19999", f'"{pad}"', 1, last_column]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"print(_)  " + b"#" * 5_000 + b"\n", id="hash-banner"),
        pytest.param(b"x = 1  #" + b" _ #" * 1_000_000 + b"\n", id="comment-of-placeholders"),
        pytest.param(b"_ " * 2_000_000, id="placeholder-words"),
        pytest.param(b"_" + b")" * 2_000_000, id="closing-parentheses"),
        pytest.param("é _  ".encode() + b"#" * 5_000 + b"\n", id="non-ascii-banner"),
    ],
)
def test_precheck_is_linear_on_pathological_text(data: bytes, tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from hpman_cst.index import may_contain_call\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "print(json.dumps({'may': may_contain_call(data, '_')}))\n"
    )
    path = tmp_path / "text.py"
    path.write_bytes(data)
    assert isinstance(run_isolated(code, str(path))["may"], bool)


# -- positions on non-ASCII lines ------------------------------------------------------------------

_LINE_CHARS = st.sampled_from(["a", " ", "_", "é", "ß", "名", "🐍", "\u2028", "\x85", "'"])


@given(st.lists(_LINE_CHARS, min_size=1, max_size=3_000), st.data())
def test_byte_columns_convert_to_code_points(chars: list[str], data: st.DataObject) -> None:
    prefix = data.draw(st.sampled_from(["", "x = 1\n", "é\r\n", "\r"]))
    line = "".join(chars)
    source = SourceText(prefix + line + "\nz\n")
    number = prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n") + 1
    for column in sorted(data.draw(st.sets(st.integers(0, len(line)), max_size=20))):
        byte_column = len(line[:column].encode("utf-8", "surrogatepass"))
        assert source.char_column(number, byte_column) == column


# -- the runtime: _.parse_file on hostile trees --------------------------------------------

DISCOVER = """
import json, sys
from hpman_cst.runtime import discover
print(json.dumps({"files": [shown for shown, real in discover(sys.argv[1])]}))
"""


def test_runtime_walks_a_ladder_of_links_once(tmp_path: Path) -> None:
    # Two links per level to the next level: 2**24 paths, 25 folders.
    levels = [tmp_path / f"d{i}" for i in range(25)]
    for level in levels:
        level.mkdir()
    for level, below in zip(levels, levels[1:]):
        (level / "a").symlink_to(below, target_is_directory=True)
        (level / "b").symlink_to(below, target_is_directory=True)
    (levels[-1] / "m.py").write_text("_('a', 1)\n")
    result = run_isolated(DISCOVER, str(levels[0]))
    assert result["files"] == [str(levels[0] / "/".join("a" * 24) / "m.py")]


@pytest.mark.parametrize(
    "links",
    [
        pytest.param({"self": "."}, id="self"),
        pytest.param({"a/up": ".."}, id="parent"),
        pytest.param({"a/to_b": "../b", "b/to_a": "../a"}, id="mutual"),
        pytest.param({"a/root": "../..", "b/c/top": "../../.."}, id="to-ancestors"),
    ],
)
def test_runtime_terminates_on_link_loops(links: dict[str, str], tmp_path: Path) -> None:
    top = tmp_path / "top"
    for folder in ("a", "b/c"):
        (top / folder).mkdir(parents=True)
        (top / folder / "m.py").write_text(f"_('{folder[0]}', 1)\n")
    for link, target in links.items():
        (top / link).symlink_to(target, target_is_directory=True)
    result = run_isolated(DISCOVER, str(top))
    assert result["files"] == [str(top / "a" / "m.py"), str(top / "b" / "c" / "m.py")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_runtime_skips_a_fifo_in_a_folder_and_refuses_a_named_one(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "ok.py").write_text("_('a', 1)\n")
    code = """
import json, sys
from hpman_cst.runtime import HyperParameterManager
from hpman_cst.exceptions import UnreadableFile
values = HyperParameterManager().parse_file(sys.argv[1]).get_values()
try:
    HyperParameterManager().parse_file(sys.argv[1] + "/pipe.py")
    error = None
except UnreadableFile as exc:
    error = str(exc)
print(json.dumps({"values": values, "error": error}))
"""
    result = run_isolated(code, str(tmp_path))
    assert result == {"values": {"a": 1}, "error": f"{tmp_path / 'pipe.py'}: not a regular file"}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param(b"_('a', 1)\x00\x01", "HpmanSyntaxError", id="null-bytes"),
        pytest.param(b"\xff\xfe_('a', 1)\x00", "SourceDecodeError", id="not-text"),
        pytest.param(b"_('a', 1", "HpmanSyntaxError", id="unclosed"),
    ],
)
def test_runtime_names_a_binary_or_broken_file(data: bytes, error: str, tmp_path: Path) -> None:
    from hpman_cst.runtime import HyperParameterManager

    (tmp_path / "blob.py").write_bytes(data)
    with pytest.raises(Exception) as caught:
        HyperParameterManager().parse_file(tmp_path)
    assert type(caught.value).__name__ == error
    assert str(caught.value).startswith(f"{tmp_path / 'blob.py'}:")


def test_runtime_unreadable_file_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hpman_cst.runtime import HyperParameterManager

    path = tmp_path / "secret.py"
    path.write_text("_('a', 1)\n")
    real_open = os.open

    def no_permission(file: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.fspath(file) == str(path):  # type: ignore[call-overload]
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", no_permission)
    with pytest.raises(UnreadableFile) as caught:
        HyperParameterManager().parse_file(tmp_path)
    assert str(caught.value) == f"{path}: cannot read file: Permission denied"


@pytest.mark.parametrize("placeholder", ["", "1x", "a b", "_.x", "(", "-"])
def test_runtime_placeholder_must_be_an_identifier(placeholder: str) -> None:
    from hpman_cst.exceptions import InvalidArgument
    from hpman_cst.runtime import HyperParameterManager

    with pytest.raises(InvalidArgument, match="placeholder must be an identifier"):
        HyperParameterManager(placeholder)
