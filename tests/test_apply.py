"""The apply engine: every proof it demands before writing, atomic writes, and the
properties of the three transforms on generated code."""

from __future__ import annotations

import ast
import concurrent.futures
import os
import stat
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_transforms import run

import hpman_cst.cst.agree
import hpman_cst.refactor.execute
from hpman_cst.cst.transforms import RemoveTransformer, RenameTransformer, SetDefaultTransformer
from hpman_cst.exceptions import RefactorRefused, RewriteError
from hpman_cst.index import index_bytes, index_file
from hpman_cst.refactor.execute import execute
from hpman_cst.refactor.plan import plan_remove, plan_rename, plan_set_default
from hpman_cst.refactor.write import write


def _plan_files(paths: list[Path], old: str = "lr", new: str = "learning_rate") -> object:
    return plan_rename([index_file(str(p)) for p in paths], old, new)


def test_only_changed_files_are_parsed_by_libcst(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [tmp_path / "a.py", tmp_path / "b.py", tmp_path / "c.py"]
    paths[0].write_text("x = _('lr', 0.1)\n")
    paths[1].write_text("y = _('other', 1)\n")
    paths[2].write_text("z = 1\n")
    parsed: list[str] = []
    real = hpman_cst.cst.agree.parse_text

    def counting(text: str, path: str = "<unknown>", encoding: str = "utf-8") -> object:
        parsed.append(path)
        return real(text, path, encoding)

    monkeypatch.setattr(hpman_cst.cst.agree, "parse_text", counting)
    plan = plan_rename([index_file(str(p)) for p in paths], "lr", "learning_rate")
    changes = execute(plan)
    assert parsed == [str(paths[0])]
    assert [c.path for c in changes] == [str(paths[0])]
    assert changes[0].new == b"x = _('learning_rate', 0.1)\n"
    assert changes[0].sites == 1


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param(
            "try:\n    pass\nexcept OSError : _('lr', 1)\n",
            "libcst does not print this file back unchanged",
            id="inexact-round-trip",
        ),
        pytest.param(
            "(x): int = _('lr', 1)\n", "libcst cannot parse this file", id="libcst-cannot-parse"
        ),
    ],
)
def test_files_libcst_cannot_reproduce_are_refused(source: str, message: str) -> None:
    with pytest.raises(RewriteError) as info:
        run("rename", {"old": "lr", "new": "learning_rate"}, source.encode())
    assert message in str(info.value)
    assert str(info.value).startswith("input.py:")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("try:\n    _('lr', 1)\nexcept OSError :\n    pass\n", id="inexact-round-trip"),
        pytest.param("(x): int = 1\n_('lr', 1)\n", id="libcst-cannot-parse"),
    ],
)
def test_a_statement_libcst_cannot_reproduce_does_not_block_the_others(source: str) -> None:
    # libcst sees only the statements around the edits; the checks cover the whole file.
    new = run("rename", {"old": "lr", "new": "learning_rate"}, source.encode())
    assert new == source.replace("'lr'", "'learning_rate'").encode()


def _count_libcst_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = hpman_cst.cst.agree.parse_text

    def counting(text: str, path: str = "<unknown>", encoding: str = "utf-8") -> object:
        parsed.append(text)
        return real(text, path, encoding)

    monkeypatch.setattr(hpman_cst.cst.agree, "parse_text", counting)
    return parsed


def test_libcst_parses_only_the_statements_around_the_edits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = (
        b"import torch\n\n\nclass Net:\n    def __init__(self):\n        self.a = 1\n"
        b"        self.lr = _('lr',\n            0.1)  # the rate\n        self.b = 2\n\n"
        b"@register(_('lr'))\ndef f(x):\n    return x\n"
    )
    parsed = _count_libcst_parses(monkeypatch)
    plan = plan_rename([index_bytes(data, "t.py")], "lr", "learning_rate")
    (change,) = execute(plan, read=lambda _: data)
    assert change.new == data.replace(b"'lr'", b"'learning_rate'")
    assert parsed == [
        "if True:\n        self.lr = _('lr',\n            0.1)  # the rate\n",
        "pass\n@register(_('lr'))\ndef f(x):\n    return x\n",
    ]


