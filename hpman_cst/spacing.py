"""The space a token boundary needs when an edit puts new text beside old text.

``hpman remove`` turns ``_("x", 1)if a else b`` into ``1 if a else b``: written without
the space, ``1if`` is a ``SyntaxWarning`` today (an error under ``-W error`` and in later
Pythons), ``0x1for`` reads as ``0x1f or``, and ``aif`` is one name. The call's
parentheses kept its last token apart from the next; its default takes its place, so a
space goes where the two would run together. Both rewrite paths apply this one rule: the
splice to the text around each edit, the libcst transformer to its own output (see
:func:`unmark`).
"""

from __future__ import annotations

__all__ = ["free_marker", "glues", "pad", "unmark"]


def _word_char(char: str) -> bool:
    # Letters, digits and `_`, in every script: what names, keywords and numbers are
    # made of (a number's `e`, `j`, `x` and `_` included).
    return char.isalnum() or char == "_" or ("a" + char).isidentifier()


def glues(before: str, after: str) -> bool:
    """Whether text ending with ``before`` directly followed by text starting with
    ``after`` runs two tokens together: a name, keyword or number (``1.`` included) on
    the left touching a name, keyword or number on the right."""
    if not before or not after or not _word_char(after[0]):
        return False
    last = before[-1]
    if last == ".":  # `1.if`: the float `1.`, not the ellipsis `...`
        return len(before) > 1 and before[-2].isdigit()
    return _word_char(last)


def pad(new: str, before: str, after: str) -> str:
    """``new``, written between text ending with ``before`` and text starting with
    ``after``, with the spaces it needs on either side."""
    left = " " if glues(before, new) else ""
    right = " " if glues(new, after) else ""
    return f"{left}{new}{right}"


def free_marker(text: str) -> str:
    """A character that ``text`` does not contain (from Unicode's private use area), to
    mark the edges of new text in a transformer's output."""
    code = 0xE000
    while chr(code) in text:
        code += 1
    return chr(code)


def unmark(code: str, marker: str) -> str:
    """``code`` with each ``marker`` replaced by a space where the text on its two sides
    would glue (:func:`glues`), by nothing elsewhere."""
    if marker not in code:
        return code
    parts = code.split(marker)
    out = [parts[0]]
    for number in range(1, len(parts)):
        # An empty part lies between two markers: look past it on either side.
        before = next((p for p in reversed(out) if p), "")
        following = number
        while following < len(parts) - 1 and not parts[following]:
            following += 1
        if glues(before, parts[following]):
            out.append(" ")
        out.append(parts[number])
    return "".join(out)
