"""C: calls of the placeholder that static parsing cannot read. hpman reads hyper-parameters
from the source without running it, so a call must name its hyper-parameter, default and
hints with literals; the runtime's ``parse_file`` refuses these calls, as hpman does."""

from __future__ import annotations

from ...records import ProblemCode
from .problems import problem_rule

__all__ = ["RULES"]

RULES = (
    problem_rule(
        "C001",
        ProblemCode.NOT_LITERAL_NAME,
        "A call whose hyper-parameter name is not a string literal.",
        "The name is only known when the program runs, so no command can list, rename or"
        " set it, and `_.parse_file` raises on the file.",
        'key = "lr"\nlr = _(key, 0.1)\n',
    ),
    problem_rule(
        "C002",
        ProblemCode.ARGUMENT_COUNT,
        "A call with other than one or two positional arguments (the name, the default).",
        "The runtime raises on the call; what was meant as a hint or a default cannot be"
        " told apart.",
        'lr = _("lr", 0.1, 0.2)\n',
    ),
    problem_rule(
        "C003",
        ProblemCode.NOT_LITERAL_HINT,
        "A hint (a keyword argument, or `**` of a dict) whose value is not a literal.",
        "Hints are read without running the program (for the command line's choices and"
        " ranges), so a computed one cannot be known and `_.parse_file` raises on the file.",
        'bounds = [0, 1]\nlr = _("lr", 0.1, range=bounds)\n',
    ),
    problem_rule(
        "C004",
        ProblemCode.UNHASHABLE,
        "A default written as a literal that Python cannot build: a set member or a dict"
        " key that is unhashable.",
        "The literal raises TypeError when it runs; reading it as a default fails the same"
        " way, so `_.parse_file` raises on the file.",
        'pairs = _("pairs", {[1, 2]: "a"})\n',
    ),
)
