"""The nasty-file corpus (``fixtures/nasty/``, built by ``tests/nasty_corpus.py``): the
index finds exactly the expected call sites at the right places, decoding keeps every
byte, the pre-check never skips a file with a site, and atomic writes keep bytes,
permissions and symlinks."""

from __future__ import annotations

import ast
import json
import os
import stat
import sys
from pathlib import Path

import pytest
from nasty_corpus import CASES, MIN_PYTHON

from hpman_cst.index import index_bytes, index_file, may_contain_call
from hpman_cst.records import Occurrence
from hpman_cst.source import SourceText, atomic_write, decode, read_bytes

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "nasty"
CASE_DIRS = [pytest.param(d, id=d.name) for d in sorted(CORPUS.iterdir()) if d.is_dir()]
PARSABLE_CASE_DIRS = [
    pytest.param(
        d,
        id=d.name,
        marks=pytest.mark.skipif(
            sys.version_info < MIN_PYTHON.get(d.name, (3, 9)), reason="newer syntax"
        ),
    )
    for d in sorted(CORPUS.iterdir())
    if d.is_dir()
]


def expected(case_dir: Path) -> dict[str, list[object]]:
    doc: dict[str, list[object]] = json.loads((case_dir / "expected.json").read_bytes())
    return doc


def test_corpus_folders_are_the_generated_ones() -> None:
    assert sorted(d.name for d in CORPUS.iterdir() if d.is_dir()) == sorted(CASES)


@pytest.mark.parametrize("case_dir", CASE_DIRS)
def test_corpus_bytes_are_exactly_as_generated(case_dir: Path) -> None:
    # Guards against git or an editor normalising newlines, BOMs, tabs or encodings.
    case = CASES[case_dir.name]
    assert (case_dir / "input.py").read_bytes() == case.data
    assert (case_dir / "expected.json").read_bytes().decode("utf-8") == case.expected_json()


@pytest.mark.parametrize("case_dir", PARSABLE_CASE_DIRS)
def test_index_finds_expected_sites(case_dir: Path) -> None:
    index = index_file(str(case_dir / "input.py"))
    found = sorted(index.occurrences, key=Occurrence.sort_key)
    assert [[o.name, o.default] for o in found] == expected(case_dir)["occurrences"]
    assert [r.name for r in sorted(index.api_refs, key=lambda r: r.sort_key())] == expected(
        case_dir
    )["api_refs"]
    assert [p.code.value for p in index.problems] == expected(case_dir)["problems"]


@pytest.mark.parametrize("case_dir", PARSABLE_CASE_DIRS)
def test_spans_cover_the_source_text(case_dir: Path) -> None:
    text, _ = decode((case_dir / "input.py").read_bytes())
    source = SourceText(text)
    index = index_file(str(case_dir / "input.py"))
    for occ in index.occurrences:
        # Parenthesised, a multi-line implicit concatenation is one expression.
        assert ast.literal_eval("(" + source.segment(occ.name_span) + ")") == occ.name
        call = ast.parse("(" + source.segment(occ.span) + ")", mode="eval").body
        assert isinstance(call, ast.Call)
        assert isinstance(call.func, ast.Name)
        assert call.func.id == "_"
        if occ.default_span is not None:
            assert source.segment(occ.default_span) == occ.default
    for ref in index.api_refs:
        assert ast.literal_eval(source.segment(ref.name_span)) == ref.name


@pytest.mark.parametrize("case_dir", CASE_DIRS)
def test_decode_then_encode_is_byte_identical(case_dir: Path) -> None:
    data = (case_dir / "input.py").read_bytes()
    text, encoding = decode(data)
    assert text.encode(encoding) == data


@pytest.mark.parametrize(
    ("case", "encoding"),
    [
        pytest.param("bom", "utf-8-sig", id="bom"),
        pytest.param("bom_with_cookie", "utf-8-sig", id="bom-with-cookie"),
        pytest.param("latin1_cookie", "iso-8859-1", id="latin1"),
        pytest.param("cp1252_cookie_line2", "cp1252", id="cp1252-line2"),
        pytest.param("crlf", "utf-8", id="ascii"),
        pytest.param("unicode_separators", "utf-8", id="utf8"),
    ],
)
def test_decode_uses_pythons_encoding(case: str, encoding: str) -> None:
    text, found = decode(CASES[case].data)
    assert found == encoding
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("case", "newlines"),
    [
        pytest.param("crlf", {"\r\n"}, id="crlf"),
        pytest.param("mixed_newlines", {"\n", "\r\n", "\r"}, id="mixed"),
        pytest.param("bom_with_cookie", {"\r\n"}, id="bom-crlf"),
    ],
)
def test_decode_keeps_newlines(case: str, newlines: set[str]) -> None:
    text, _ = decode(CASES[case].data)
    lines = SourceText(text)
    found = {
        lines.line_text(n)[len(lines.line_text(n).rstrip("\r\n")) :]
        for n in range(1, len(lines.line_starts) + 1)
    }
    assert found - {""} == newlines


@pytest.mark.parametrize("case_dir", PARSABLE_CASE_DIRS)
def test_precheck_never_skips_a_file_with_sites(case_dir: Path) -> None:
    data = (case_dir / "input.py").read_bytes()
    doc = expected(case_dir)
    assert doc["occurrences"] or doc["api_refs"] or doc["problems"]
    assert may_contain_call(data, "_")
    assert index_bytes(data, "x.py", precheck=True) == index_bytes(data, "x.py", precheck=False)