@pytest.mark.parametrize(
    ("source", "region"),
    [
        pytest.param(
            "x = 1; y = '''\n'''; z = _('lr', 1)\nw = 2\n",
            "pass\nx = 1; y = '''\n'''; z = _('lr', 1)\n",
            id="statements-sharing-a-line",
        ),
        pytest.param(
            "if a and \\\n    b: z = _('lr', 1)\nw = 2\n",
            "pass\nif a and \\\n    b: z = _('lr', 1)\n",
            id="header-continued",
        ),
        pytest.param(
            "if a:\n    pass\nelse: z = _('lr', 1)\nw = 2\n",
            "pass\nif a:\n    pass\nelse: z = _('lr', 1)\n",
            id="else-on-the-line",
        ),
        pytest.param(
            "def f():\n    for i in range(_('lr', 1)):\n        pass\nw = 2\n",
            "if True:\n    for i in range(_('lr', 1)):\n        pass\n",
            id="compound-header",
        ),
        pytest.param(
            "try:\n    pass\nexcept _('lr', E):\n    pass\nw = 2\n",
            "pass\ntry:\n    pass\nexcept _('lr', E):\n    pass\n",
            id="except-clause",
        ),
    ],
)
def test_a_region_begins_with_a_statement(
    source: str, region: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _count_libcst_parses(monkeypatch)
    new = run("rename", {"old": "lr", "new": "learning_rate"}, source.encode())
    assert new == source.replace("'lr'", "'learning_rate'").encode()
    assert parsed == [region]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("if a:\n    pass\nelif _('lr', 1):\n    pass\n", id="elif-test"),
    ],
)
def test_regions_libcst_cannot_parse_alone_go_to_the_whole_file(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _count_libcst_parses(monkeypatch)
    new = run("rename", {"old": "lr", "new": "learning_rate"}, source.encode())
    assert new == source.replace("'lr'", "'learning_rate'").encode()
    assert parsed[-1] == source


class _Disagreeing(RenameTransformer):
    """A transformer that also renames a call the index does not plan to change."""

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        result = super().leave_Call(original_node, updated_node)
        func = result.func if isinstance(result, cst.Call) else None
        if isinstance(result, cst.Call) and isinstance(func, cst.Name) and func.value == "other":
            return result.with_changes(func=cst.Name("changed"))
        return result


def test_transformer_and_splice_must_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"x = 1\ny = (_('lr', 0.1),\n    other(1))\n"
    plan = plan_rename([index_bytes(data, "t.py")], "lr", "learning_rate")
    monkeypatch.setitem(
        hpman_cst.cst.agree.TRANSFORMERS,
        "rename",
        lambda command, placeholders: _Disagreeing(command["old"], command["new"], placeholders),
    )
    with pytest.raises(RewriteError) as info:
        execute(plan, read=lambda _: data)
    assert str(info.value) == (
        "t.py:3: libcst and the index disagree about this line's rewrite (libcst:"
        " `changed(1))`, planned: `other(1))`), so it cannot be proven; nothing was changed:"
        " edit the call sites on this line by hand and run the command again"
    )


def test_a_disagreement_in_line_ends_shows_them() -> None:
    error = hpman_cst.cst.agree._disagreement("t.py", "x\ny = (3,\r\n 4)\n", "x\ny = (3,\n 4)\n")
    assert str(error) == (
        "t.py:2: libcst and the index disagree about this line's rewrite (libcst:"
        " `y = (3,\\r\\n`, planned: `y = (3,\\n`), so it cannot be proven; nothing was"
        " changed: edit the call sites on this line by hand and run the command again"
    )


@pytest.mark.parametrize(
    "now",
    [
        pytest.param(b"x = _('lr', 0.2)\n", id="other-default"),
        pytest.param(b"x = _('lr', 0.1\n", id="no-longer-parses"),
        pytest.param(b"x = _('lr', '\xff')\n", id="no-longer-decodes"),
    ],
)
def test_file_changed_since_scanned(now: bytes) -> None:
    plan = plan_rename([index_bytes(b"x = _('lr', 0.1)\n", "t.py")], "lr", "learning_rate")
    with pytest.raises(RewriteError) as info:
        execute(plan, read=lambda _: now)
    assert str(info.value) == "t.py: the file changed since it was scanned; run the command again"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b'#!python\rx = _("a", 1)', id="cr-only-second-line"),
        pytest.param(b'#!python\r\n#\rx = _("a", 1)\n', id="mixed-third-line"),
        pytest.param(b'#\r_("a", 1)', id="cr-only-statement"),
        pytest.param(
            ("# \u00e9\r" + "y = 1\r" * 50 + 'x = _("a", 1)').encode(), id="cr-only-non-ascii"
        ),
    ],
)
@pytest.mark.parametrize(
    "value", ["'coding: xyz'", '"""\n# coding: xyz\n"""', '"""\r# coding: latin-1\r"""']
)
def test_an_edit_cannot_make_a_coding_cookie(data: bytes, value: str) -> None:
    # Python reads a cookie on line 2 only after a blank or comment line 1, lines ending
    # at \r too: new text in an expression never becomes one, in any newline convention.
    plan = plan_set_default([index_bytes(data, "t.py")], "a", value, allow_type_change=True)
    (change,) = execute(plan, read=lambda _: data)
    python = compile(change.new, "t.py", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    assert ast.dump(python) == ast.dump(ast.parse(change.new_text))
    assert repr(ast.literal_eval(value)) in ast.dump(python)


@pytest.mark.parametrize(
    ("lines", "parses"),
    [
        pytest.param(["x = 1"] * 60 + ["y = _('a')"] * 50, 50, id="fifty-regions"),
        pytest.param(["x = 1"] * 60 + ["y = _('a')"] * 65, 1, id="too-many-regions"),
        pytest.param(["y = _('a')"] * 3000, 1, id="thousands"),
    ],
)
def test_many_edits_in_one_file_go_to_libcst_whole(
    lines: list[str], parses: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = "".join(line + "\n" for line in lines).encode()
    parsed = _count_libcst_parses(monkeypatch)
    (change,) = execute(plan_rename([index_bytes(data, "t.py")], "a", "b"), read=lambda _: data)
    assert change.new == data.replace(b"'a'", b"'b'")
    assert len(parsed) == parses


def test_new_text_the_file_encoding_cannot_hold_is_escaped() -> None:
    data = b"# -*- coding: latin-1 -*-\nx = _('lr', '\xe9')\n"
    plan = plan_rename([index_bytes(data, "t.py")], "lr", "学习率")
    (change,) = execute(plan, read=lambda _: data)
    assert change.new == b"# -*- coding: latin-1 -*-\nx = _('\\u5b66\\u4e60\\u7387', '\xe9')\n"


def test_write_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_bytes(b"x = _('lr', 0.1)\r\n")
    os.chmod(path, 0o754)
    changes = execute(plan_rename([index_file(str(path))], "lr", "learning_rate"))  # type: ignore[arg-type]
    write(changes)
    assert path.read_bytes() == b"x = _('learning_rate', 0.1)\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o754
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.py"]


def test_write_refuses_if_a_file_changed_meanwhile(tmp_path: Path) -> None:
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("x = _('lr', 0.1)\n")
    b.write_text("y = _('lr')\n")
    changes = execute(plan_rename([index_file(str(a)), index_file(str(b))], "lr", "rate"))
    b.write_text("y = _('lr')  # edited meanwhile\n")
    with pytest.raises(RewriteError):
        write(changes)
    assert a.read_text() == "x = _('lr', 0.1)\n"


def test_parallel_execution_gives_the_same_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = []
    for i in range(9):  # this process rewrites files 0, 2, ... and one worker the others
        path = tmp_path / f"m{i}.py"
        path.write_text(f"x{i} = _('lr', 0.1)\ny = _.get_value('lr')\n")
        paths.append(path)
    plan = plan_rename([index_file(str(p)) for p in paths], "lr", "rate")
    pools: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    def counting(max_workers: int, *args: object, **kwargs: object) -> object:
        pools.append(max_workers)
        return real(max_workers, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", counting)
    parallel = execute(plan, jobs=2)
    assert pools == [1]
    assert parallel == execute(plan, jobs=1)
    assert [c.path for c in parallel] == [str(p) for p in paths]


def test_unparsable_scanned_file_blocks_everything() -> None:
    good = index_bytes(b"x = _('lr', 0.1)\n", "good.py")
    bad = index_bytes(b"x = _('lr', 0.1\n", "bad.py")
    for plan in (
        lambda: plan_rename([good, bad], "lr", "rate"),
        lambda: plan_set_default([good, bad], "lr", "0.2"),
        lambda: plan_remove([good, bad], "lr"),
    ):
        with pytest.raises(RewriteError) as info:
            plan()
        assert str(info.value).startswith("bad.py:1:")


# --- properties on generated code -------------------------------------------------

_NAMES = ["lr", "optim.lr", "optim.m", "bs", "lr_decay"]
_QUOTES = ["'", '"', "'''", "r'", 'u"']


@st.composite
def _literal(draw: st.DrawFn, name: str | None = None) -> str:
    quote = draw(st.sampled_from(_QUOTES))
    prefix, q = (quote[0], quote[1:]) if quote[0] in "ru" else ("", quote)
    return f"{prefix}{q}{name or draw(st.sampled_from(_NAMES))}{q}"


_DEFAULTS = st.sampled_from(
    ["1", "0.1", "-2", "'s'", "[1, 2]", "(1,)", "{'k': 1}", "None", "[\n    1,  # c\n    2,\n]"]
)
_SPACE = st.sampled_from(["", " ", "\n    ", "  # note\n    ", " \\\n    "])


@st.composite
def _line(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 8))
    lit, space = draw(_literal()), draw(_SPACE)
    if kind == 0:
        return f"x = _({space}{lit}, {draw(_DEFAULTS)})"
    if kind == 1:
        return f"x = _({space}{lit}{space})"
    if kind == 2:
        return f"_.get_value({lit})"
    if kind == 3:
        return f"_.set_values({{{lit}: 1}})"
    if kind == 4:
        return f"print({lit}, obj._({lit}, 1))  # _({lit})"
    if kind == 5:
        return f'y = f"{{_({lit.replace(chr(34), chr(39))})}}"'
    if kind == 6:
        return f"z = _('outer', [_({lit}), 2]) * 3"
    if kind == 7:
        return f"if True:\n\tw = _({lit}, {draw(_DEFAULTS)}) + 1"
    return f"v = {{{lit}: 'not a call'}}"


@st.composite
def _module(draw: st.DrawFn) -> bytes:
    text = "\n".join(draw(st.lists(_line(), min_size=1, max_size=6))) + "\n"
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return text.replace("\n", newline).encode()


def _names(data: bytes) -> set[str]:
    index = index_bytes(data, "input.py")
    return {o.name for o in index.occurrences} | {r.name for r in index.api_refs}


@settings(max_examples=80, deadline=None)
@given(_module(), st.data())
def test_rename_there_and_back_restores_every_byte(data: bytes, draws: st.DataObject) -> None:
    names = sorted(_names(data))
    if not names:
        return
    old = draws.draw(st.sampled_from(names))
    there = run("rename", {"old": old, "new": "fresh.name"}, data)
    assert there != data
    ast.parse(there)
    assert run("rename", {"old": "fresh.name", "new": old}, there) == data


@settings(max_examples=80, deadline=None)
@given(_module())
def test_transforms_matching_nothing_are_identity(data: bytes) -> None:
    text = data.decode()
    module = cst.parse_module(text)
    for transformer in (
        RenameTransformer("absent", "other"),
        SetDefaultTransformer("absent", "1"),
        RemoveTransformer("absent", "1"),
    ):
        assert module.visit(transformer).code == text
    for command, args in (
        ("rename", {"old": "absent", "new": "other"}),
        ("set_default", {"name": "absent", "value": "1"}),
        ("remove", {"name": "absent"}),
    ):
        with pytest.raises(RefactorRefused):
            run(command, args, data)


@settings(max_examples=80, deadline=None)
@given(_module(), st.data())
def test_outputs_reparse_with_the_intended_sites(data: bytes, draws: st.DataObject) -> None:
    names = sorted(_names(data))
    if not names:
        return
    name = draws.draw(st.sampled_from(names))
    value = draws.draw(st.sampled_from(["7", "'w'", "[3]", "word"]))
    for command, args in (
        ("set_default", {"name": name, "value": value}),
        ("remove", {"name": name}),
    ):
        try:
            result = run(command, args, data)
        except RefactorRefused:
            continue
        ast.parse(result)
        after = index_bytes(result, "input.py")
        if command == "remove":
            assert name not in {o.name for o in after.occurrences}
        else:
            assert all(
                o.default == value or o.value == value.strip("'")
                for o in after.occurrences
                if o.name == name and o.has_default
            )


def test_write_refuses_a_file_planned_twice(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("x = _('lr', 0.1)\n")
    (change,) = execute(plan_rename([index_file(str(path))], "lr", "rate"))
    with pytest.raises(RewriteError):
        write([change, change])
    assert path.read_text() == "x = _('lr', 0.1)\n"


def test_write_checks_every_file_is_writable_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("x = _('lr', 0.1)\n")
    b.write_text("y = _('lr')\n")
    changes = execute(plan_rename([index_file(str(a)), index_file(str(b))], "lr", "rate"))
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, m: real_access(p, m) and not str(p).endswith("b.py")
    )
    with pytest.raises(RewriteError) as info:
        write(changes)
    assert "not writable" in str(info.value)
    assert a.read_text() == "x = _('lr', 0.1)\n"


def test_rewrites_here_when_no_worker_can_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = []
    for i in range(8):
        path = tmp_path / f"m{i}.py"
        path.write_text(f"x{i} = _('lr', 0.1)\n")
        paths.append(path)
    plan = plan_rename([index_file(str(p)) for p in paths], "lr", "rate")

    def no_processes(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_processes)
    assert [c.new for c in execute(plan, jobs=2)] == [
        f"x{i} = _('rate', 0.1)\n".encode() for i in range(8)
    ]


def test_a_worker_s_refusal_comes_back_with_its_place(tmp_path: Path) -> None:
    # A file proven in a worker process fails: its error crosses the process boundary
    # as it is (errors pickle with their place) and stops the command.
    paths = []
    for i in range(9):
        path = tmp_path / f"m{i}.py"
        path.write_text(f"x{i} = _('lr', 0.1)\n")
        paths.append(path)
    plan = plan_rename([index_file(str(p)) for p in paths], "lr", "rate")
    paths[3].write_text("x3 = _('lr', 0.2)\n")  # proven by a worker (jobs=2: odd files)
    with pytest.raises(RewriteError) as caught:
        execute(plan, jobs=2)
    assert (caught.value.path, caught.value.message) == (
        str(paths[3]),
        "the file changed since it was scanned; run the command again",
    )
