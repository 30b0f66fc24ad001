"""`_` stays the manager in IPython and Jupyter, whose display hook rebinds `_` to the last
output (before IPython 9.18 even after `from hpman_cst.m import _`, once the manager
itself was the first output displayed). Tested in a real kernel (ipykernel + nbclient)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import hpman_cst
from hpman_cst import HyperParameterManager
from hpman_cst.jupyter import ManagerGuard

PACKAGE_ROOT = str(Path(hpman_cst.__file__).resolve().parent.parent)

#: The manager is the first output displayed, then other outputs follow; the last cell
#: prints whether `_` is still the manager.
NOTEBOOK = Path(__file__).resolve().parent.parent / "fixtures/runtime/notebook/underscore.ipynb"


def run_notebook(first: str | None = None) -> list[str]:
    """Execute the fixture notebook (after a cell ``first``, if given) in a fresh kernel;
    the printed output of each cell."""
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    if first is not None:
        notebook.cells.insert(0, nbformat.v4.new_code_cell(first, id="first"))
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return [
        "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        for cell in notebook.cells
    ]


@pytest.fixture
def kernel_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel imports this checkout's hpman_cst."""
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (PACKAGE_ROOT, path) if p))


def test_underscore_stays_the_manager_in_a_kernel(kernel_path: None) -> None:
    assert run_notebook()[-1] == "True 0.1\n"


@pytest.mark.slow
def test_underscore_stays_the_manager_with_ipython_9_17(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # IPython 9.17.1 still has the display hook's bug; it is installed beside the
    # environment's packages, ahead of them on the kernel's path.
    pytest.importorskip("ipykernel")
    target = tmp_path / "ipython-9.17"
    install = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target"]
    done = subprocess.run(
        [*install, str(target), "ipython==9.17.1"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot install IPython 9.17.1: {done.stderr.strip()[-200:]}")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(target), PACKAGE_ROOT]))
    outputs = run_notebook("import IPython\nprint(IPython.__version__)")
    assert outputs[0] == "9.17.1\n"
    assert outputs[-1] == "True 0.1\n"


# -- the hooks themselves, on a stand-in shell --------------------------------------------


class DisplayHook:
    def __init__(self) -> None:
        self._: object = ""


class Shell:
    def __init__(self) -> None:
        self.user_ns: dict[str, object] = {}
        self.displayhook = DisplayHook()

    def display(self, value: object) -> None:
        """What IPython before 9.18 did on the bug's path: rebind `_` to the output."""
        self.displayhook._ = value
        self.user_ns["_"] = value


def test_guard_rebinds_a_manager_the_display_hook_replaced() -> None:
    shell, manager = Shell(), HyperParameterManager("_")
    guard = ManagerGuard(shell)
    shell.user_ns["_"] = manager
    guard.before()
    shell.display(2)
    guard.after()
    assert shell.user_ns["_"] is manager


def test_guard_leaves_a_value_the_user_assigned() -> None:
    shell, manager = Shell(), HyperParameterManager("_")
    guard = ManagerGuard(shell)
    shell.user_ns["_"] = manager
    guard.before()
    shell.user_ns["_"] = "mine"
    guard.after()
    assert shell.user_ns["_"] == "mine"


def test_guard_ignores_names_that_were_not_managers() -> None:
    shell = Shell()
    guard = ManagerGuard(shell)
    shell.user_ns["_"] = 1
    guard.before()
    shell.display(2)
    guard.after()
    assert shell.user_ns["_"] == 2


def test_ipython_loaded_without_a_shell_registers_nothing() -> None:
    pytest.importorskip("IPython")
    code = (
        "import IPython, sys\n"
        "from hpman_cst.m import _\n"
        "from hpman_cst.jupyter import keep_managers_bound\n"
        "print(keep_managers_bound(), _.placeholder)\n"
    )
    env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "None _\n"), done.stderr
