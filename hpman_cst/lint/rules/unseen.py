"""C (continued): calls that static parsing cannot see. Every command reads call sites of
the bare placeholder (``_("lr", 1)``); a call through another name or object is invisible
to them (a rename or set-default misses it) though it works at run time.

Only files whose text may hold such a call are parsed again (a textual pre-check).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from ...records import Finding, Severity, Span
from ...source import SourceText, ast_parse
from ..context import files_of, placeholders_of, source_of
from ..rule import Check, Rule, Subject

__all__ = ["RULES", "unseen_calls"]

ALIASED, ATTRIBUTE, GETATTR = "aliased", "attribute", "getattr"


@lru_cache(maxsize=16)
def _pattern(placeholders: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(p) for p in placeholders)
    return re.compile(
        rf"(?:\.\s*(?:{words})\s*\()|(?:getattr\s*\(\s*(?:{words})\b)"
        rf"|(?:=\s*(?:{words})\s*(?:$|[;#)\]\r\n]))",
        re.MULTILINE,
    )


def unseen_calls(text: str, placeholders: Sequence[str]) -> list[tuple[str, Span, str]]:
    """``(kind, span, what)`` for each call in ``text`` that reaches a manager named by
    ``placeholders`` without the bare placeholder: through an alias (``hp = _`` then
    ``hp("lr", 1)``), as an attribute (``obj._("lr")``), or by ``getattr(_, ...)``. A
    text that does not parse has none."""
    if _pattern(tuple(placeholders)).search(text) is None:
        return []
    try:
        tree = ast_parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    source = SourceText(text)
    wanted = set(placeholders)
    aliases = {
        target.id: node.value.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name)
        if node.value.id in wanted
        for target in node.targets
        if isinstance(target, ast.Name) and target.id not in wanted
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in aliases:
            what = f"`{func.id}` is `{aliases[func.id]}` under another name"
            found.append((ALIASED, source.span_of(node), what))
        elif isinstance(func, ast.Attribute) and func.attr in wanted:
            found.append(
                (ATTRIBUTE, source.span_of(node), f"`{func.attr}` reached as an attribute")
            )
        elif (
            isinstance(func, ast.Name)
            and func.id == "getattr"
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in wanted
        ):
            found.append((GETATTR, source.span_of(node), f"`getattr({node.args[0].id}, ...)`"))
    return sorted(found, key=lambda item: (item[1], item[0]))


def _of_kind(kind: str) -> Check:
    def check(rule: Rule, subject: Subject) -> Iterator[Finding]:
        placeholders = placeholders_of(subject)
        for path in files_of(subject):
            text = source_of(subject, path)
            if text is None:
                continue
            for found_kind, span, what in unseen_calls(text, placeholders):
                if found_kind == kind:
                    message = f"{what}: no command sees this call (write the bare placeholder)"
                    yield rule.finding(path, message, span=span)

    return check


def _rebound(rule: Rule, subject: Subject) -> Iterator[Finding]:
    for rebound in subject.registry.rebound:
        yield rule.finding(rebound.path, rebound.message, line=rebound.line, column=rebound.column)


_INVISIBLE = (
    "The call works at run time, but `hpman list`, the refactoring commands, `--hp-save`"
    " and the command-line options never see it."
)

RULES = (
    Rule(
        "C005",
        "aliased-manager",
        Severity.WARNING,
        "A call of the manager through another name in the same module (`hp = _`, then"
        ' `hp("lr", 1)`).',
        _INVISIBLE,
        'hp = _\nlr = hp("lr", 0.1)\n',
        _of_kind(ALIASED),
    ),
    Rule(
        "C006",
        "attribute-call",
        Severity.WARNING,
        'A call of the placeholder as an attribute of something (`obj._("lr")`,'
        ' `hpman.m._("lr", 1)`).',
        _INVISIBLE,
        'lr = config._("lr", 0.1)\n',
        _of_kind(ATTRIBUTE),
    ),
    Rule(
        "C007",
        "getattr-manager",
        Severity.WARNING,
        "The manager's methods reached with `getattr(_, ...)`.",
        "Which hyper-parameter it names is only known at run time: a rename or remove"
        " cannot follow it.",
        'getattr(_, "set_value")("lr", 0.2)\n',
        _of_kind(GETATTR),
    ),
    Rule(
        "C008",
        "rebound-placeholder",
        Severity.INFO,
        "A module that binds the placeholder's name to something other than the manager"
        " (`from gettext import gettext as _`): its calls are not hyper-parameters.",
        "That is right for a translation function; if the module meant the manager, none"
        " of its hyper-parameters is seen.",
        'from gettext import gettext as _\n\nprint(_("Loading model"))\n',
        _rebound,
    ),
)