@pytest.mark.parametrize("case_dir", CASE_DIRS)
@pytest.mark.parametrize("mode", [0o644, 0o600, 0o755, 0o444], ids=oct)
def test_atomic_write_keeps_bytes_and_mode(case_dir: Path, mode: int, tmp_path: Path) -> None:
    data = (case_dir / "input.py").read_bytes()
    target = tmp_path / "input.py"
    target.write_bytes(b"old contents\n")
    target.chmod(mode)
    atomic_write(target, data)
    assert target.read_bytes() == data
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input.py"]


@pytest.mark.parametrize(
    ("link_folder", "link_target"),
    [
        pytest.param("real", "mod.py", id="same-folder"),
        pytest.param("links", "../real/mod.py", id="other-folder"),
        pytest.param("links", None, id="absolute"),
        pytest.param("links", "chain.py", id="chain"),
    ],
)
def test_atomic_write_goes_through_a_symlink(
    link_folder: str, link_target: str | None, tmp_path: Path
) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "links").mkdir()
    real = tmp_path / "real" / "mod.py"
    real.write_bytes(CASES["crlf"].data)
    real.chmod(0o640)
    if link_target == "chain.py":
        (tmp_path / "links" / "chain.py").symlink_to("../real/mod.py")
    target = str(real) if link_target is None else link_target
    link = tmp_path / link_folder / "link.py"
    link.symlink_to(target)
    before = {p: sorted(c.name for c in p.iterdir()) for p in tmp_path.iterdir()}
    atomic_write(link, CASES["bom"].data)
    assert link.is_symlink()
    assert os.readlink(link) == target
    assert real.read_bytes() == CASES["bom"].data
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert {p: sorted(c.name for c in p.iterdir()) for p in tmp_path.iterdir()} == before


def test_atomic_write_failure_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "mod.py"
    target.write_bytes(CASES["crlf"].data)

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, CASES["bom"].data)
    assert target.read_bytes() == CASES["crlf"].data
    assert [p.name for p in tmp_path.iterdir()] == ["mod.py"]


def test_read_bytes_returns_the_exact_bytes(tmp_path: Path) -> None:
    for name, case in CASES.items():
        path = tmp_path / f"{name}.py"
        path.write_bytes(case.data)
        assert read_bytes(path) == case.data


def _has_problems(param: object) -> bool:
    return bool(expected(param.values[0])["problems"])  # type: ignore[attr-defined]


@pytest.mark.parametrize("case_dir", [p for p in PARSABLE_CASE_DIRS if not _has_problems(p)])
def test_runtime_reads_every_clean_corpus_file(case_dir: Path) -> None:
    from hpman_cst.runtime import HyperParameterManager

    manager = HyperParameterManager().parse_file(str(case_dir / "input.py"))
    found = sorted(manager.get_occurrences(), key=Occurrence.sort_key)
    assert [[o.name, o.default] for o in found] == expected(case_dir)["occurrences"]


@pytest.mark.parametrize("case_dir", [p for p in PARSABLE_CASE_DIRS if _has_problems(p)])
def test_runtime_names_the_problem_of_a_corpus_file(case_dir: Path) -> None:
    from hpman_cst.exceptions import HpmanError
    from hpman_cst.runtime import HyperParameterManager

    path = str(case_dir / "input.py")
    with pytest.raises(HpmanError) as caught:
        HyperParameterManager().parse_file(path)
    assert str(caught.value).startswith(path + ":")


@pytest.mark.parametrize("case_dir", PARSABLE_CASE_DIRS)
def test_hpman_list_reads_every_corpus_file_and_changes_nothing(
    case_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli_runner import runner

    from hpman_cst.cli import cli

    path = tmp_path / "input.py"
    path.write_bytes((case_dir / "input.py").read_bytes())
    stamp = path.stat().st_mtime_ns
    monkeypatch.chdir(tmp_path)
    result = runner().invoke(cli, ["list", "--no-cache", "--format", "json", "input.py"])
    doc = expected(case_dir)
    assert result.exit_code == (1 if doc["problems"] else 0), result.stderr
    listed = json.loads(result.stdout)
    found = sorted(
        (o["line"], o["column"], h["name"], o["default"])
        for h in listed["hyperparameters"]
        for o in h["occurrences"]
    )
    assert [[name, default] for _, _, name, default in found] == doc["occurrences"]
    assert len(listed["errors"]) == len(doc["problems"])
    assert path.read_bytes() == (case_dir / "input.py").read_bytes()
    assert path.stat().st_mtime_ns == stamp


def test_atomic_write_refuses_a_file_that_changed_since_it_was_read(tmp_path: Path) -> None:
    from hpman_cst.exceptions import FileChanged

    target = tmp_path / "mod.py"
    target.write_bytes(CASES["crlf"].data + b"# edited\r\n")
    with pytest.raises(FileChanged) as caught:
        atomic_write(target, CASES["bom"].data, expect=CASES["crlf"].data)
    assert (
        str(caught.value) == f"{target}: the file changed since it was read; it was not overwritten"
    )
    assert target.read_bytes() == CASES["crlf"].data + b"# edited\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mod.py"]


def test_atomic_write_with_the_expected_bytes_writes(tmp_path: Path) -> None:
    target = tmp_path / "mod.py"
    target.write_bytes(CASES["crlf"].data)
    atomic_write(target, CASES["bom"].data, expect=CASES["crlf"].data)
    assert target.read_bytes() == CASES["bom"].data
