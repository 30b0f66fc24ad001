"""Sessions: ``tests``, ``lint`` and ``typecheck`` run by default (and in CI); ``fixtures``
regenerates expected outputs and fails on a diff; ``bench`` measures against hpman 0.13."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

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
    """mypy --strict on the package."""
    session.install(*MYPY, ".")
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
