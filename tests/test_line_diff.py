"""The diff of a rewrite aligns only the lines around its edits: the same text as
difflib's unified diff on real rewrites, a diff that applies to the old text in every
case, and never the whole file handed to difflib's matcher (quadratic in changed
lines: 3.5 s for 10,000 renamed sites in one file)."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hpman_cst.line_diff
from hpman_cst.index import index_file
from hpman_cst.line_diff import EditRange, unified_lines
from hpman_cst.refactor.execute import execute
from hpman_cst.refactor.plan import plan_remove, plan_rename, plan_set_default
from hpman_cst.render import _diff_lines, unified_diff

_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n")


def _apply(diff: list[str], old: list[str]) -> list[str]:
    """``old`` patched with a unified ``diff`` (as ``patch`` would, strictly)."""
    new: list[str] = []
    position = 0
    lines = iter(diff[2:])
    for line in lines:
        match = _HUNK.fullmatch(line)
        assert match, line
        start = int(match.group(1)) - (0 if match.group(2) != "0" else -1) - 1
        new += old[position:start]
        position = start
        old_left = int(match.group(2) or 1)
        new_left = int(match.group(4) or 1)
        while old_left or new_left:
            body = next(lines)
            tag, text = body[0], body[1:]
            if tag in " -":
                assert old[position] == text
                position += 1
                old_left -= 1
            if tag in " +":
                new.append(text)
                new_left -= 1
    return new + old[position:]


def _splice(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, list[EditRange]]:
    parts, ranges, position, moved = [], [], 0, 0
    for start, end, new in edits:
        parts += [text[position:start], new]
        ranges.append((start, end, start + moved, start + moved + len(new)))
        moved += len(new) - (end - start)
        position = end
    parts.append(text[position:])
    return "".join(parts), ranges


@st.composite
def _rewrites(draw: st.DrawFn) -> tuple[str, str, list[EditRange]]:
    lines = draw(st.lists(st.sampled_from(["a = 1\n", "b = _(x)\n", "\n", "c\n"]), max_size=30))
    text = "".join(lines) + draw(st.sampled_from(["", "tail"]))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=12)))
    edits = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        if "\n" not in text[end - 1 : end]:  # an edit is an expression: it ends in code
            new = draw(st.sampled_from(["y", "", "(\n  2\n)", "_(x)", "(1,\n 2)"]))
            if new[-1:] != "\n" and text[start:end] != new:
                edits.append((start, end, new))
    new_text, ranges = _splice(text, edits)
    return text, new_text, ranges


@given(_rewrites())
def test_the_diff_applies_to_the_old_text(
    rewrite: tuple[str, str, list[EditRange]],
) -> None:
    old, new, edits = rewrite
    a, b = _diff_lines(old), _diff_lines(new)
    ours = list(unified_lines(a, b, edits, "a/x", "b/x"))
    theirs = list(difflib.unified_diff(a, b, fromfile="a/x", tofile="b/x"))
    assert _apply(ours, a) == b
    assert (ours == []) == (theirs == [])  # a diff exactly when the texts differ


def _site_file(n: int) -> str:
    blocks = [
        f'def step_{i}(x):\n    """Step {i}."""\n    a = _("lr", 0.1) * x\n'
        f"    return min(a, _('lr', 0.1) + {i})\n\n\n"
        for i in range(n)
    ]
    return "".join(blocks)


@pytest.mark.parametrize(
    "plan",
    [
        pytest.param(lambda i: plan_rename(i, "lr", "learning_rate"), id="rename"),
        pytest.param(lambda i: plan_set_default(i, "lr", "(\n    0.5\n)"), id="set-default"),
        pytest.param(lambda i: plan_remove(i, "lr"), id="remove"),
    ],
)
def test_a_rewrite_diff_is_difflibs_without_matching_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan: object
) -> None:
    path = tmp_path / "steps.py"
    path.write_text(_site_file(30))  # 180 lines: difflib's matcher junks no line yet
    changes = execute(plan([index_file(str(path))]))  # type: ignore[operator]
    expected = "".join(
        difflib.unified_diff(
            _diff_lines(changes[0].old_text),
            _diff_lines(changes[0].new_text),
            fromfile=f"a/{path.name}",
            tofile=f"b/{path.name}",
        )
    )
    sizes: list[int] = []
    real = difflib.SequenceMatcher

    def measured(junk: None, a: list[str], b: list[str]) -> difflib.SequenceMatcher[str]:
        sizes.append(len(a) + len(b))
        return real(junk, a, b)

    with monkeypatch.context() as patched:
        patched.setattr(hpman_cst.line_diff.difflib, "SequenceMatcher", measured)
        diff = unified_diff(changes, str(tmp_path))
    assert diff == expected
    assert sizes and max(sizes) < 20  # the lines around one edit, never the file's 180


def test_edits_that_do_not_fit_the_texts_fall_back_to_difflib() -> None:
    a, b = ["x = 1\n", "y = 2\n"], ["x = 1\n", "y = 3\n"]
    wrong: list[EditRange] = [(0, 1, 0, 1)]  # says line 1 changed; line 2 did
    expected = list(difflib.unified_diff(a, b, fromfile="a/x", tofile="b/x"))
    assert list(unified_lines(a, b, wrong, "a/x", "b/x")) == expected
