"""Saving and loading hyper-parameter values as YAML or JSON.

Files hold a mapping of hyper-parameter name to value. Only plain YAML/JSON types are
written (null, booleans, numbers, strings, lists, string-keyed mappings); values those
formats cannot express are written as a mapping with one reserved key, which loads back
to the very same value:

==================================  =============================================
value                               written as
==================================  =============================================
``(1, 2)``                          ``{"__tuple__": [1, 2]}``
``{1, 2}``                          ``{"__set__": [1, 2]}`` (``__frozenset__``)
``1+2j``                            ``{"__complex__": [1.0, 2.0]}``
``b"ab"``                           ``{"__bytes__": "YWI="}`` (base64)
``...``                             ``{"__ellipsis__": null}``
``{1: "a"}`` (keys not all str)     ``{"__dict__": [[1, "a"]]}``
``nan``, ``inf`` (JSON only)        ``{"__float__": "nan"}``; YAML writes ``.nan``
==================================  =============================================

:func:`save` serialises in memory, loads the text back, and writes (atomically) only if
every value came back identical: a file that would not load back is never produced.
Tree-shaped files (``optim: {lr: 0.1}``) map onto dotted names (``optim.lr``) when
:func:`load` is told the known names.

Stdlib only at import time: PyYAML is imported when a YAML file is read or written.
"""

from __future__ import annotations

import base64
import json
import math
import os
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, Union, cast

from .exceptions import SerialError
from .literals import same_value
from .source import atomic_write

__all__ = [
    "Format",
    "can_save",
    "decode",
    "dumps",
    "encode",
    "format_for",
    "is_tagged",
    "load",
    "loads",
    "no_default_note",
    "not_literal_note",
    "save",
    "unflatten_names",
    "values_text",
    "yaml_loader",
]

Format = Literal["yaml", "json"]
PathLike = Union[str, "os.PathLike[str]"]

_EXTENSIONS: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
_TAGS = frozenset(
    {"__tuple__", "__set__", "__frozenset__", "__complex__", "__bytes__", "__ellipsis__"}
    | {"__dict__", "__float__"}
)


def format_for(path: PathLike, format: str | None = None) -> Format:
    """The format to use for ``path``: ``format`` if it is ``"yaml"`` or ``"json"``,
    otherwise (``None`` or ``"auto"``) the one its extension names (``.yaml``, ``.yml``,
    ``.json``). Raises :class:`SerialError` when neither tells."""
    if format in ("yaml", "json"):
        return cast(Format, format)
    if format not in (None, "auto"):
        raise SerialError(f"unknown format {format!r} (use auto, yaml or json)", path=str(path))
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    raise SerialError(
        f"cannot tell the format from the extension {suffix or '(none)'!r}: "
        "use .yaml, .yml or .json, or give the format explicitly",
        path=str(path),
    )


# -- encoding: Python values -> plain YAML/JSON values --------------------------------


def _encode(value: object, fmt: Format, where: str) -> object:
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return _encode_float(cast(float, value), fmt)
    if kind is list:
        return [_encode(v, fmt, where) for v in cast(list[object], value)]
    if kind is dict:
        return _encode_dict(cast(dict[object, object], value), fmt, where)
    if kind is tuple:
        return {"__tuple__": [_encode(v, fmt, where) for v in cast(tuple[object, ...], value)]}
    if kind in (set, frozenset):
        items = _sorted_items(cast(Collection[object], value))
        return {f"__{kind.__name__}__": [_encode(v, fmt, where) for v in items]}
    if kind is complex:
        number = cast(complex, value)
        return {"__complex__": [_encode_float(number.real, fmt), _encode_float(number.imag, fmt)]}
    if kind is bytes:
        return {"__bytes__": base64.b64encode(cast(bytes, value)).decode("ascii")}
    if value is Ellipsis:
        return {"__ellipsis__": None}
    raise SerialError(f"cannot save `{where}`: a {kind.__name__} value is not a Python literal")


def encode(value: object, format: Format = "json") -> object:
    """``value`` as the plain data a file holds (see the table above); raises
    :class:`SerialError` for a value that is not a Python literal."""
    return _encode(value, format, "")


def can_save(value: object) -> bool:
    """Whether ``value`` is a literal a file can hold (see the table above)."""
    try:
        _encode(value, "json", "")
    except SerialError:
        return False
    return True


def _encode_float(number: float, fmt: Format) -> object:
    if math.isfinite(number) or fmt == "yaml":
        return number
    return {"__float__": repr(number)}


def _encode_dict(mapping: dict[object, object], fmt: Format, where: str) -> object:
    keys = list(mapping)
    if all(type(k) is str for k in keys) and not (len(keys) == 1 and keys[0] in _TAGS):
        return {k: _encode(v, fmt, where) for k, v in mapping.items()}
    return {
        "__dict__": [[_encode(k, fmt, where), _encode(v, fmt, where)] for k, v in mapping.items()]
    }


