"""Findings as text for people and tools: ``text`` (``path:line:column: CODE message``,
the column 1-based as ruff prints it, then a summary), ``json``, ``github`` (workflow
commands that annotate a pull request) and ``sarif`` (SARIF 2.1.0, as GitHub code
scanning takes it). Each renderer returns a string; nothing here prints.

Stdlib only.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from urllib.parse import quote

from . import __version__
from .exceptions import location
from .notebook import json_place
from .records import Finding, Severity

__all__ = ["OUTPUT_FORMATS", "RuleInfo", "render_findings", "statistics", "summary"]

OUTPUT_FORMATS = ("text", "json", "github", "sarif")

#: What a renderer needs of a rule: ``(name, summary, doc)`` for a code, ``None`` if
#: the code is unknown (the catalog's lookup, adapted).
RuleInfo = Callable[[str], "tuple[str, str, str] | None"]

_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_findings(
    findings: Sequence[Finding], format: str, rules: RuleInfo, *, show_summary: bool = True
) -> str:
    """``findings`` (in the order given) in ``format`` (one of :data:`OUTPUT_FORMATS`).
    ``text`` ends with :func:`summary` unless ``show_summary`` is false. Raises
    :class:`ValueError` for another format."""
    if format == "text":
        lines = [f"{f.location}: {f.code} {_one_line(f.message)}\n" for f in findings]
        return "".join(lines) + (summary(findings) + "\n" if show_summary else "")
    if format == "json":
        return _json(findings, rules)
    if format == "github":
        return "".join(_github(f, rules) + "\n" for f in findings)
    if format == "sarif":
        return _sarif(findings, rules)
    raise ValueError(f"unknown output format {format!r}")


def summary(findings: Sequence[Finding]) -> str:
    """``All checks passed.`` or ``Found 3 problems (1 error, 2 warnings).``"""
    if not findings:
        return "All checks passed."
    counts = Counter(f.severity for f in findings)
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        count = counts.get(severity, 0)
        if count:
            word = "info" if severity is Severity.INFO else severity.value + "s" * (count != 1)
            parts.append(f"{count} {word}")
    total = len(findings)
    return f"Found {total} problem{'s' * (total != 1)} ({', '.join(parts)})."


def statistics(findings: Sequence[Finding], rules: RuleInfo) -> str:
    """One line per code, the most frequent first: count, code, rule name (as ruff's
    ``--statistics``)."""
    counts = Counter(f.code for f in findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = max((len(str(n)) for n in counts.values()), default=1)
    code_width = max((len(c) for c in counts), default=1)
    lines = []
    for code, count in ordered:
        info = rules(code)
        name = info[0] if info else ""
        lines.append(f"{count:>{width}}\t{code:<{code_width}}\t{name}".rstrip() + "\n")
    return "".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def _json(findings: Sequence[Finding], rules: RuleInfo) -> str:
    items = []
    for f in findings:
        info = rules(f.code)
        items.append(
            {
                "code": f.code,
                "rule": info[0] if info else None,
                "severity": f.severity.value,
                **json_place(f.path),
                "line": f.line,
                "column": f.column,
                "end_line": f.end_line,
                "end_column": f.end_column,
                "name": f.name,
                "message": f.message,
                "fixable": bool(f.fix),
            }
        )
    counts = dict(sorted(Counter(f.code for f in findings).items()))
    document = {"findings": items, "statistics": counts}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _github_escape(text: str, *, property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _github(finding: Finding, rules: RuleInfo) -> str:
    info = rules(finding.code)
    title = f"{finding.code} {info[0]}" if info else finding.code
    properties = [f"file={_github_escape(finding.path, property=True)}"]
    if finding.line is not None:
        properties.append(f"line={finding.line}")
        if finding.column is not None:
            properties.append(f"col={finding.column + 1}")
    if finding.end_line is not None and finding.end_column is not None:
        properties.append(f"endLine={finding.end_line}")
        properties.append(f"endColumn={finding.end_column + 1}")
    properties.append(f"title={_github_escape(title, property=True)}")
    level = _GITHUB_LEVEL[finding.severity]
    message = _github_escape(f"{finding.code} {finding.message}")
    return f"::{level} {','.join(properties)}::{message}"


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/")


def _sarif(findings: Sequence[Finding], rules: RuleInfo) -> str:
    codes = sorted({f.code for f in findings})
    descriptors = []
    for code in codes:
        info = rules(code)
        name, short, doc = info if info else (code, code, code)
        descriptors.append(
            {
                "id": code,
                "name": name,
                "shortDescription": {"text": short},
                "fullDescription": {"text": doc},
                "help": {"text": doc},
            }
        )
    index = {code: i for i, code in enumerate(codes)}
    results = [_sarif_result(f, index[f.code]) for f in findings]
    run = {
        "tool": {
            "driver": {
                "name": "hpman",
                "version": __version__,
                "rules": descriptors,
            }
        },
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"uri": "./"}},
        "results": results,
    }
    document = {"$schema": _SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _sarif_result(finding: Finding, rule_index: int) -> dict[str, object]:
    region: dict[str, int] = {"startLine": finding.line or 1}
    if finding.line is not None and finding.column is not None:
        region["startColumn"] = finding.column + 1
        if finding.end_line is not None and finding.end_column is not None:
            region["endLine"] = finding.end_line
            region["endColumn"] = finding.end_column + 1
    physical = {
        "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": "%SRCROOT%"},
        "region": region,
    }
    where = location(finding.path, finding.line, finding.column)
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"hpmanLocation/v1": f"{finding.code}:{where}"},
    }
