"""The nasty-file corpus: source files whose exact bytes matter, and what the index must
find in each.

Editors and git normalise line endings, BOMs, tabs and trailing whitespace, so the files
are built here, byte by byte, and written to ``fixtures/nasty/<case>/input.py`` with an
``expected.json`` beside it::

    /work/venv/bin/python tests/nasty_corpus.py

``tests/test_nasty.py`` checks that the committed folders still equal what this module
builds, then reads the folders. The expectations are written by hand (not computed by
the code under test): every call site of the placeholder ``_`` in source order, as
``[name, default source text or null]``, the names of the manager API references in
source order, and the problem codes in source order.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CASES", "MIN_PYTHON", "Case", "write_corpus"]

CORPUS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "nasty"


@dataclass(frozen=True)
class Case:
    """One corpus file: its bytes and what the index must find in it."""

    data: bytes
    occurrences: tuple[tuple[str, str | None], ...]
    api_refs: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())

    def expected_json(self) -> str:
        """``expected.json``: one entry a line, so that a diff shows what changed."""

        def block(key: str, items: list[object]) -> str:
            lines = ",\n".join("    " + json.dumps(i, ensure_ascii=False) for i in items)
            return f'  "{key}": [\n{lines}\n  ]' if items else f'  "{key}": []'

        blocks = [
            block("occurrences", [list(o) for o in self.occurrences]),
            block("api_refs", list(self.api_refs)),
            block("problems", list(self.problems)),
        ]
        return "{\n" + ",\n".join(blocks) + "\n}\n"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


CASES: dict[str, Case] = {}

CASES["crlf"] = Case(
    _crlf(
        '"""CRLF line endings throughout."""\n'
        "from hpman_cst.m import _\n"
        "\n"
        'batch = _("batch_size", 32)\n'
        "lr = _(\n"
        '    "lr",  # a comment before a CRLF\n'
        "    1e-3,\n"
        ")\n"
        'text = _("greeting", """multi\n'
        'line""")\n'
        "\n"
        "\n"
        "def f():\n"
        "    return _('depth', [1,\n"
        "                       2])\n"
    ),
    (
        ("batch_size", "32"),
        ("lr", "1e-3"),
        ("greeting", '"""multi\r\nline"""'),
        ("depth", "[1,\r\n                       2]"),
    ),
)

CASES["mixed_newlines"] = Case(
    _utf8(
        '"mixed newlines: LF, CRLF and lone CR in one file"\n'
        "from hpman_cst.m import _\r\n"
        'a = _("alpha", 1)\r'
        'b = _("beta",\n'
        "      2)\r\n"
        "c = _(\r"
        '    "gamma", (3,\r\n'
        "              4))\n"
        "x = 1\r"
        'd = _("delta", """one\r\ntwo\nthree""")\r\n'
        'e = _("epsilon", 5)\r'
    ),
    (
        ("alpha", "1"),
        ("beta", "2"),
        ("gamma", "(3,\r\n              4)"),
        ("delta", '"""one\r\ntwo\nthree"""'),
        ("epsilon", "5"),
    ),
)

CASES["bom"] = Case(
    b"\xef\xbb\xbf"
    + _utf8(
        "# A UTF-8 BOM, then UTF-8: naïve café\n"
        "from hpman_cst.m import _\n"
        "\n"
        'greeting = _("greeting", "héllo wörld")  # ünïcode comment\n'
        'emoji = _("emoji", "🐍")\n'
        'size = _("größe", 3)\n'
        'mixed = _("名前", "値")  # CJK name and value\n'
    ),
    (
        ("greeting", '"héllo wörld"'),
        ("emoji", '"🐍"'),
        ("größe", "3"),
        ("名前", '"値"'),
    ),
)

CASES["latin1_cookie"] = Case(
    (
        "# -*- coding: latin-1 -*-\n"
        "# Commentaire : déjà vu, encodé en latin-1\n"
        "from hpman_cst.m import _\n"
        "\n"
        'dessert = _("café", "crème brûlée")\n'
        'n = _("n", 5)  # naïve\n'
        "s = _('sign', '§')\n"
        'm = _("micro", ["µs", "°C"])  # ±\n'
    ).encode("latin-1"),
    (
        ("café", '"crème brûlée"'),
        ("n", "5"),
        ("sign", "'§'"),
        ("micro", '["µs", "°C"]'),
    ),
)

