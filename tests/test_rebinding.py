"""The gettext rule: a module that binds a placeholder's name to something other than a
manager is not hyper-parameter code for it, in the index, the CLI, the rewrites and the
runtime alike; a throwaway ``_`` (in a function, a loop, a tuple) does not count."""

from __future__ import annotations

import json
from pathlib import Path

import libcst as cst
import pytest
from cli_runner import runner
from click.testing import Result
from cst_sites_finder import find_sites

from hpman_cst import HyperParameterManager
from hpman_cst.cli import cli
from hpman_cst.index import index_source

CALLS = 'print(_("Loading model..."))\nprint(_(message))\n_.get_value(key)\n'


def index(header: str, placeholders: frozenset[str] = frozenset({"_"})) -> tuple[object, ...]:
    found = index_source(header + CALLS, "ui.py", placeholders)
    return found.occurrences, found.problems, found.dynamic_refs, found.rebound


@pytest.mark.parametrize(
    ("header", "binding", "line"),
    [
        pytest.param(
            "from gettext import gettext as _\n", "`gettext` from `gettext`", 1, id="from"
        ),
        pytest.param("import gettext as _\n", "the module `gettext`", 1, id="import"),
        pytest.param(
            "import gettext\nt = gettext.translation('app')\n_ = t.gettext\n",
            "another value",
            3,
            id="assignment",
        ),
        pytest.param("_: object = str\n", "another value", 1, id="annotated"),
        pytest.param("def _(message):\n    return message\n", "a function", 1, id="def"),
        pytest.param("async def _(m):\n    return m\n", "a function", 1, id="async-def"),
        pytest.param("@decorate\nclass _:\n    pass\n", "a class", 2, id="class"),
        pytest.param(
            "try:\n    from gettext import gettext as _\nexcept ImportError:\n    _ = str\n",
            "`gettext` from `gettext`",
            2,
            id="inside-try",
        ),
        pytest.param(
            "if TYPE:\n    pass\nelse:\n    def _(m):\n        return m\n",
            "a function",
            4,
            id="inside-else",
        ),
        pytest.param(
            "from .i18n import translate as _\n", "`translate` from `.i18n`", 1, id="relative"
        ),
        pytest.param(
            "from django.utils.translation import gettext_lazy as _\n",
            "`gettext_lazy` from `django.utils.translation`",
            1,
            id="django",
        ),
    ],
)
def test_a_placeholder_bound_to_something_else_is_left_out(
    header: str, binding: str, line: int
) -> None:
    occurrences, problems, dynamic, rebound = index(header)
    assert (occurrences, problems, dynamic) == ((), (), ())
    (note,) = rebound  # type: ignore[misc]
    assert (note.placeholder, note.binding, note.line) == ("_", binding, line)
    assert str(note) == (
        f"ui.py:{line}:{note.column + 1}: `_` is bound to {binding} here, not to a"
        " hyper-parameter manager; its calls in this file are left out"
    )


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("", id="no-binding"),
        pytest.param("from hpman_cst.m import _\n", id="hpman_cst.m"),
        pytest.param("from hpman.m import _\n", id="hpman.m"),
        pytest.param("from hpman_cst.m import hp as _\n", id="alias"),
        pytest.param("from .hparams import _\n", id="re-exported"),
        pytest.param("from project.config import _\n", id="re-exported-absolute"),
        pytest.param("import hpman_cst\n_ = hpman_cst.HyperParameterManager('_')\n", id="new"),
        pytest.param("from hpman import HyperParameterManager as H\n_ = H('_')\n", id="class"),
        pytest.param("import hpman_cst.m\n_ = hpman_cst.m._\n", id="attribute"),
        pytest.param("from hpman_cst.m import hp\n_ = hp\n", id="another-manager"),
        pytest.param("def f():\n    _ = g()\n    for _ in x:\n        pass\n", id="in-a-def"),
        pytest.param("class C:\n    def _(self):\n        pass\n", id="a-method"),
        pytest.param("for _ in range(3):\n    pass\n", id="loop"),
        pytest.param("first, _ = pair\n[_ for _ in x]\n", id="tuple-target"),
        pytest.param("with f() as _:\n    pass\n", id="with-as"),
        pytest.param("from hpman_cst.m import _\nfrom gettext import gettext as _\n", id="both"),
    ],
)
def test_a_manager_or_a_throwaway_binding_keeps_the_calls(header: str) -> None:
    occurrences, problems, dynamic, rebound = index(header)
    assert rebound == ()
    assert [o.name for o in occurrences] == ["Loading model..."]  # type: ignore[attr-defined]
    assert len(problems) == len(dynamic) == 1  # type: ignore[arg-type]


