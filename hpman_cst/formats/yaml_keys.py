"""The keys of a YAML run with their positions: PyYAML composes the document into nodes,
which carry the marks (line, column) of each key; values are constructed from their nodes
by the same safe loader :func:`serial.loads` uses."""

from __future__ import annotations

from typing import Any

from ..exceptions import SerialError
from ..serial import decode, is_tagged, yaml_loader
from .run_keys import RunKey

__all__ = ["yaml_keys"]


def yaml_keys(text: str, path: str) -> tuple[RunKey, ...]:
    """The top-level keys of the YAML ``text`` (see :func:`run_keys.read_run_text`)."""
    import yaml

    loader = yaml_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return ()
        if not isinstance(node, yaml.MappingNode):
            value = loader.construct_document(node)
            if value is None:
                return ()
            raise SerialError(
                f"expected a mapping of names to values, got {type(value).__name__}", path=path
            )
        return _keys(loader, node, "", path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
        if mark is None:
            raise SerialError(message, path=path) from None
        raise SerialError(message, path=path, line=mark.line + 1, column=mark.column) from None
    except yaml.YAMLError as exc:
        raise SerialError(f"invalid YAML: {exc}", path=path) from None
    finally:
        loader.dispose()


def _keys(loader: Any, node: Any, prefix: str, path: str) -> tuple[RunKey, ...]:
    import yaml

    loader.flatten_mapping(node)  # `<<: *base` merge keys, as the loader reads them
    found: list[RunKey] = []
    seen: set[object] = set()
    for key_node, value_node in node.value:
        mark = key_node.start_mark
        where = {"path": path, "line": mark.line + 1, "column": mark.column}
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise SerialError(f"names must be strings, got {key!r}", **where)
        if key in seen:
            raise SerialError(f"duplicate key {key!r}", **where)
        seen.add(key)
        raw = loader.construct_object(value_node, deep=True)
        name = prefix + key
        try:
            value = decode(raw, name)
        except SerialError as exc:
            start = value_node.start_mark
            raise SerialError(
                exc.message, path=path, line=start.line + 1, column=start.column
            ) from None
        children = None
        if isinstance(value_node, yaml.MappingNode) and not is_tagged(raw):
            children = _keys(loader, value_node, name + ".", path)
        end = key_node.end_mark
        found.append(
            RunKey(name, key, value, mark.line + 1, mark.column, children, end.line + 1, end.column)
        )
    return tuple(found)
