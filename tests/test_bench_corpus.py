"""The benchmark corpus generator (``tests/bench/corpus.py``) stays honest: deterministic,
accepted by hpman 0.13's rules and by our index alike, with the shape the benchmark
claims (sizes, calls per file, one default per name, plain files the pre-check skips).

Nothing here is timed; hpman itself is not needed (its rules are restated with ``ast``).
"""

from __future__ import annotations

import ast
import importlib.util
import statistics
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from hpman_cst.index import index_bytes, may_contain_call
from hpman_cst.records import FileIndex, Marker

REPO = Path(__file__).resolve().parent.parent


def _load_corpus_module() -> ModuleType:
    name = "hpman_bench_corpus"
    spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


corpus_module = _load_corpus_module()
N_FILES = 200


@pytest.fixture(scope="module")
def corpus() -> Any:
    return corpus_module.generate(N_FILES, 0.5, seed=7)


@pytest.fixture(scope="module")
def indexes(corpus: Any) -> dict[str, FileIndex]:
    return {p: index_bytes(data, p, precheck=False) for p, data in corpus.files.items()}


def hpman_calls(source: str) -> list[tuple[str, object]]:
    """hpman 0.13's parser, restated: every ``ast.Call`` of the bare name ``_`` in
    ``ast.walk`` order, with one or two positional arguments, a ``str`` constant name and
    literal hints; the default's ``literal_eval`` value or ``NOT_LITERAL``/``NO_DEFAULT``.
    Fails an assertion where hpman would raise."""
    found: list[tuple[str, object]] = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
        ):
            continue
        assert 1 <= len(node.args) <= 2
        first = node.args[0]
        assert isinstance(first, ast.Constant) and isinstance(first.value, str)
        for keyword in node.keywords:
            ast.literal_eval(keyword.value)
        value: object = Marker.NO_DEFAULT
        if len(node.args) == 2:
            try:
                value = ast.literal_eval(node.args[1])
            except ValueError:
                value = Marker.NOT_LITERAL
        found.append((first.value, value))
    return found


def test_same_arguments_give_the_same_bytes() -> None:
    first = corpus_module.generate(40, 0.5, seed=3)
    second = corpus_module.generate(40, 0.5, seed=3)
    assert first.files == second.files
    assert first.managed == second.managed


def test_another_seed_gives_other_files() -> None:
    first = corpus_module.generate(40, 0.5, seed=3)
    other = corpus_module.generate(40, 0.5, seed=4)
    assert len(first.files) == len(other.files)
    assert set(first.files.values()).isdisjoint(other.files.values())


def test_file_count_and_managed_share(corpus: Any) -> None:
    assert len(corpus.files) == N_FILES
    assert len(corpus.managed) == N_FILES // 2


def test_hpman_rules_and_our_index_find_the_same_calls(
    corpus: Any, indexes: dict[str, FileIndex]
) -> None:
    for path, data in corpus.files.items():
        ours = [(o.name, o.value) for o in indexes[path].occurrences]
        assert indexes[path].problems == ()
        assert ours == hpman_calls(data.decode()), path


def test_every_name_has_exactly_one_default(corpus: Any, indexes: dict[str, FileIndex]) -> None:
    defaults: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for index in indexes.values():
        for occurrence in index.occurrences:
            uses[occurrence.name] += 1
            defaults[occurrence.name] += occurrence.has_default
    assert set(defaults.values()) == {1}
    assert dict(uses) == corpus.uses


def test_no_name_is_both_a_leaf_and_a_branch(corpus: Any) -> None:
    names = corpus.names
    branches = {name.rsplit(".", 1)[0] for name in names if "." in name}
    assert not names & branches


def test_names_are_shared_across_files(indexes: dict[str, FileIndex]) -> None:
    files_per_name: Counter[str] = Counter()
    for index in indexes.values():
        for name in {o.name for o in index.occurrences}:
            files_per_name[name] += 1
    assert files_per_name["lr"] >= 10
    assert sum(1 for count in files_per_name.values() if count >= 5) >= 30


def test_plain_files_are_skipped_by_the_precheck(
    corpus: Any, indexes: dict[str, FileIndex]
) -> None:
    plain = [p for p in corpus.files if p not in corpus.managed]
    assert plain
    for path in plain:
        assert not may_contain_call(corpus.files[path]), path
        assert indexes[path].occurrences == ()
        assert indexes[path].api_refs == ()


def test_managed_files_pass_the_precheck(corpus: Any) -> None:
    for path in corpus.managed:
        assert may_contain_call(corpus.files[path]), path


def test_every_file_uses_underscore_as_a_throwaway(corpus: Any) -> None:
    for path, data in corpus.files.items():
        stored = [
            n
            for n in ast.walk(ast.parse(data))
            if isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
        ]
        assert stored, path


def test_managed_files_have_the_documented_shape(
    corpus: Any, indexes: dict[str, FileIndex]
) -> None:
    calls = [len(indexes[p].occurrences) for p in corpus.managed]
    sizes = [len(data) for data in corpus.files.values()]
    target = corpus_module.CALLS_PER_FILE
    assert target - 1.5 <= statistics.mean(calls) <= target + 1.5
    assert 11_000 <= statistics.mean(sizes) <= 13_500


def test_calls_have_hints_multiline_forms_and_non_literal_defaults(
    indexes: dict[str, FileIndex],
) -> None:
    occurrences = [o for index in indexes.values() for o in index.occurrences]
    assert any(o.hints for o in occurrences)
    assert any(o.span.end_line > o.span.line for o in occurrences)
    assert any(o.value is Marker.NOT_LITERAL for o in occurrences)
    assert any(o.value is Marker.NO_DEFAULT for o in occurrences)


def test_managed_files_call_the_manager_api(corpus: Any, indexes: dict[str, FileIndex]) -> None:
    assert all(indexes[p].api_refs for p in corpus.managed)


def test_rename_target_is_in_the_documented_share_of_files(
    corpus: Any, indexes: dict[str, FileIndex]
) -> None:
    holding = [
        p
        for p, index in indexes.items()
        if any(o.name == corpus_module.RENAME_NAME for o in index.occurrences)
    ]
    assert len(holding) == round(N_FILES * corpus_module.RENAME_SHARE)
    assert tuple(holding) == corpus.rename_files
    assert corpus_module.RENAME_NEW_NAME not in corpus.names


def test_write_puts_every_file_under_the_root(tmp_path: Path) -> None:
    small = corpus_module.generate(5, 1.0, seed=1)
    small.write(tmp_path)
    written = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*.py")}
    assert written == small.files
