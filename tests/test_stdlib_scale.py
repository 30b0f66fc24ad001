"""Real code at scale: over a copy of the standard library that ships with the
interpreter, ``hpman list``, a rename and a set-default run without a crash, and the
bytes prove that nothing but the intended literals changed (the expected files are
spliced here, independently, at the positions the index reports).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sysconfig
import warnings
from collections import Counter
from pathlib import Path

import pytest
from cli_runner import runner
from click.testing import Result

from hpman_cst.cli import cli
from hpman_cst.index import index_bytes
from hpman_cst.records import Occurrence, Span
from hpman_cst.source import SourceText, decode

# Files that Python itself cannot read (they test the tokenizer and the parser): any
# scanned file that does not parse blocks a rewrite, so a real run leaves them out.
BROKEN = ("--exclude", "bad_coding*.py", "--exclude", "badsyntax_*.py")
_SIMPLE = re.compile(r"([rRuU]?)('|\")(.*)\2", re.DOTALL)


def hpman(*args: str) -> Result:
    return runner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def stdlib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = Path(sysconfig.get_paths()["stdlib"])
    copy = tmp_path_factory.mktemp("stdlib")
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "__pycache__"))
        for name in files:
            if name.endswith(".py"):
                source = Path(folder) / name
                target = copy / source.relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    return copy


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*.py") if p.is_file()}


def occurrences(files: dict[str, bytes], placeholder: str = "_") -> dict[str, list[Occurrence]]:
    found: dict[str, list[Occurrence]] = {}
    for path, data in files.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in the stdlib's test data
            index = index_bytes(data, path, placeholder)
        if index.occurrences:
            found[path] = list(index.occurrences)
    return found


def splice(data: bytes, edits: list[tuple[Span, str]]) -> bytes:
    text, encoding = decode(data)
    source = SourceText(text)
    out, position = [], 0
    for span, new in sorted(edits, key=lambda e: e[0]):
        start = source.offset(span.line, span.column)
        out += [text[position:start], new]
        position = source.offset(span.end_line, span.end_column)
    return ("".join(out) + text[position:]).encode(encoding)


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    assert before.keys() == after.keys()
    return {p for p in before if before[p] != after[p]}


@pytest.mark.slow
def test_list_reads_the_whole_stdlib_and_changes_nothing(
    stdlib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(stdlib)
    before = snapshot(stdlib)
    result = hpman("list", "--no-cache", "--format", "json", ".")
    assert "Traceback" not in result.output
    listed = json.loads(result.stdout)
    expected = occurrences(before)
    assert sum(len(h["occurrences"]) for h in listed["hyperparameters"]) == sum(
        len(o) for o in expected.values()
    )
    # Every error is a file Python cannot read either, reported on one line.
    assert all(e["path"] and e["message"] for e in listed["errors"])
    assert result.exit_code == (1 if listed["errors"] else 0)
    # ...and each module whose `_` is gettext's (argparse, optparse, ...) once more.
    left_out = listed.get("left_out", [])
    assert {"argparse.py", "optparse.py"} <= {n["path"] for n in left_out}
    assert len(result.stderr.splitlines()) == len(listed["errors"]) + len(left_out)
    assert snapshot(stdlib) == before


@pytest.mark.slow
def test_rename_over_the_stdlib_changes_only_those_literals(
    stdlib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(stdlib)
    before = snapshot(stdlib)
    found = occurrences(before)
    # The gettext message used most often, written as one plain literal everywhere.
    counts = Counter(o.name for occs in found.values() for o in occs)
    old = next(
        name
        for name, _ in counts.most_common()
        if all(
            _plain(before[path], o) for path, occs in found.items() for o in occs if o.name == name
        )
        and "." not in name
    )
    new = "renamed_message"
    result = hpman("rename", old, new, ".", "--write", *BROKEN)
    assert result.exit_code == 0, result.stderr
    after = snapshot(stdlib)
    expected_paths = {p for p, occs in found.items() if any(o.name == old for o in occs)}
    assert changed(before, after) == expected_paths
    for path in expected_paths:
        edits = [
            (o.name_span, _respelled(_plain(before[path], o), new))
            for o in found[path]
            if o.name == old
        ]
        assert after[path] == splice(before[path], edits), path


@pytest.mark.slow
def test_set_default_over_the_stdlib_changes_only_those_defaults(
    stdlib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stdlib has no `_(name, default)`; `print("label", value)` has the same shape.
    monkeypatch.chdir(stdlib)
    before = snapshot(stdlib)
    found = occurrences(before, "print")
    counts = Counter(o.name for occs in found.values() for o in occs if o.has_default)
    name, _ = counts.most_common(1)[0]
    result = hpman(
        "set-default",
        name,
        "None",
        ".",
        "--placeholder",
        "print",
        "--write",
        "--allow-type-change",
        *BROKEN,
    )
    assert result.exit_code == 0, result.stderr
    after = snapshot(stdlib)
    expected_paths = {
        p for p, occs in found.items() if any(o.name == name and o.has_default for o in occs)
    }
    assert changed(before, after) == expected_paths
    for path in expected_paths:
        edits = [
            (o.default_span, "None")
            for o in found[path]
            if o.name == name and o.default_span is not None
        ]
        assert after[path] == splice(before[path], edits), path


def _plain(data: bytes, occurrence: Occurrence) -> str | None:
    """The name's literal when it is one plain literal (no escapes), else ``None``."""
    text, _ = decode(data)
    literal = SourceText(text).segment(occurrence.name_span)
    match = _SIMPLE.fullmatch(literal)
    if not match or match.group(3) != occurrence.name or "\\" in literal:
        return None
    return literal


def _respelled(literal: str | None, new: str) -> str:
    """``literal`` with ``new`` between its quotes, prefix kept."""
    match = _SIMPLE.fullmatch(literal or "")
    assert match
    prefix, quote, _ = match.groups()
    return f"{prefix}{quote}{new}{quote}"
