"""Renderings of findings: text as ruff prints it, GitHub workflow commands escaped,
statistics, SARIF for findings without a position."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from hpman_cst.checking import rule_info
from hpman_cst.diagnostics import render_findings, statistics, summary
from hpman_cst.records import Finding, Severity, Span

SCHEMAS = Path(__file__).resolve().parent / "schemas"
AT = Finding.at("D001", Severity.ERROR, "a b/t,1.py", Span(2, 4, 2, 9), "50% of\nit: x", name="lr")
NOWHERE = Finding("F003", Severity.ERROR, "dir/x.py", "cannot read: permission denied")


def test_text_is_ruff_like_with_a_one_line_message() -> None:
    assert render_findings([AT], "text", rule_info) == (
        "a b/t,1.py:2:5: D001 50% of it: x\nFound 1 problem (1 error).\n"
    )
    assert summary([]) == "All checks passed."


def test_github_escapes_properties_and_message() -> None:
    assert render_findings([AT, NOWHERE], "github", rule_info).splitlines() == [
        "::error file=a b/t%2C1.py,line=2,col=5,endLine=2,endColumn=10,"
        "title=D001 different-defaults::D001 50%25 of%0Ait: x",
        "::error file=dir/x.py,title=F003 unreadable::F003 cannot read: permission denied",
    ]


def test_sarif_of_a_finding_without_position_is_valid() -> None:
    document = json.loads(render_findings([NOWHERE, AT], "sarif", rule_info))
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(document)
    results = document["runs"][0]["results"]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert (
        results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "a%20b/t%2C1.py"
    )


def test_statistics_counts_per_code() -> None:
    assert (
        statistics([AT, AT, NOWHERE], rule_info)
        == "2\tD001\tdifferent-defaults\n1\tF003\tunreadable\n"
    )
