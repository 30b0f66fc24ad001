"""Printing for the ``hpman`` command: text the library made, written so that no
character a console cannot encode crashes the run."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

import click

__all__ = ["echo", "echo_err", "on_terminal", "printable"]


def printable(text: str, stream: TextIO) -> str:
    """``text`` as the stream can encode it: what it cannot (a name holding a lone
    surrogate, CJK on a latin-1 console) becomes a backslash escape instead of a crash
    (inside a JSON string, such an escape is valid JSON for the same character)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        pass
    return text


def echo(text: str, color: bool | None = None) -> None:
    """``text`` on stdout as it is (no newline added); ``color`` keeps ANSI colours
    (``None``: click decides)."""
    click.echo(printable(text, sys.stdout), nl=False, color=color)


def echo_err(lines: Iterable[str]) -> None:
    """Each of ``lines`` on stderr, one line each."""
    for line in lines:
        click.echo(printable(line, sys.stderr), err=True)


def on_terminal(stream: object) -> bool:
    """Whether ``stream`` is a terminal."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
