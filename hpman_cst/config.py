"""Settings from the ``[tool.hpman]`` table of the nearest ``pyproject.toml``.

```toml
[tool.hpman]
placeholder = ["_", "hp"]       # or one name: placeholder = "hp"
exclude = ["legacy", "*_pb2.py", "docs/**/conf.py"]
jobs = 4                         # 0: all cores
cache = false                    # like --no-cache
select = ["D", "N001"]           # hpman check: rules by code or prefix (default: all)
ignore = ["D004"]
per-file-ignores = {"tests/*" = ["N001"]}
```

The nearest ``pyproject.toml`` is looked for in the folder of the scanned paths and its
parents; ``exclude`` patterns in it are relative to its folder. Options given on the
command line replace the file's value of the same setting.

TOML is read with :mod:`tomllib` (Python 3.11+) or its backport ``tomli``, imported only
when a ``pyproject.toml`` is found.
"""

from __future__ import annotations

import keyword
import os
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .exceptions import ConfigError, did_you_mean
from .near_names import Normalisation

__all__ = [
    "KEYS",
    "NEAR_NAMES_KEYS",
    "Config",
    "find_pyproject",
    "load_config",
    "parse_config",
    "placeholder_error",
]

#: The settings ``[tool.hpman]`` may hold.
KEYS = (
    "placeholder",
    "exclude",
    "jobs",
    "cache",
    "select",
    "ignore",
    "per-file-ignores",
    "near-names",
)
#: The settings ``[tool.hpman.near-names]`` may hold (``hpman check``'s rule N001).
NEAR_NAMES_KEYS = ("fold-case", "separators", "abbreviations", "distance", "min-length")


@dataclass(frozen=True)
class Config:
    """The settings read; ``None`` where the file does not set one."""

    path: str | None = None  #: the ``pyproject.toml`` read, if any
    placeholders: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    jobs: int | None = None
    cache: bool | None = None
    select: tuple[str, ...] | None = None  #: ``hpman check`` rules (codes or prefixes)
    ignore: tuple[str, ...] | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  #: glob -> codes
    near_names: Normalisation | None = None  #: how N001 compares names

    @property
    def base(self) -> str:
        """The folder ``exclude`` patterns are relative to."""
        return os.path.dirname(self.path) if self.path else "."


def placeholder_error(name: str) -> str | None:
    """Why ``name`` cannot be a placeholder (``None`` if it can): it must be a Python
    identifier that is not a keyword."""
    if not name.isidentifier():
        return f"placeholder `{name}` is not a Python identifier"
    if keyword.iskeyword(unicodedata.normalize("NFKC", name)):
        return f"placeholder `{name}` is a Python keyword"
    return None


def find_pyproject(paths: Iterable[str] = (".",)) -> str | None:
    """The ``pyproject.toml`` nearest to the folder holding all of ``paths``."""
    absolute = [os.path.abspath(p) for p in paths] or [os.getcwd()]
    try:
        current = os.path.commonpath(absolute)
    except ValueError:  # paths on different drives
        current = os.getcwd()
    if not os.path.isdir(current):
        current = os.path.dirname(current)
    while True:
        candidate = os.path.join(current, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def load_config(paths: Iterable[str] = (".",)) -> Config:
    """The ``[tool.hpman]`` settings of the ``pyproject.toml`` nearest to ``paths``.

    Raises :class:`ConfigError` for a file that is not valid TOML or a table with an
    unknown key or a value of the wrong type.
    """
    path = find_pyproject(paths)
    if path is None:
        return Config()
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.9/3.10 only
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path) from None
    except UnicodeDecodeError as exc:  # TOML is UTF-8; tomllib does not catch this itself
        message = f"invalid TOML: not UTF-8 (byte {exc.object[exc.start]:#04x})"
        raise ConfigError(message, path=path) from None
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError("[tool] must be a table", path=path)
    table = tool.get("hpman", {})
    if not isinstance(table, dict):
        raise ConfigError("[tool.hpman] must be a table", path=path)
    return parse_config(table, path)