def _sorted_items(items: Collection[object]) -> list[object]:
    try:
        return sorted(items)  # type: ignore[type-var]
    except TypeError:
        return sorted(items, key=lambda v: (type(v).__name__, repr(v)))


# -- decoding: plain YAML/JSON values -> Python values --------------------------------


def _decode(data: object, where: str) -> object:
    if isinstance(data, list):
        return [_decode(v, where) for v in data]
    if not isinstance(data, dict):
        return data
    if len(data) == 1:
        ((key, payload),) = data.items()
        if key in _TAGS:
            return _decode_tagged(key, payload, where)
    return {k: _decode(v, where) for k, v in data.items()}


def decode(data: object, where: str = "") -> object:
    """A plain YAML/JSON value as the Python value it stands for (tagged mappings such as
    ``{"__tuple__": [1, 2]}`` decoded at any depth); raises :class:`SerialError` for a
    malformed tagged value (``where`` names the key)."""
    return _decode(data, where)


def is_tagged(data: object) -> bool:
    """Whether a plain YAML/JSON value is a tagged mapping (one reserved key such as
    ``__tuple__``) standing for one Python value, rather than a mapping of names."""
    return isinstance(data, dict) and len(data) == 1 and next(iter(data)) in _TAGS


def _decode_tagged(tag: str, payload: object, where: str) -> object:
    try:
        if tag == "__ellipsis__":
            return Ellipsis
        if tag == "__bytes__":
            return base64.b64decode(cast(str, payload).encode("ascii"), validate=True)
        if tag == "__float__":
            if payload not in ("nan", "inf", "-inf"):
                raise ValueError
            return float(payload)
        if not isinstance(payload, list):
            raise ValueError
        items = [_decode(v, where) for v in payload]
        if tag == "__tuple__":
            return tuple(items)
        if tag == "__set__":
            return set(items)
        if tag == "__frozenset__":
            return frozenset(items)
        if tag == "__complex__":
            real, imag = items
            if not all(type(p) in (int, float) for p in (real, imag)):
                raise ValueError
            return complex(cast(float, real), cast(float, imag))
        return {_hashable(pair[0]): pair[1] for pair in cast(list[list[object]], items)}
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        raise SerialError(f"`{where}`: malformed {tag} value: {payload!r}") from None


def _hashable(key: object) -> object:
    hash(key)
    return key


# -- text ----------------------------------------------------------------------------


def dumps(values: Mapping[str, object], format: Format) -> str:
    """``values`` as YAML (block style, keys sorted) or JSON (one name per line, in
    order). The text is parsed back before it is returned: it always loads back to
    exactly ``values``.

    Raises :class:`SerialError` for a value that is not a Python literal, or that would
    not load back as it is.
    """
    data = {name: _encode(value, format, name) for name, value in values.items()}
    if format == "json":
        texts: Iterable[str] = [_json_text(data)]
    else:
        # PyYAML mis-emits a few Unicode line breaks (U+0085, U+2028) when writing them
        # raw; if the readable text does not load back, escape everything non-ASCII.
        texts = (_yaml_text(data, allow_unicode) for allow_unicode in (True, False))
    problem = ""
    for text in texts:
        problem = _round_trip_problem(text, format, values)
        if not problem:
            return text
    raise SerialError(problem)


def _yaml_text(data: Mapping[str, object], allow_unicode: bool) -> str:
    import yaml

    return yaml.safe_dump(data, default_flow_style=False, allow_unicode=allow_unicode)


def _round_trip_problem(text: str, format: Format, values: Mapping[str, object]) -> str:
    try:
        back = loads(text, format)
    except SerialError as exc:
        return f"cannot save: the {format} text would not load back ({exc.message})"
    for name, value in values.items():
        if name not in back or not same_value(back[name], value):
            return f"cannot save {name!r}: {value!r} would not load back as it is"
    return ""