def test_the_rule_is_per_placeholder() -> None:
    header = "from gettext import gettext as _\nfrom hpman_cst.m import hp\nhp('lr', 0.1)\n"
    occurrences, problems, _, rebound = index(header, frozenset({"_", "hp"}))
    assert [o.name for o in occurrences] == ["lr"]  # type: ignore[attr-defined]
    assert problems == ()
    assert [r.placeholder for r in rebound] == ["_"]  # type: ignore[attr-defined]


def test_libcst_sites_follow_the_same_rule() -> None:
    text = "from gettext import gettext as _\nfrom hpman_cst.m import hp\nhp('lr', 0.1)\n" + CALLS
    found = find_sites(cst.parse_module(text), {"_", "hp"})
    assert [s.name for s in found.sites] == ["lr"]
    assert (found.problems, found.api_refs, found.dynamic_refs) == ((), (), ())


# ------------------------------------------------------------------ CLI and runtime

UI = 'from gettext import gettext as _\n\nprint(_("epochs"))\nprint(_(message))\n'
TRAIN = 'from hpman_cst.m import _\n\nepochs = _("epochs", 10)\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "ui.py").write_text(UI, encoding="utf-8")
    (tmp_path / "train.py").write_text(TRAIN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def hpman(*args: str) -> Result:
    return runner().invoke(cli, list(args), catch_exceptions=False)


NOTE = (
    "ui.py:1:1: `_` is bound to `gettext` from `gettext` here, not to a hyper-parameter"
    " manager; its calls in this file are left out\n"
)


def test_list_leaves_the_module_out_and_says_why_once(project: Path) -> None:
    result = hpman("list", "--format", "yaml")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "epochs: 10\n", NOTE)


def test_list_json_says_why(project: Path) -> None:
    result = hpman("list", "--format", "json")
    document = json.loads(result.stdout)
    assert [p["name"] for p in document["hyperparameters"]] == ["epochs"]
    assert document["errors"] == []
    assert document["left_out"] == [
        {
            "path": "ui.py",
            "line": 1,
            "column": 0,
            "placeholder": "_",
            "message": NOTE.split(": ", 1)[1].rstrip("\n"),
        }
    ]


def test_rename_leaves_the_module_alone(project: Path) -> None:
    result = hpman("rename", "epochs", "num_epochs", "--write")
    assert (result.exit_code, result.stderr) == (0, "1 file changed, 1 call site\n")
    assert (project / "ui.py").read_text(encoding="utf-8") == UI
    assert (project / "train.py").read_text(encoding="utf-8") == TRAIN.replace(
        '"epochs"', '"num_epochs"'
    )


def test_rename_in_a_module_with_another_placeholder_bound_elsewhere(project: Path) -> None:
    # libcst rewrites the statement holding both calls; it must leave `_` alone too.
    (project / "ui.py").write_text(
        "from gettext import gettext as _\nfrom hpman_cst.m import hp\n"
        'print(_("epochs"), hp("epochs", 10))\n',
        encoding="utf-8",
    )
    result = hpman("rename", "epochs", "num_epochs", "--placeholder", "hp", "--placeholder", "_")
    assert result.exit_code == 0, result.stderr
    assert '-print(_("epochs"), hp("epochs", 10))' in result.stdout
    assert '+print(_("epochs"), hp("num_epochs", 10))' in result.stdout


def test_the_runtime_leaves_the_module_out(project: Path) -> None:
    manager = HyperParameterManager("_").parse_file(str(project))
    assert manager.get_values() == {"epochs": 10}
