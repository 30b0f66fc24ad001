"""Sessions: ``tests``, ``lint``, ``typecheck`` and ``compat`` (the quick tests on the
oldest and newest Python supported) run by default (and in CI); ``fixtures`` regenerates
expected outputs and fails on a diff; ``bench`` measures against hpman 0.13; ``upstream``
runs hpman's and hpargparse's own tests after ``hpman migrate``; ``wandb_sweeps`` checks
the W&B export with W&B's own sweep engine (it needs numpy<2).

``compat`` needs Python 3.9 and 3.13. On a machine without them its runs are skipped, so
the README's test command passes with one Python; CI insists on them: ``.ci/run`` sets
``HPMAN_CST_REQUIRE_PYTHONS=1`` (so does ``CI=true``), and a missing interpreter is then
an error."""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "compat"]
nox.options.reuse_existing_virtualenvs = True


def require_all_pythons(environ: Mapping[str, str]) -> bool:
    """Whether a missing interpreter (3.9 or 3.13 for ``compat``) fails the run instead of
    skipping its session: in CI (``.ci/run`` sets ``HPMAN_CST_REQUIRE_PYTHONS=1``; CI
    services set ``CI=true``), not on a developer's machine."""
    if environ.get("HPMAN_CST_REQUIRE_PYTHONS", "") not in ("", "0"):
        return True
    return environ.get("CI", "").lower() in ("true", "1", "yes")


nox.options.error_on_missing_interpreters = require_all_pythons(os.environ)

RUFF = "ruff==0.17.6"
MYPY = ["mypy==2.4.1", "types-tabulate", "types-PyYAML"]


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (slow tests included) against the installed package."""
    session.install(".[test]")
    session.run(
        "pytest",
        "--cov",
        "--cov-report=term",
        *session.posargs,
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(RUFF)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package (with optuna, whose types hpman_cst.sweeps uses)."""
    session.install(*MYPY, ".", "optuna>=3.0")
    session.run("mypy", "--strict", "hpman_cst")


@nox.session
def fixtures(session: nox.Session) -> None:
    """Regenerate every expected fixture output, then fail if any changed."""
    session.install(".[test]")
    session.run("pytest", "-q", "-m", "fixtures", env={"HPMAN_UPDATE_FIXTURES": "1"})
    session.run("git", "diff", "--exit-code", "--", "fixtures", external=True)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against hpman 0.13 (not run by default): prints the table of
    ``tests/bench/run_bench.py``. ``nox -s bench -- --quick`` for a short run,
    ``-- --json PATH`` to keep the figures."""
    session.install(".", "hpman==0.13.0")
    session.run("python", "tests/bench/run_bench.py", *session.posargs)


@nox.session
def wandb_sweeps(session: nox.Session) -> None:
    """The exported W&B sweep configs checked by W&B's own sweep engine, the ``sweeps``
    package (not run by default: it needs numpy<2, scipy and scikit-learn, which the
    default run need not install): its schema checks, and the runs it proposes read back
    by the fixture project's training scripts."""
    session.install(".[test]", "sweeps")
    session.run("pytest", "-q", "-rs", "tests/test_export_wandb.py", *session.posargs)


_UPSTREAM = ("HPMAN_UPSTREAM", "HPARGPARSE_UPSTREAM")


@nox.session
def upstream(session: nox.Session) -> None:
    """hpman's and hpargparse's own test suites, migrated by `hpman migrate --write` alone,
    must fail only on the deliberate divergences (not run by default: their tests are not
    on PyPI). `nox -s upstream -- HPMAN_CHECKOUT HPARGPARSE_CHECKOUT`, or set
    HPMAN_UPSTREAM and HPARGPARSE_UPSTREAM; skipped without them."""
    given = dict(zip(_UPSTREAM, session.posargs))
    env = {name: given.get(name) or os.environ.get(name, "") for name in _UPSTREAM}
    if not any(env.values()):
        session.skip("no checkout given: nox -s upstream -- HPMAN_CHECKOUT HPARGPARSE_CHECKOUT")
    session.install(".[test]")
    session.run("pytest", "-q", "-rs", "tests/test_upstream_suites.py", env=env)


def _python(version: str) -> str:
    """An interpreter for ``version`` ("3.9"): pyenv's newest ``3.9.*`` when pyenv has one
    (its shims run only the active versions, so nox would not find the others), else the
    version itself, for nox to look up."""
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", f"python{version}"))
    patch = {path: path.split(os.sep)[-3].rpartition(".")[2] for path in found}
    numbered = [path for path in found if patch[path].isdigit()]
    return max(numbered, key=lambda path: int(patch[path])) if numbered else version


@nox.session
@nox.parametrize("python", [nox.param(_python(v), id=v) for v in ("3.9", "3.13")])
def compat(session: nox.Session) -> None:
    """The quick tests on the oldest Python supported (click 8.1 there) and the newest."""
    session.install(".[test]")
    session.run("pytest", "-q", "-m", "not slow", *session.posargs)