CASES["cp1252_cookie_line2"] = Case(
    (
        "#!/usr/bin/env python\n"
        "# vim: set fileencoding=cp1252 :\n"
        "from hpman_cst.m import _\n"
        'price = _("price", "12 €")  # “curly quotes” – en dash\n'
        "quote = _('quote', '„low“')\n"
    ).encode("cp1252"),
    (("price", '"12 €"'), ("quote", "'„low“'")),
)

CASES["bom_with_cookie"] = Case(
    b"\xef\xbb\xbf"
    + _crlf(
        "# -*- coding: utf-8 -*-\n"
        "from hpman_cst.m import _\n"
        'a = _("ñame", "ß")\n'
        'b = _("plain", 2)\n'
    ),
    (("ñame", '"ß"'), ("plain", "2")),
)

CASES["tabs"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        "\n"
        "\n"
        "def f():\n"
        '\tx = _("tab_indent", 1)\n'
        "\tif x:\n"
        '\t\treturn _(\t"tabbed_args",\t2\t)\n'
        '\treturn _("tab_continuation",\n'
        "\t\t\t 3)\n"
        "\n"
        "\n"
        'y = _("after",\t\t[1,\t2])\t# a tab before the comment\n'
    ),
    (
        ("tab_indent", "1"),
        ("tabbed_args", "2"),
        ("tab_continuation", "3"),
        ("after", "[1,\t2]"),
    ),
)

CASES["form_feed"] = Case(
    _utf8(
        "\x0cfrom hpman_cst.m import _\n"
        "\x0c\n"
        'a = _("ff_a", 1)\n'
        "\x0c\n"
        "\n"
        "def f():\n"
        '\x0c    return _("ff_in_def", 2)\n'
        "\n"
        "\n"
        'b = _("ff_args",\x0c3)\n'
        "\x0c# a comment after a form feed\n"
        'c = _(\x0c"ff_before_name", 4)\n'
    ),
    (
        ("ff_a", "1"),
        ("ff_in_def", "2"),
        ("ff_args", "3"),
        ("ff_before_name", "4"),
    ),
)

CASES["no_final_newline"] = Case(
    _utf8('from hpman_cst.m import _\na = _("first", 1)\nz = _("last", 9)'),
    (("first", "1"), ("last", "9")),
)

CASES["no_final_newline_comment"] = Case(
    _utf8(
        "from hpman_cst.m import _\r\n"
        'a = _("only", [1, 2])\r\n'
        "# the file ends inside this comment, no newline"
    ),
    (("only", "[1, 2]"),),
)

CASES["continuations"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        'a = _("cont_a", \\\n'
        "      1)\n"
        "b = _ \\\n"
        '    ("cont_b", 2)\n'
        "c = \\\n"
        '    _("cont_c", 3)\n'
        "d = _(\\\n"
        '"cont_d", \\\n'
        "  4 \\\n"
        ")\n"
        "if a and \\\n"
        '   _("cont_e", 5):\n'
        "    pass\n"
        'e = _("cont_" \\\n'
        '      "f", 6)\n'
        'g = _("cont_g", 7 + \\\n'
        "      8)\n"
    ),
    (
        ("cont_a", "1"),
        ("cont_b", "2"),
        ("cont_c", "3"),
        ("cont_d", "4"),
        ("cont_e", "5"),
        ("cont_f", "6"),
        ("cont_g", "7 + \\\n      8"),
    ),
)

_DEEP = "[" * 60 + "1" + "]" * 60
CASES["nested_brackets"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        f'deep = _("deep_list", {_DEEP})\n'
        "x = " + "(" * 40 + '_("deep_parens", 1)' + ")" * 40 + "\n"
        'y = {"a": [({"b": [(_("inside", (((2)))),)]},)]}\n'
        'z = f(g(h(i(j(_("call_chain", k(l(m()))))))))\n'
        'o = _("outer", _("inner", {"k": (1, [2, {3}])}))\n'
        "w = _(\n"
        '    "dict_default",\n'
        "    {\n"
        '        "a": [1, (2, 3)],\n'
        '        "b": {"c": None},\n'
        "    },\n"
        ")\n"
    ),
    (
        ("deep_list", _DEEP),
        ("deep_parens", "1"),
        ("inside", "2"),
        ("call_chain", "k(l(m()))"),
        ("outer", '_("inner", {"k": (1, [2, {3}])})'),
        ("inner", '{"k": (1, [2, {3}])}'),
        ("dict_default", '{\n        "a": [1, (2, 3)],\n        "b": {"c": None},\n    }'),
    ),
)

