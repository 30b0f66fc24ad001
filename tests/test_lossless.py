"""Every command over every nasty-corpus file: real transforms change only the intended
bytes, computed here independently by splicing at the index's spans; a transform
that matches nothing, a round trip (rename there and back, set-default to the old
text) and the read-only commands leave every byte and modification time as it was.

Every corpus file can be rewritten: a file libcst cannot print back is refused whole
(see ``test_cli_refactor.test_file_libcst_cannot_round_trip_blocks_the_write``).
"""

from __future__ import annotations

import ast
import copy
import io
import re
import shutil
import sys
import tokenize
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_runner import runner
from click.testing import Result
from nasty_corpus import CASES, MIN_PYTHON

from hpman_cst.cli import cli
from hpman_cst.index import index_bytes
from hpman_cst.literals import is_literal_text
from hpman_cst.records import FileIndex, Occurrence, Span
from hpman_cst.source import SourceText, decode

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "nasty"


def corpus_params() -> list[object]:
    return [
        pytest.param(
            name,
            id=name,
            marks=pytest.mark.skipif(
                sys.version_info < MIN_PYTHON.get(name, (3, 9)), reason="newer syntax"
            ),
        )
        for name in sorted(CASES)
    ]


def hpman(*args: str) -> Result:
    return runner().invoke(cli, list(args))


@dataclass
class Copy:
    """A corpus file copied into a temporary folder, with what the index says of it."""

    path: Path
    data: bytes
    text: str
    encoding: str
    index: FileIndex

    @classmethod
    def of(cls, case: str, path: Path) -> Copy:
        """What the index says of the case, as if it were at ``path`` (nothing written)."""
        data = CASES[case].data
        text, encoding = decode(data)
        return cls(path, data, text, encoding, index_bytes(data, str(path)))

    @classmethod
    def make(cls, case: str, folder: Path) -> Copy:
        """The case copied into ``folder``."""
        copy = cls.of(case, folder / f"{case}.py")
        copy.path.write_bytes(copy.data)
        return copy

    def splice(self, edits: list[tuple[Span, str]]) -> bytes:
        """The file's bytes with each span's text replaced (the expected output)."""
        source = SourceText(self.text)
        pieces: list[str] = []
        position = 0
        for span, new in sorted(edits, key=lambda edit: edit[0]):
            start = source.offset(span.line, span.column)
            assert start >= position, "overlapping edits"
            pieces += [self.text[position:start], new]
            position = source.offset(span.end_line, span.end_column)
        return ("".join(pieces) + self.text[position:]).encode(self.encoding)

    def segment(self, span: Span) -> str:
        return SourceText(self.text).segment(span)

    def occurrences(self, name: str) -> list[Occurrence]:
        return [o for o in self.index.occurrences if o.name == name]


# -- rename -------------------------------------------------------------------------------

_SIMPLE = re.compile(r"([rRuU]?)('''|\"\"\"|'|\")(.*)\2", re.DOTALL)


def _respelled(segment: str, old_value: str, new_value: str) -> str | None:
    """``segment`` (one literal spelling ``old_value`` verbatim) with ``new_value`` in
    it, same prefix and quotes; ``None`` for concatenations and escapes."""
    match = _SIMPLE.fullmatch(segment)
    if not match or match.group(3) != old_value or any(c in old_value for c in "\\\r\n"):
        return None
    prefix, quote, _ = match.groups()
    return f"{prefix}{quote}{new_value}{quote}"


def rename_cases() -> list[object]:
    """(case, old, new): every name of every file whose literals can be respelled."""
    params: list[object] = []
    for case in corpus_params():
        name = case.values[0]  # type: ignore[attr-defined]
        copy = Copy.of(name, CORPUS / name / "input.py")
        names = {o.name for o in copy.index.occurrences} | {r.name for r in copy.index.api_refs}
        for number, old in enumerate(sorted(names)):
            edits = _rename_edits(copy, old, f"renamed_{number}")
            if edits is not None:
                params.append(
                    pytest.param(
                        name, old, f"renamed_{number}", id=f"{name}-{number}", marks=case.marks
                    )  # type: ignore[attr-defined]
                )
    return params


