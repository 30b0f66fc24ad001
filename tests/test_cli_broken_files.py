"""A file that does not parse blocks a rewrite only when its text could hold the name
being changed (a cheap textual check, as the pre-check is); the message says how to
leave it out (``--exclude``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import runner
from click.testing import Result

from hpman_cst.cli import cli
from hpman_cst.index import may_mention

GOOD = b"from hpman_cst.m import _\nlr = _('lr', 0.1)\nm = _('optim.momentum', 0.9)\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "train.py").write_bytes(GOOD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def hpman(*args: str) -> Result:
    return runner().invoke(cli, list(args))


def test_a_broken_file_that_cannot_hold_the_name_does_not_block(project: Path) -> None:
    broken = b"from hpman_cst.m import _\nbs = _('batch_size', 32\n"
    (project / "broken.py").write_bytes(broken)
    result = hpman("rename", "lr", "rate", "--write")
    assert (result.exit_code, result.stderr) == (0, "1 file changed, 1 call site\n")
    assert b"_('rate', 0.1)" in (project / "train.py").read_bytes()
    assert (project / "broken.py").read_bytes() == broken


def test_a_broken_file_that_may_hold_the_name_blocks_with_an_exclude_hint(project: Path) -> None:
    # unmatched ')': an error every supported Python words alike
    (project / "broken.py").write_bytes(b"from hpman_cst.m import _\nx = _('lr'))\n")
    result = hpman("rename", "lr", "rate", "--write")
    assert result.exit_code == 2
    assert result.stderr == (
        "hpman: broken.py:2:12: unmatched ')' (a file that does not parse may use the"
        " name being changed: fix it, or leave it out with --exclude broken.py)\n"
    )
    assert (project / "train.py").read_bytes() == GOOD
    excluded = hpman("rename", "lr", "rate", "--write", "--exclude", "broken.py")
    assert excluded.exit_code == 0


def test_the_new_name_of_a_rename_counts_too(project: Path) -> None:
    (project / "broken.py").write_bytes(b"from hpman_cst.m import _\nx = _('rate', 2\n")
    assert hpman("rename", "lr", "rate").exit_code == 2
    assert hpman("rename", "lr", "learning_rate").exit_code == 0


@pytest.mark.parametrize(
    ("command", "blocked_by", "free_of"),
    [
        pytest.param(("set-default", "lr", "0.5"), b"_('lr',", b"_('bs',", id="set-default"),
        pytest.param(("remove", "lr"), b"_('lr',", b"_('bs',", id="remove"),
    ],
)
def test_every_rewriting_command(
    project: Path, command: tuple[str, ...], blocked_by: bytes, free_of: bytes
) -> None:
    (project / "broken.py").write_bytes(b"from hpman_cst.m import _\n" + free_of + b"\n")
    assert hpman(*command).exit_code == 0
    (project / "broken.py").write_bytes(b"from hpman_cst.m import _\n" + blocked_by + b"\n")
    assert hpman(*command).exit_code == 2


def test_a_file_that_does_not_decode_is_checked_as_bytes(project: Path) -> None:
    (project / "latin.py").write_bytes(b"# caf\xe9\nx = _('bs', 1)\n")
    assert hpman("rename", "lr", "rate").exit_code == 0
    (project / "latin.py").write_bytes(b"# caf\xe9\nx = _('lr', 1)\n")
    assert hpman("rename", "lr", "rate").exit_code == 2


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        pytest.param(b"_('lr'", "lr", True, id="plain"),
        pytest.param(b"_('bs'", "lr", False, id="absent"),
        pytest.param(b"_('optim' '.lr'", "optim.lr", True, id="in-pieces"),
        pytest.param(b"_('opt' 'im.m'", "optim.m", True, id="a-part-whole"),
        pytest.param(b"_('\\x6cr'", "lr", True, id="hex-escape"),
        pytest.param(b"_('\\154r'", "lr", True, id="octal-escape"),
        pytest.param(b"_('a\\nb'", "lr", False, id="newline-escape-spells-no-letter"),
        pytest.param("_('caf\u00e9'".encode(), "caf\u00e9", True, id="non-ascii"),
        pytest.param("_('caf\u00e9'".encode(), "th\u00e9", False, id="non-ascii-absent"),
    ],
)
def test_may_mention(text: bytes, name: str, expected: bool) -> None:
    assert may_mention(text, name) is expected
