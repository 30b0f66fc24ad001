"""The ``hpman-check`` hook of ``.pre-commit-hooks.yaml``, run for real: ``pre-commit run
--files ...`` in a project whose ``.pre-commit-config.yaml`` takes the hook from a copy of
this repository (its working tree, committed in a temporary git repository, so that
uncommitted changes are what is tested). pre-commit installs the hook into its own
environment from that copy, so the test is slow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def _git(folder: Path, *args: str) -> str:
    env = {**os.environ, **_GIT_ENV}
    done = subprocess.run(
        ["git", *args], cwd=folder, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def _hook_repository(target: Path) -> str:
    """A git repository holding this working tree (tracked and untracked files git does
    not ignore); returns the commit to use as ``rev``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    target.mkdir()
    for raw in listed:
        name = os.fsdecode(raw)
        source = REPO / name
        if not name or not source.is_file() or name.startswith(("fixtures/", "tests/")):
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "hook source")
    return _git(target, "rev-parse", "HEAD")


def _pre_commit(project: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **_GIT_ENV, "PRE_COMMIT_HOME": str(home)}
    env.pop("HPMAN_CST_CACHE_DIR", None)
    env["XDG_CACHE_HOME"] = str(home / "xdg")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--files", *files],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_the_hook_passes_a_clean_project_and_fails_a_seeded_problem(tmp_path: Path) -> None:
    if not (REPO / ".git").exists():
        pytest.skip("needs this repository's git work tree")
    rev = _hook_repository(tmp_path / "hpman-cst")
    project = tmp_path / "project"
    project.mkdir()
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {tmp_path / 'hpman-cst'}\n  rev: {rev}\n  hooks:\n  - id: hpman-check\n"
    )
    (project / "model.py").write_text('depth = _("depth", 50)\n')
    (project / "train.py").write_text('lr = _("lr", 0.1)\nbase = _("depth")\n')
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    home = tmp_path / "pre-commit-home"

    clean = _pre_commit(project, home, "train.py")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "hpman check" in clean.stdout and "Passed" in clean.stdout

    (project / "train.py").write_text('lr = _("lr", 0.1)\nwarmup = _("lr", 0.01)\n')
    _git(project, "add", "-A")
    seeded = _pre_commit(project, home, "train.py")
    assert seeded.returncode == 1, seeded.stdout + seeded.stderr
    assert "Failed" in seeded.stdout
    assert "train.py:2:10: D001 conflicting defaults for `lr`" in seeded.stdout
    # read-only: the hook changed no file
    assert (project / "train.py").read_text() == 'lr = _("lr", 0.1)\nwarmup = _("lr", 0.01)\n'