def _rename_edits(copy: Copy, old: str, new: str) -> list[tuple[Span, str]] | None:
    edits: list[tuple[Span, str]] = []
    items = [*copy.index.occurrences, *copy.index.api_refs]
    for item in items:
        if item.name != old and not item.name.startswith(old + "."):
            continue
        spelled = _respelled(copy.segment(item.name_span), item.name, new + item.name[len(old) :])
        if spelled is None:
            return None
        edits.append((item.name_span, spelled))
    return edits


@pytest.mark.parametrize(("case", "old", "new"), rename_cases())
def test_rename_changes_only_the_name_literals(
    case: str, old: str, new: str, tmp_path: Path
) -> None:
    copy = Copy.make(case, tmp_path)
    edits = _rename_edits(copy, old, new)
    assert edits
    result = hpman("rename", old, new, str(copy.path), "--write")
    assert (result.exit_code, result.stderr) == (0, result.stderr), result.stderr
    assert copy.path.read_bytes() == copy.splice(edits)


def valid_name(name: str) -> bool:
    """What rename accepts as NEW: identifiers joined by dots."""
    return all(part.isidentifier() for part in name.split("."))


@pytest.mark.parametrize(
    ("case", "old", "new"),
    [p for p in rename_cases() if valid_name(p.values[1])],  # type: ignore[attr-defined]
)
def test_rename_there_and_back_restores_every_byte(
    case: str, old: str, new: str, tmp_path: Path
) -> None:
    copy = Copy.make(case, tmp_path)
    assert hpman("rename", old, new, str(copy.path), "--write").exit_code == 0
    back = hpman("rename", new, old, str(copy.path), "--write")
    assert back.exit_code == 0, back.stderr
    assert copy.path.read_bytes() == copy.data


# -- set-default ----------------------------------------------------------------------------