def _json_text(data: Mapping[str, object]) -> str:
    """One name per line, each value on one line (readable, diff-friendly)."""
    if not data:
        return "{}\n"
    lines = [
        f"  {json.dumps(k, ensure_ascii=False)}: "
        + json.dumps(v, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
        for k, v in data.items()
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def loads(text: str, format: Format, *, path: str = "<string>") -> dict[str, object]:
    """The mapping a YAML or JSON text holds, its tagged values decoded. Nested mappings
    are returned as they are (see :func:`unflatten_names`).

    Raises :class:`SerialError` (with ``path:line:column`` when the parser gives one) when
    the text does not parse, is not a mapping, repeats a key or holds a malformed tag.
    """
    data = _parse_json(text, path) if format == "json" else _parse_yaml(text, path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SerialError(
            f"expected a mapping of names to values, got {type(data).__name__}", path=path
        )
    for key in data:
        if not isinstance(key, str):
            raise SerialError(f"names must be strings, got {key!r}", path=path)
    try:
        return {k: _decode(v, k) for k, v in data.items()}
    except SerialError as exc:
        raise SerialError(exc.message, path=path) from None


def _parse_json(text: str, path: str) -> object:
    def no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
        result: dict[str, object] = {}
        for key, value in pairs:
            if key in result:
                raise SerialError(f"duplicate key {key!r}", path=path)
            result[key] = value
        return result

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise SerialError(exc.msg, path=path, line=exc.lineno, column=exc.colno - 1) from None


def _parse_yaml(text: str, path: str) -> object:
    import yaml

    try:
        return yaml.load(text, Loader=yaml_loader())  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        column = None if mark is None else mark.column
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise SerialError(message or "invalid YAML", path=path, line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise SerialError(f"invalid YAML: {exc}", path=path) from None


_LOADER: Any = None


def yaml_loader() -> Any:
    """A SafeLoader that refuses duplicate keys and leaves dates as strings."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml

    class Loader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[object] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, (str, int, float, bool)) or key is None:
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key!r}", key_node.start_mark
                        )
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

    timestamp = "tag:yaml.org,2002:timestamp"
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != timestamp]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _LOADER = Loader
    return Loader


# -- values files: the text --hp-save, --hp-list and `hpman list --format yaml` share -------


def no_default_note(where: str) -> str:
    """Why a name read at ``where`` (``path:line``) but never given a default is left out."""
    return f"no default ({where})"


def not_literal_note(source: str, where: str) -> str:
    """Why a name whose default ``source`` (at ``where``) is not a literal is left out."""
    flat = " ".join(source.split())
    shown = flat if len(flat) <= 60 else flat[:57] + "..."
    return f"default is not a literal: {shown} ({where})"


def values_text(
    values: Mapping[str, object], format: Format, notes: Iterable[tuple[str, str]] = ()
) -> str:
    """The values file of ``values`` (:func:`dumps`); in YAML, followed by one comment per
    name left out (``# name: why``, sorted by name). ``--hp-save``, ``--hp-list`` and
    ``hpman list --format yaml`` all write through here, so the same values give the
    same text. Raises :class:`SerialError`."""
    text = dumps(values, format)
    if format == "yaml":
        for name, why in sorted(notes):
            shown = name if name.isprintable() else json.dumps(name)
            text += f"# {shown}: {why}\n"
    return text


# -- files ---------------------------------------------------------------------------


def save(
    values: Mapping[str, object],
    path: PathLike,
    format: str | None = None,
    *,
    notes: Iterable[tuple[str, str]] = (),
) -> None:
    """Write ``values`` to ``path`` (format from ``format`` or the extension), with the
    ``notes`` about names left out as comments in YAML (see :func:`values_text`).

    The text is loaded back first (see :func:`dumps`); if any value would not come back
    identical (type included), nothing is written. The file is replaced atomically.
    Raises :class:`SerialError`.
    """
    fmt = format_for(path, format)
    try:
        text = values_text(values, fmt, notes)
    except SerialError as exc:
        raise SerialError(exc.message, path=str(path)) from None
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise SerialError(f"cannot write: {exc.strerror or exc}", path=str(path)) from None


def load(
    path: PathLike, format: str | None = None, *, names: Collection[str] | None = None
) -> dict[str, object]:
    """The values saved in ``path``: a flat mapping of name to value.

    With ``names`` (the known hyper-parameter names), a tree-shaped file is mapped onto
    dotted names (see :func:`unflatten_names`). Raises :class:`SerialError` when the file
    is missing, unreadable, not valid YAML/JSON, or gives a name twice.
    """
    fmt = format_for(path, format)
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise SerialError("no such file", path=str(path)) from None
    except OSError as exc:
        raise SerialError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SerialError(f"not UTF-8 text: {exc.reason}", path=str(path)) from None
    data = loads(text, fmt, path=str(path))
    return data if names is None else unflatten_names(data, names, path=str(path))


def unflatten_names(
    data: Mapping[str, object], names: Collection[str], *, path: str | None = None
) -> dict[str, object]:
    """Map a possibly tree-shaped mapping onto dotted ``names``.

    A key that is a known name keeps its value (even a dict); a dict under a key that is
    a prefix of known names (``optim`` for ``optim.lr``) is descended into. Other keys are
    kept as they are (the caller reports unknown names). Raises :class:`SerialError` when
    a name is given twice (``optim.lr`` and ``optim: {lr: ...}``).
    """
    known = set(names)
    prefixes = {name[:i] for name in known for i, ch in enumerate(name) if ch == "."}
    flat: dict[str, object] = {}

    def visit(prefix: str, mapping: Mapping[Any, object]) -> None:
        for key, value in mapping.items():
            full = f"{prefix}{key}"
            if full not in known and full in prefixes and isinstance(value, dict):
                visit(full + ".", value)
                continue
            if full in flat:
                raise SerialError(f"`{full}` is given twice", path=path)
            flat[full] = value

    visit("", data)
    return flat