_LONG_LIST = "[" + "0, " * 10_000 + "]"
_LONG_STRING = '"' + "a" * 20_000 + '"'
_LONG_UNICODE = '"' + "é" * 8_000 + '"'
CASES["long_lines"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        f'x = {_LONG_LIST}; y = _("long_tail", 1)\n'
        f'big = _("long_string", {_LONG_STRING})\n'
        "# " + "comment " * 5_000 + "\n"
        f's = {_LONG_UNICODE}; t = _("long_unicode", "ü"); u = _("two_on_a_line", 2)\n'
        'v = _("' + "n" * 3_000 + '", 3)\n'
    ),
    (
        ("long_tail", "1"),
        ("long_string", _LONG_STRING),
        ("long_unicode", '"ü"'),
        ("two_on_a_line", "2"),
        ("n" * 3_000, "3"),
    ),
)

CASES["string_prefixes"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        "\n"
        "# names in every quote style and prefix\n"
        "a = _('single', 1)\n"
        'b = _("double", 2)\n'
        "c = _('''triple_single''', 3)\n"
        'd = _("""triple_double""", 4)\n'
        "e = _(r'raw', 5)\n"
        'f = _(R"raw_upper", 6)\n'
        "g = _(u'unicode_prefix', 7)\n"
        'h = _(U"unicode_upper", 8)\n'
        "i = _('implicit' \"_concat\", 9)\n"
        "j = _('multi'\n"
        "      'line' '''_concat''', 10)\n"
        "k = _(r'raw\\d', 11)\n"
        "l = _('esc\\x41', 12)\n"
        'm = _("quote\'inside", 13)\n'
        "n = _('dq\"inside', 14)\n"
        "\n"
        "# defaults in every quote style and prefix\n"
        "p = _(\"bytes_default\", b'\\x00\\xff')\n"
        "q = _(\"raw_bytes\", rb'\\d')\n"
        'r = _("bytes_raw", br"\\d")\n'
        "s = _(\"Rb\", Rb'\\d')\n"
        "t = _(\"bR\", bR'x')\n"
        'u = _("f_default", f"{a}!")\n'
        "v = _(\"rf_default\", rf'{b}\\d')\n"
        "w = _(\"triple_default\", '''a\n"
        "b''')\n"
        'x = _("concat_default", "a" \'b\' """c""")\n'
        "y = _(\"u_default\", u'x')\n"
        "yy = _(\"upper_prefixes\", (B'x', BR'y', Fr'{a}', FR\"{b}\", rB'z'))\n"
        "\n"
        "# near misses: the same strings, but not call sites\n"
        'print("single")\n'
        'dct = {"double": 2}\n'
        'dct["double"]\n'
        "obj._('raw', 1)\n"
        "z = \"_('in_string', 1)\"\n"
        "zz = f\"_('in_fstring', 1)\"\n"
        "zzz = b\"_('in_bytes', 1)\"\n"
        "x_('suffix', 1)\n"
        "_x('prefix', 1)\n"
    ),
    (
        ("single", "1"),
        ("double", "2"),
        ("triple_single", "3"),
        ("triple_double", "4"),
        ("raw", "5"),
        ("raw_upper", "6"),
        ("unicode_prefix", "7"),
        ("unicode_upper", "8"),
        ("implicit_concat", "9"),
        ("multiline_concat", "10"),
        ("raw\\d", "11"),
        ("escA", "12"),
        ("quote'inside", "13"),
        ('dq"inside', "14"),
        ("bytes_default", "b'\\x00\\xff'"),
        ("raw_bytes", "rb'\\d'"),
        ("bytes_raw", 'br"\\d"'),
        ("Rb", "Rb'\\d'"),
        ("bR", "bR'x'"),
        ("f_default", 'f"{a}!"'),
        ("rf_default", "rf'{b}\\d'"),
        ("triple_default", "'''a\nb'''"),
        ("concat_default", '"a" \'b\' """c"""'),
        ("u_default", "u'x'"),
        ("upper_prefixes", "(B'x', BR'y', Fr'{a}', FR\"{b}\", rB'z')"),
    ),
)

