"""click's CliRunner with stderr kept apart from stdout, on every click the project supports."""

from __future__ import annotations

from click.testing import CliRunner


def runner() -> CliRunner:
    """A runner whose results have separate ``stdout`` and ``stderr``.

    click 8.1 (the last release for Python 3.9) mixes stderr into stdout unless told not to;
    click 8.2 always keeps them apart and no longer takes the argument.
    """
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()
