"""The keys of a JSON run with their positions: a small scanner over objects (the only
values whose keys matter), the stdlib decoder for every value."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ..exceptions import SerialError
from ..serial import decode, is_tagged
from .positions import LineStarts
from .run_keys import RunKey

__all__ = ["json_keys"]

# The decoder's own string scanner (undeclared in typeshed, present since Python 2.6).
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_BLANK = re.compile(r"[ \t\n\r]*")


def _skip(text: str, offset: int) -> int:
    """The offset of the first character at or after ``offset`` that is not a blank."""
    found = _BLANK.match(text, offset)
    return found.end() if found else offset


def json_keys(text: str, path: str) -> tuple[RunKey, ...]:
    """The top-level keys of the JSON ``text`` (see :func:`run_keys.read_run_text`)."""
    return _Scanner(text, path).run()


class _Scanner:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.lines = LineStarts(text)
        self.decoder = json.JSONDecoder(object_pairs_hook=self._no_duplicates)
        self.where = 0  # the offset of the object being decoded, for duplicate keys

    def error(self, message: str, offset: int) -> SerialError:
        line, column = self.lines.position(offset)
        return SerialError(message, path=self.path, line=line, column=column)

    def _no_duplicates(self, pairs: list[tuple[str, object]]) -> dict[str, object]:
        result: dict[str, object] = {}
        for key, value in pairs:
            if key in result:
                raise self.error(f"duplicate key {key!r}", self.where)
            result[key] = value
        return result

    def run(self) -> tuple[RunKey, ...]:
        start = _skip(self.text, 0)
        if not self.text.startswith("{", start):
            value, _end = self.value(start)
            raise SerialError(
                f"expected a mapping of names to values, got {type(value).__name__}",
                path=self.path,
            )
        keys, end = self.keys(start, "")
        if _skip(self.text, end) != len(self.text):
            raise self.error("Extra data", _skip(self.text, end))
        return keys

    def value(self, offset: int) -> tuple[object, int]:
        self.where = offset
        try:
            return self.decoder.raw_decode(self.text, offset)
        except json.JSONDecodeError as exc:
            raise self.error(exc.msg, exc.pos) from None
        except RecursionError:
            raise self.error("nested too deeply", offset) from None

    def expect(self, char: str, position: int, start: int) -> int:
        """``position`` if ``char`` stands there; else the decoder's own error for the
        object at ``start``."""
        if self.text.startswith(char, position):
            return position
        self.value(start)  # raises the decoder's error, at its position
        raise self.error(f"expected {char!r}", position)  # pragma: no cover - a safety net

    def keys(self, start: int, prefix: str) -> tuple[tuple[RunKey, ...], int]:
        """The keys of the object at ``start`` and the offset after it. Duplicate keys are
        found here, at their own position, before the decoder sees the object."""
        text = self.text
        found: list[RunKey] = []
        seen: set[str] = set()
        position = _skip(text, start + 1)
        if text.startswith("}", position):
            return (), position + 1
        while True:
            position = self.expect('"', position, start)
            try:
                key, after = _scanstring(text, position + 1)
            except json.JSONDecodeError:
                self.value(start)
                raise
            line, column = self.lines.position(position)
            if key in seen:
                raise SerialError(
                    f"duplicate key {key!r}", path=self.path, line=line, column=column
                )
            seen.add(key)
            colon = self.expect(":", _skip(text, after), start)
            value_start = _skip(text, colon + 1)
            name = prefix + key
            children = None
            if text.startswith("{", value_start):
                children, _end = self.keys(value_start, name + ".")
            raw, end = self.value(value_start)
            try:
                value = decode(raw, name)
            except SerialError as exc:
                raise self.error(exc.message, value_start) from None
            if is_tagged(raw):
                children = None
            end_line, end_column = self.lines.position(after)
            found.append(RunKey(name, key, value, line, column, children, end_line, end_column))
            position = _skip(text, end)
            if text.startswith("}", position):
                return tuple(found), position + 1
            position = _skip(text, self.expect(",", position, start) + 1)