CASES["near_misses"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        'ok = _("valid_one", 1)\n'
        'bad = _(f"fname", 1)\n'
        'bad = _(b"bname", 1)\n'
        "bad = _(name, 1)\n"
        'bad = _("a" + "b", 1)\n'
        "bad = _()\n"
        'bad = _("x", 1, 2)\n'
        'hint = _("bad_hint", 1, help=h)\n'
        'ok = _("valid_two")\n'
    ),
    (("valid_one", "1"), ("bad_hint", "1"), ("valid_two", None)),
    problems=(
        "not-literal-name",
        "not-literal-name",
        "not-literal-name",
        "not-literal-name",
        "argument-count",
        "argument-count",
        "not-literal-hint",
    ),
)

CASES["match_statement"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        "\n"
        'match _("mode", "train"):\n'
        '    case "train":\n'
        '        steps = _("train_steps", 100)\n'
        '    case {"k": v} if v > _("threshold", 0.5):\n'
        "        pass\n"
        "    case [_, *rest]:\n"
        "        pass\n"
        "    case Point(x=_):\n"
        "        pass\n"
        "    case _:\n"
        '        steps = _("fallback_steps", 1)\n'
        "\n"
        'match = _("match", 1)\n'
        'case = _("case", 2)\n'
        "match(case)\n"
    ),
    (
        ("mode", '"train"'),
        ("train_steps", "100"),
        ("threshold", "0.5"),
        ("fallback_steps", "1"),
        ("match", "1"),
        ("case", "2"),
    ),
)

CASES["walrus"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        'if (n := _("walrus_n", 3)) > 2:\n'
        "    pass\n"
        'while (m := _("walrus_m", 0)):\n'
        "    break\n"
        'xs = [y for x in range(3) if (y := _("walrus_in_comp", x))]\n'
        "print(f\"{(z := _('walrus_in_f', 1))}\")\n"
    ),
    (
        ("walrus_n", "3"),
        ("walrus_m", "0"),
        ("walrus_in_comp", "x"),
        ("walrus_in_f", "1"),
    ),
)

CASES["decorators"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        "\n"
        "\n"
        '@decorator(_("deco_arg", 1))\n'
        "@other\n"
        '@_("deco_is_call", 2)\n'
        "def f():\n"
        "    pass\n"
        "\n"
        "\n"
        '@(lambda fn: fn)(_("deco_expr", 3))\n'
        "class C:\n"
        "    @property\n"
        "    def p(self):\n"
        '        return _("in_property", 4)\n'
        "\n"
        '    @staticmethod  # _("in_comment", 0)\n'
        '    def s(x=_("deco_default", 5)):\n'
        "        return x\n"
    ),
    (
        ("deco_arg", "1"),
        ("deco_is_call", "2"),
        ("deco_expr", "3"),
        ("in_property", "4"),
        ("deco_default", "5"),
    ),
)

CASES["async_code"] = Case(
    _utf8(
        "import asyncio\n"
        "\n"
        "from hpman_cst.m import _\n"
        "\n"
        "\n"
        "async def main():\n"
        '    await asyncio.sleep(_("sleep", 0.1))\n'
        '    async with lock(_("lock_timeout", 5)) as held:\n'
        '        async for item in stream(_("stream_size", 10)):\n'
        "            pass\n"
        '    return [x async for x in gen(_("async_comp", 2))]\n'
        "\n"
        "\n"
        'async def agen(n=_("agen_default", 3)):\n'
        '    yield await _("awaited_call", 4)\n'
    ),
    (
        ("sleep", "0.1"),
        ("lock_timeout", "5"),
        ("stream_size", "10"),
        ("async_comp", "2"),
        ("agen_default", "3"),
        ("awaited_call", "4"),
    ),
)

CASES["type_comments"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        'x = _("tc_x", 1)  # type: int\n'
        "\n"
        "\n"
        "def f(a,  # type: int\n"
        '      b=_("tc_default", 2),  # type: int\n'
        "      ):\n"
        "    # type: (...) -> None\n"
        '    y = _("tc_y", [])  # type: List[int]\n'
        '    for i in _("tc_iter", (1, 2)):  # type: int\n'
        "        pass\n"
        "\n"
        "\n"
        'with open(_("tc_path", "a.txt")) as fh:  # type: IO[str]\n'
        "    pass\n"
        'z = _("tc_ignore", None)  # type: ignore[assignment]\n'
    ),
    (
        ("tc_x", "1"),
        ("tc_default", "2"),
        ("tc_y", "[]"),
        ("tc_iter", "(1, 2)"),
        ("tc_path", '"a.txt"'),
        ("tc_ignore", "None"),
    ),
)

