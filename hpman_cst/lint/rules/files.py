"""F: files that cannot be read as Python source at all. Every command leaves such a file
out (listing the rest), and the runtime's ``parse_file`` refuses it."""

from __future__ import annotations

from ...records import ProblemCode
from .problems import problem_rule

__all__ = ["RULES"]

_UNSEEN = (
    "Its hyper-parameters are invisible to every command (a rename or set-default would"
    " miss them) and `_.parse_file` raises on it, so the program stops at start-up."
)

RULES = (
    problem_rule(
        "F001",
        ProblemCode.SYNTAX,
        "A file that Python cannot parse.",
        _UNSEEN,
        'lr = _("lr", 0.1\n',
    ),
    problem_rule(
        "F002",
        ProblemCode.DECODE,
        "A file whose bytes are not text in its encoding (UTF-8, or the one its coding"
        " declaration names), or whose coding declaration names no known encoding.",
        _UNSEEN,
        '# -*- coding: ascii -*-\nname = _("name", "café")\n',
    ),
    problem_rule(
        "F003",
        ProblemCode.UNREADABLE,
        "A path that cannot be read: no permission, a broken link, a folder that cannot be listed.",
        _UNSEEN,
        "train.py, after `chmod 000 train.py`\n",
    ),
)