def parse_config(table: Mapping[str, Any], path: str) -> Config:
    """Check and convert a ``[tool.hpman]`` table read from ``path``."""
    for key in table:
        if key not in KEYS:
            hint = did_you_mean(key, KEYS) or f"; known keys: {', '.join(KEYS)}"
            raise ConfigError(f"[tool.hpman]: unknown key `{key}`{hint}", path=path)
    placeholders = table.get("placeholder")
    if placeholders is not None:
        placeholders = _strings(placeholders, "placeholder", path, allow_single=True)
        if not placeholders:
            raise ConfigError("[tool.hpman]: `placeholder` must not be empty", path=path)
        for name in placeholders:
            problem = placeholder_error(name)
            if problem:
                raise ConfigError(f"[tool.hpman]: {problem}", path=path)
        placeholders = tuple(unicodedata.normalize("NFKC", p) for p in placeholders)
    exclude = table.get("exclude")
    if exclude is not None:
        exclude = _strings(exclude, "exclude", path, allow_single=False)
    jobs = table.get("jobs")
    if jobs is not None and (type(jobs) is not int or jobs < 0):
        raise ConfigError("[tool.hpman]: `jobs` must be a whole number >= 0", path=path)
    cache = table.get("cache")
    if cache is not None and type(cache) is not bool:
        raise ConfigError("[tool.hpman]: `cache` must be true or false", path=path)
    select = table.get("select")
    if select is not None:
        select = _strings(select, "select", path, allow_single=False)
    ignore = table.get("ignore")
    if ignore is not None:
        ignore = _strings(ignore, "ignore", path, allow_single=False)
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError("[tool.hpman]: `per-file-ignores` must be a table", path=path)
    per_file_ignores = tuple(
        (pattern, _strings(codes, f"per-file-ignores.{pattern}", path, allow_single=False))
        for pattern, codes in per_file.items()
    )
    near = _near_names(table.get("near-names"), path)
    return Config(path, placeholders, exclude, jobs, cache, select, ignore, per_file_ignores, near)


def _near_names(table: object, path: str) -> Normalisation | None:
    """``[tool.hpman.near-names]``: the defaults of :class:`Normalisation`, changed where
    the table says (its ``abbreviations`` are added to the built-in ones)."""
    if table is None:
        return None
    where = "[tool.hpman.near-names]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table", path=path)
    for key in table:
        if key not in NEAR_NAMES_KEYS:
            hint = (
                did_you_mean(key, NEAR_NAMES_KEYS) or f"; known keys: {', '.join(NEAR_NAMES_KEYS)}"
            )
            raise ConfigError(f"{where}: unknown key `{key}`{hint}", path=path)
    base = Normalisation()
    fold_case = table.get("fold-case", base.fold_case)
    separators = table.get("separators", base.separators)
    abbreviations = table.get("abbreviations", {})
    distance = table.get("distance", base.distance)
    min_length = table.get("min-length", base.min_length)
    if type(fold_case) is not bool:
        raise ConfigError(f"{where}: `fold-case` must be true or false", path=path)
    if not isinstance(separators, str):
        raise ConfigError(f"{where}: `separators` must be a string", path=path)
    if not isinstance(abbreviations, dict) or not all(
        isinstance(v, str) for v in abbreviations.values()
    ):
        raise ConfigError(f"{where}: `abbreviations` must map words to words", path=path)
    for key, value in (("distance", distance), ("min-length", min_length)):
        if type(value) is not int or value < 0:
            raise ConfigError(f"{where}: `{key}` must be a whole number >= 0", path=path)
    words = {**base.abbreviations, **{k.casefold(): v for k, v in abbreviations.items()}}
    return Normalisation(fold_case, separators, words, distance, min_length)


def _strings(value: object, key: str, path: str, *, allow_single: bool) -> tuple[str, ...]:
    if allow_single and isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    kind = "a string or a list of strings" if allow_single else "a list of strings"
    raise ConfigError(f"[tool.hpman]: `{key}` must be {kind}", path=path)
