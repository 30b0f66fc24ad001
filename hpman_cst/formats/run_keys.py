"""The keys of a saved run (a values file as ``--hp-save`` writes it: YAML or JSON, flat
or tree-shaped), each with its dotted name, its value and its own position in the file.

A reader never re-serialises: positions are those of the key's text, so a finding can
point at it and an edit can splice it. Values are decoded as :func:`serial.loads` decodes
them (``{__tuple__: [1, 2]}`` is the tuple ``(1, 2)``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from ..exceptions import SerialError
from ..serial import Format, format_for

__all__ = ["RunKey", "flatten", "read_run", "read_run_file", "read_run_text"]


@dataclass(frozen=True)
class RunKey:
    """One key of a saved run.

    ``name`` is the dotted name from the top (``optim.lr`` for ``lr`` under ``optim``),
    ``key`` the key as written; ``line`` is 1-based, ``column`` 0-based code points (as
    :class:`~hpman_cst.records.Span`), both of the key's first character (its quote, in
    JSON), ``end_line``/``end_column`` where it ends. ``children`` holds the keys of a
    plain mapping value (``None`` for any other value, a tagged one such as
    ``{__tuple__: [...]}`` included); ``value`` is always the whole decoded value.
    """

    name: str
    key: str
    value: object
    line: int
    column: int
    children: tuple[RunKey, ...] | None = None
    #: Where the key's text ends (exclusive; after its closing quote), as ``line``/``column``.
    end_line: int = 0
    end_column: int = 0


def read_run_text(text: str, format: Format, path: str = "<string>") -> tuple[RunKey, ...]:
    """The top-level keys of a run's ``text``. Raises :class:`SerialError` (with
    ``path:line:column`` where the parser gives one) when the text does not parse, is not
    a mapping, has a key that is not a string, gives a key twice or holds a malformed
    tagged value."""
    if format == "json":
        from .json_keys import json_keys

        return json_keys(text, path)
    from .yaml_keys import yaml_keys

    return yaml_keys(text, path)


def read_run_file(path: str) -> tuple[bytes, str]:
    """The bytes of the run at ``path`` and its text (UTF-8, a BOM dropped). Raises
    :class:`SerialError` for a missing, unreadable or undecodable file."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise SerialError("no such file", path=path) from None
    except OSError as exc:
        raise SerialError(f"cannot read: {exc.strerror or exc}", path=path) from None
    try:
        return raw, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SerialError(f"not UTF-8 text: {exc.reason}", path=path) from None


def read_run(path: str, format: str | None = None) -> tuple[RunKey, ...]:
    """The top-level keys of the run saved in ``path`` (format from ``format`` or the
    extension). Raises :class:`SerialError` as :func:`read_run_file` and
    :func:`read_run_text` do."""
    fmt = format_for(path, format)
    return read_run_text(read_run_file(path)[1], fmt, path)


def flatten(keys: Sequence[RunKey], names: Collection[str]) -> Iterator[RunKey]:
    """The keys that stand for one name each, as :func:`serial.unflatten_names` maps a
    tree onto dotted ``names``: a key that is a known name stands for it (even with a
    mapping value); a mapping under a key that is a group of known names (``optim`` for
    ``optim.lr``) is descended into; any other key stands for itself (an unknown name)."""
    known = set(names)
    groups = {name[:i] for name in known for i, ch in enumerate(name) if ch == "."}
    todo = list(reversed(keys))
    while todo:
        key = todo.pop()
        if key.name not in known and key.name in groups and key.children is not None:
            todo.extend(reversed(key.children))
        else:
            yield key
