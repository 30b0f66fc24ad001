"""``from hpman_cst.m import _`` runs at the start of every training script: it must not
load the stdlib modules that only rarer paths need (benchmark B6 measures the cost)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import hpman_cst

PACKAGE_ROOT = str(Path(hpman_cst.__file__).resolve().parent.parent)

#: Needed only to write files (tempfile, pathlib), or to suggest close names (difflib).
DEFERRED = ("difflib", "tempfile", "pathlib", "shutil")


def test_runtime_import_defers_write_and_suggestion_modules(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from hpman_cst.m import _\n"
        f"print(sorted(m for m in {DEFERRED!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"