def _inside(inner: Span, outer: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (
        inner.end_line,
        inner.end_column,
    ) <= (outer.end_line, outer.end_column)


def set_default_cases() -> list[object]:
    """(case, name): names with a default, no range/choices hint, and no other call
    site inside a default (replacing it would delete that site: refused)."""
    params: list[object] = []
    for case in corpus_params():
        name = case.values[0]  # type: ignore[attr-defined]
        copy = Copy.of(name, CORPUS / name / "input.py")
        for hp in sorted({o.name for o in copy.index.occurrences if o.has_default}):
            occurrences = copy.occurrences(hp)
            if any({"range", "choices"} & set(o.hint_dict) for o in occurrences):
                continue
            others = [*copy.index.occurrences, *copy.index.api_refs]
            if any(
                o.default_span and other is not o and _inside(other.span, o.default_span)
                for o in occurrences
                for other in others
            ):
                continue
            params.append(pytest.param(name, hp, id=f"{name}-{hp[:20]}", marks=case.marks))  # type: ignore[attr-defined]
    return params


@pytest.mark.parametrize(("case", "name"), set_default_cases())
def test_set_default_changes_only_the_defaults(case: str, name: str, tmp_path: Path) -> None:
    copy = Copy.make(case, tmp_path)
    edits = [(o.default_span, "424242") for o in copy.occurrences(name) if o.default_span]
    result = hpman("set-default", name, "424242", str(copy.path), "--write", "--allow-type-change")
    assert result.exit_code == 0, result.stderr
    assert copy.path.read_bytes() == copy.splice(edits)


#: Multi-line defaults written with the file's newline (its first line's), not their own:
#: set-default writes a multi-line VALUE so (remove leaves a default where it is, as it is).
FILE_NEWLINE = {
    ("mixed_newlines", "gamma"): "(3,\\r\\n 4) in a file whose first newline is \\n",
    ("mixed_newlines", "delta"): '"""one\\r\\ntwo\\nthree""" likewise',
}


def set_default_round_trip_cases() -> list[object]:
    """The set-default cases whose defaults all have one literal text: setting that text
    again must restore the file."""
    params = []
    for param in set_default_cases():
        case, name = param.values  # type: ignore[attr-defined]
        copy = Copy.of(case, CORPUS / case / "input.py")
        olds = {o.default for o in copy.occurrences(name) if o.default is not None}
        if len(olds) == 1 and is_literal_text(next(iter(olds))):
            params.append(param)
    return params


@pytest.mark.parametrize(("case", "name"), set_default_round_trip_cases())
def test_set_default_back_to_the_old_text_restores_every_byte(
    case: str, name: str, tmp_path: Path
) -> None:
    copy = Copy.make(case, tmp_path)
    (old,) = {o.default for o in copy.occurrences(name) if o.default is not None}
    assert (
        hpman(
            "set-default", name, "424242", str(copy.path), "--write", "--allow-type-change"
        ).exit_code
        == 0
    )
    back = hpman("set-default", name, old, str(copy.path), "--write", "--allow-type-change")
    if (case, name) in FILE_NEWLINE:
        assert back.exit_code == 0, back.stderr
        newline = re.compile(r"\r\n|\r|\n")
        first = newline.search(copy.text).group()  # type: ignore[union-attr]
        expected = copy.text.replace(old, newline.sub(first, old))
        assert decode(copy.path.read_bytes())[0] == expected
    else:
        assert back.exit_code == 0, back.stderr
        assert copy.path.read_bytes() == copy.data


# -- remove -------------------------------------------------------------------------------------


def remove_cases() -> list[object]:
    """(case, name): names the documented rule lets ``remove`` take away: one literal
    default text, never set, no API reference but plain reads, no site inside a default."""
    params: list[object] = []
    for case in corpus_params():
        name = case.values[0]  # type: ignore[attr-defined]
        copy = Copy.of(name, CORPUS / name / "input.py")
        for hp in sorted({o.name for o in copy.index.occurrences}):
            occurrences = copy.occurrences(hp)
            defaults = {o.default for o in occurrences if o.default is not None}
            if len(defaults) != 1 or not is_literal_text(next(iter(defaults))):
                continue
            if any(r.name == hp for r in copy.index.api_refs):
                continue
            others = [*copy.index.occurrences, *copy.index.api_refs]
            if any(
                _inside(other.span, o.span) and other is not o
                for o in occurrences
                for other in others
            ):
                continue
            params.append(pytest.param(name, hp, id=f"{name}-{hp[:20]}", marks=case.marks))  # type: ignore[attr-defined]
    return params


def _without_calls(tree: ast.AST, name: str) -> ast.AST:
    """``tree`` with every ``_(name, ...)`` call replaced by its default expression."""
    template = next(
        node.args[1]
        for node in ast.walk(tree)
        if _is_site(node, name) and len(node.args) == 2  # type: ignore[attr-defined]
    )

    class Inline(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            self.generic_visit(node)
            return copy.deepcopy(template) if _is_site(node, name) else node

    return Inline().visit(tree)


def _is_site(node: ast.AST, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == name
    )


#: Removals refused (exit 1, nothing written) rather than done, and why.
REFUSED_REMOVALS = {
    ("fstrings", "fs_eq"): "in a self-documenting f-string field, whose printed label would change",
}


@pytest.mark.parametrize(("case", "name"), remove_cases())
def test_remove_changes_only_the_calls_and_keeps_the_meaning(
    case: str, name: str, tmp_path: Path
) -> None:
    copy = Copy.make(case, tmp_path)
    result = hpman("remove", name, str(copy.path), "--write")
    if (case, name) in REFUSED_REMOVALS:
        assert result.exit_code == 1
        assert "self-documenting f-string field" in result.stderr
        assert copy.path.read_bytes() == copy.data
        return
    assert result.exit_code == 0, result.stderr
    new_text, encoding = decode(copy.path.read_bytes())
    assert encoding == copy.encoding
    # Bytes: outside the calls nothing moved; each call became its default, perhaps
    # wrapped in parentheses (needed for precedence) or spaced from a keyword, and the
    # comments of the calls went to lines of their own. No comment is lost.
    (default,) = {o.default for o in copy.occurrences(name) if o.default is not None}
    source = SourceText(copy.text)
    pattern, position = [], 0
    for occ in sorted(copy.occurrences(name), key=Occurrence.sort_key):
        start = source.offset(occ.span.line, occ.span.column)
        pattern += [
            _with_comment_lines(copy.text[position:start]),
            f" ?(?:{re.escape(default)}|\\({re.escape(default)}\\)) ?",
        ]
        position = source.offset(occ.span.end_line, occ.span.end_column)
    pattern.append(_with_comment_lines(copy.text[position:]))
    assert re.fullmatch("".join(pattern), new_text, re.DOTALL)
    assert not _comments(copy.text) - _comments(new_text)  # (a default's may be copied)
    # Meaning: the new module is the old one with the calls inlined.
    expected = _without_calls(ast.parse(copy.text), name)
    assert _dump(ast.parse(new_text)) == _dump(expected)


def _with_comment_lines(text: str) -> str:
    """A pattern for ``text`` with lines holding only a comment allowed after each of
    its line breaks (and at its start)."""
    comment_lines = r"(?:[ \t\f]*#[^\r\n]*(?:\r\n|\r|\n))*"
    parts = re.split(r"(\r\n|\r|\n)", text)
    escaped = [re.escape(p) + (comment_lines if p in ("\r\n", "\r", "\n") else "") for p in parts]
    return comment_lines + "".join(escaped)


def _comments(text: str) -> Counter[str]:
    """Every comment of ``text`` (without trailing blanks), counted."""
    tokens = tokenize.generate_tokens(io.StringIO(text, newline="").readline)
    return Counter(t.string.rstrip() for t in tokens if t.type == tokenize.COMMENT)


def _dump(tree: ast.AST) -> str:
    """``ast.dump`` without the text of self-documenting f-string fields."""
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            node.values = [
                v
                for v, after in zip(node.values, [*node.values[1:], None])
                if not (
                    isinstance(v, ast.Constant)
                    and str(v.value).endswith("=")
                    and isinstance(after, ast.FormattedValue)
                )
            ]
    return ast.dump(tree)


# -- nothing to do, nothing written ---------------------------------------------------------------

ELSEWHERE = b"from hpman_cst.m import _\nx = _('only_elsewhere', 1)\n"


@pytest.mark.parametrize("case", corpus_params())
@pytest.mark.parametrize(
    "command",
    [
        pytest.param(("rename", "only_elsewhere", "moved"), id="rename"),
        pytest.param(("set-default", "only_elsewhere", "2"), id="set-default"),
        pytest.param(("remove", "only_elsewhere"), id="remove"),
    ],
)
def test_a_command_that_matches_nothing_in_a_file_leaves_it_alone(
    case: str, command: tuple[str, ...], tmp_path: Path
) -> None:
    copy = Copy.make(case, tmp_path)
    other = tmp_path / "other.py"
    other.write_bytes(ELSEWHERE)
    stamp = copy.path.stat().st_mtime_ns
    result = hpman(*command, str(tmp_path), "--write")
    assert result.exit_code == 0, result.stderr
    assert other.read_bytes() != ELSEWHERE
    assert copy.path.read_bytes() == copy.data
    assert copy.path.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("case", corpus_params())
@pytest.mark.parametrize("mode", [(), ("--check",)], ids=["diff", "check"])
def test_diff_and_check_modes_write_nothing(
    case: str, mode: tuple[str, ...], tmp_path: Path
) -> None:
    copy = Copy.make(case, tmp_path)
    stamp = copy.path.stat().st_mtime_ns
    hpman("rename", copy.index.occurrences[0].name, "renamed", str(copy.path), *mode)
    assert copy.path.read_bytes() == copy.data
    assert copy.path.stat().st_mtime_ns == stamp


def test_corpus_copy_is_the_corpus(tmp_path: Path) -> None:
    for case in CASES:
        assert (
            Copy.make(case, tmp_path).path.read_bytes() == (CORPUS / case / "input.py").read_bytes()
        )
        shutil.rmtree(tmp_path)
        tmp_path.mkdir()


@pytest.mark.parametrize(
    ("case", "old"),
    [
        pytest.param("latin1_cookie", "café", id="latin-1"),
        pytest.param("cp1252_cookie_line2", "price", id="cp1252"),
    ],
)
def test_a_name_the_file_encoding_cannot_hold_is_written_as_escapes(
    case: str, old: str, tmp_path: Path
) -> None:
    copy = Copy.make(case, tmp_path)
    result = hpman("rename", old, "名前", str(copy.path), "--write")
    assert result.exit_code == 0
    new = copy.path.read_bytes()
    assert b"\\u540d\\u524d" in new  # the name's literal spells it with escapes
    assert new.replace(b"\\u540d\\u524d", old.encode("latin-1")) == copy.data


@pytest.mark.parametrize("new", ["with space", "1x", "a..b", "", "é-é"])
def test_rename_to_a_name_that_is_not_valid_is_refused(new: str, tmp_path: Path) -> None:
    copy = Copy.make("string_prefixes", tmp_path)
    result = hpman("rename", "single", new, str(copy.path), "--write")
    assert result.exit_code == 1
    assert "not a valid hyper-parameter name" in result.stderr
    assert copy.path.read_bytes() == copy.data