# gettext bound to `_` inside a function: a local throwaway as far as the gettext rule is
# concerned (bound at module level, the module's calls would be left out), so its calls
# are call sites, as in hpman.
CASES["gettext_underscore"] = Case(
    _utf8(
        "from gettext import gettext\n"
        "\n"
        "\n"
        "def report(path):\n"
        "    _ = gettext\n"
        '    print(_("Hello, world!"))\n'
        "    msg = _('%(n)d items in %(where)s') % {\"n\": 3, \"where\": 'here'}\n"
        '    err = _("Line one\\n"\n'
        '            "line two")\n'
        "    title = _('Größe & Gewicht')\n"
        '    raise ValueError(_("File not found: %s") % path)\n'
    ),
    (
        ("Hello, world!", None),
        ("%(n)d items in %(where)s", None),
        ("Line one\nline two", None),
        ("Größe & Gewicht", None),
        ("File not found: %s", None),
    ),
)

CASES["throwaway_underscore"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        "\n"
        "for _i, _unused in enumerate(range(3)):\n"
        "    pass\n"
        "for _ in range(3):\n"
        "    pass\n"
        "_, second = (1, 2)\n"
        "first, *_ = [1, 2, 3]\n"
        "x = [0 for _ in range(2)]\n"
        "print(_)\n"
        "_ = None\n"
        "del _\n"
        "from hpman_cst.m import _\n"
        'lr = _("after_throwaway", 0.1)\n'
    ),
    (("after_throwaway", "0.1"),),
)

# The matching rule is hpman's: a call of the bare placeholder anywhere in the module is a
# call site, whatever the placeholder is bound to at that point (no scope analysis).
CASES["shadowed_underscore"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        "\n"
        "\n"
        "def g(_):\n"
        '    return _("param_shadow", 1)\n'
        "\n"
        "\n"
        "def h():\n"
        "    _ = print\n"
        '    _("local_shadow", 2)\n'
        "\n"
        "\n"
        's = {_("comp_shadow", 3) for _ in range(2)}\n'
        "_ = lambda *a: a\n"
        'y = _("after_rebind", 4)\n'
    ),
    (
        ("param_shadow", "1"),
        ("local_shadow", "2"),
        ("comp_shadow", "3"),
        ("after_rebind", "4"),
    ),
)

CASES["attribute_underscore"] = Case(
    _utf8(
        "import hpman_cst.m\n"
        "from hpman_cst.m import _\n"
        "\n"
        'obj._("obj_attr", 1)\n'
        'self._("self_attr", 2)\n'
        'hpman_cst.m._("module_attr", 3)\n'
        'a = _("real_one", 4)\n'
        '(obj)._("paren_obj", 5)\n'
        'getattr(obj, "_")("getattr", 6)\n'
        '[_][0]("subscript", 7)\n'
        '__("dunder", 8)\n'
        '_x("prefixed", 9)\n'
        'hp = _; hp("alias", 10)\n'
        'obj._.get_value("attr_api")\n'
    ),
    (("real_one", "4"),),
)

CASES["api_calls"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        "\n"
        'lr = _("optim.lr", 0.1)\n'
        'm = _("optim.momentum", 0.9)\n'
        '_.set_value("optim.lr", 0.2)\n'
        'print(_.get_value("optim.lr"))\n'
        'if _.exists("optim.momentum"):\n'
        '    _.get_occurrence("optim.lr")\n'
        '_.set_values({"optim.lr": 0.3, "optim.momentum": 0.8, **extra})\n'
        '_.get_value(name); obj.get_value("optim.lr"); _.other("optim.lr")\n'
    ),
    (("optim.lr", "0.1"), ("optim.momentum", "0.9")),
    api_refs=("optim.lr", "optim.lr", "optim.momentum", "optim.lr", "optim.lr", "optim.momentum"),
)

CASES["fstrings"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        "\n"
        "msg = f\"lr={_('fs_lr', 0.1)}\"\n"
        "width = f\"{'x':>{_('fs_width', 10)}}\"\n"
        'nested = f"""{f\'{_("fs_nested", 2)}\'}"""\n'
        "conv = f\"{_('fs_conv', 'x')!r}\"\n"
        "eq = f\"{_('fs_eq', 3)=}\"\n"
        "raw = rf\"\\d{_('fs_raw', 4)}\"\n"
        "multi = f'''\n"
        '{_("fs_multiline", 5)}\n'
        "'''\n"
        "spaced = f\"{ _('fs_spaced', 6) }\"\n"
    ),
    (
        ("fs_lr", "0.1"),
        ("fs_width", "10"),
        ("fs_nested", "2"),
        ("fs_conv", "'x'"),
        ("fs_eq", "3"),
        ("fs_raw", "4"),
        ("fs_multiline", "5"),
        ("fs_spaced", "6"),
    ),
)

