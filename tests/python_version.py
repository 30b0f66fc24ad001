"""Skipping cases whose syntax the running Python does not have (``match`` before 3.10),
or whose expected result depends on the Python version.

A fixture file declares it on its first line, ``# requires Python 3.10`` (3.10 or later)
or ``# requires Python before 3.12``; a fixture folder follows its ``input.py``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

_DIRECTIVE = re.compile(rb"# requires Python (before )?(\d+)\.(\d+)\b")


def since(major: int, minor: int) -> pytest.MarkDecorator:
    """A mark skipping the test on Pythons older than ``major.minor``."""
    return pytest.mark.skipif(
        sys.version_info < (major, minor), reason=f"syntax of Python {major}.{minor}"
    )


def before(major: int, minor: int) -> pytest.MarkDecorator:
    """A mark skipping the test on ``major.minor`` and later Pythons."""
    return pytest.mark.skipif(
        sys.version_info >= (major, minor), reason=f"expected result before Python {major}.{minor}"
    )


def fixture_marks(path: Path) -> list[pytest.MarkDecorator]:
    """The marks a fixture file (or a folder, by its ``input.py``) asks for."""
    if path.is_dir():
        path = path / "input.py"
    with path.open("rb") as file:
        found = _DIRECTIVE.match(file.readline())
    if found is None:
        return []
    mark = before if found[1] else since
    return [mark(int(found[2]), int(found[3]))]


MATCH = since(3, 10)
"""``match`` statements."""