CASES["comments_spacing"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        'x = _  (  "odd_spacing"  ,  1  )\n'
        "y = _(  # leading comment\n"
        '    "commented",   # after the name\n'
        "    # a comment on its own line\n"
        "    2,  # after the default\n"
        '    help = "h" ,  # a hint\n'
        ")\n"
        'z = (_)("paren_callee", 3)\n'
        'w = ( _ )  ( "paren_space" , 4 )\n'
        "v = (  # c\n"
        "    _  # c2\n"
        ')("paren_comment", 5)\n'
        'u = _("hinted", 6, range=[0, 10], choices=(6, 7), help="with hints")\n'
        "t = _(\n"
        '    "trailing_comma",\n'
        "    7,\n"
        ")\n"
        's = _("paren_default", ( 8 ))\n'
    ),
    (
        ("odd_spacing", "1"),
        ("commented", "2"),
        ("paren_callee", "3"),
        ("paren_space", "4"),
        ("paren_comment", "5"),
        ("hinted", "6"),
        ("trailing_comma", "7"),
        ("paren_default", "8"),
    ),
)

CASES["unicode_separators"] = Case(
    _utf8(
        "# Characters str.splitlines() breaks at but Python does not:\u2028 \x85 \x0b \x1c\n"
        "from hpman_cst.m import _\n"
        'a = _("line_sep", "value\u2028with LS")\n'
        'b = _("nel", "x\x85y")\n'
        'c = _("vt", "a\x0bb")  # \x0c\x1d\x1e\u2029\n'
        'd = _("after_separators", 4)\n'
    ),
    (
        ("line_sep", '"value\u2028with LS"'),
        ("nel", '"x\x85y"'),
        ("vt", '"a\x0bb"'),
        ("after_separators", "4"),
    ),
)

CASES["scopes"] = Case(
    _utf8(
        "from hpman_cst.m import _\n"
        "\n"
        'f = lambda x=_("lam_default", 1): x * _("lam_body", 2)\n'
        'g = [_("listcomp", i) for i in range(_("comp_iter", 3))]\n'
        'h = {k: _("dictcomp", 0) for k in "ab"}\n'
        'gen = (_("genexp", 4) for i in range(2))\n'
        "\n"
        "\n"
        "class K:\n"
        '    attr = _("class_attr", 5)\n'
        "\n"
        '    def m(self, x=_("method_default", 6)):\n'
        "        return x\n"
        "\n"
        "\n"
        'def kw(*, k=_("kwonly", 7)):\n'
        "    global G\n"
        '    G = _("global_assign", 8)\n'
        "\n"
        "\n"
        'ann: int = _("annotated", 9)\n'
        'computed = _("computed", 2 ** 10)\n'
        'from_var = _("from_var", ann)\n'
        'assert _("asserted", True)\n'
        'try:\n    pass\nexcept _("exc_type", ValueError):\n    pass\n'
    ),
    (
        ("lam_default", "1"),
        ("lam_body", "2"),
        ("listcomp", "i"),
        ("comp_iter", "3"),
        ("dictcomp", "0"),
        ("genexp", "4"),
        ("class_attr", "5"),
        ("method_default", "6"),
        ("kwonly", "7"),
        ("global_assign", "8"),
        ("annotated", "9"),
        ("computed", "2 ** 10"),
        ("from_var", "ann"),
        ("asserted", "True"),
        ("exc_type", "ValueError"),
    ),
)


#: Cases that need a newer Python than the oldest one supported (3.9): `match` syntax, and
#: calls inside a multi-line f-string, whose columns CPython 3.9's ast reports wrongly.
MIN_PYTHON: dict[str, tuple[int, int]] = {"match_statement": (3, 10), "fstrings": (3, 10)}


def write_corpus(directory: Path = CORPUS_DIR) -> None:
    """Write every case to ``directory/<case>/input.py`` and ``expected.json``."""
    for name, case in CASES.items():
        folder = directory / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "input.py").write_bytes(case.data)
        (folder / "expected.json").write_bytes(case.expected_json().encode("utf-8"))


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS_DIR)
