"""[tool.hpman] in the nearest pyproject.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpman_cst.config import Config, find_pyproject, load_config, placeholder_error
from hpman_cst.exceptions import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_nearest_pyproject_above_the_paths(tmp_path: Path) -> None:
    outer = write(tmp_path / "pyproject.toml", "")
    inner = write(tmp_path / "pkg" / "pyproject.toml", "")
    (tmp_path / "pkg" / "src").mkdir()
    (tmp_path / "other").mkdir()
    assert find_pyproject([str(tmp_path / "pkg" / "src")]) == str(inner)
    assert find_pyproject([str(tmp_path / "other")]) == str(outer)
    # several paths: the folder holding them all
    assert find_pyproject([str(tmp_path / "pkg" / "src"), str(tmp_path / "other")]) == str(outer)


def test_file_path_looks_from_its_folder(tmp_path: Path) -> None:
    project = write(tmp_path / "pyproject.toml", "")
    script = write(tmp_path / "train.py", "")
    assert find_pyproject([str(script)]) == str(project)


def test_no_pyproject_no_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hpman_cst.config.find_pyproject", lambda paths: None)
    assert load_config([str(tmp_path)]) == Config()


def test_pyproject_without_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    config = load_config([str(tmp_path)])
    assert config.placeholders is None and config.exclude is None
    assert config.path == str(tmp_path / "pyproject.toml")


def test_every_setting(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.hpman]\nplaceholder = ["_", "hp"]\nexclude = ["a", "b/c"]\njobs = 3\n'
        "cache = false\n",
    )
    config = load_config([str(tmp_path)])
    assert config.placeholders == ("_", "hp")
    assert config.exclude == ("a", "b/c")
    assert (config.jobs, config.cache) == (3, False)
    assert config.base == str(tmp_path)


def test_single_placeholder_string(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.hpman]\nplaceholder = "hp"\n')
    assert load_config([str(tmp_path)]).placeholders == ("hp",)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        pytest.param("placeholders = 'x'", "unknown key `placeholders`; did you mean", id="typo"),
        pytest.param("colour = 1", "unknown key `colour`; known keys:", id="unknown"),
        pytest.param("placeholder = 1", "`placeholder` must be a string or a list", id="type"),
        pytest.param("placeholder = []", "`placeholder` must not be empty", id="empty"),
        pytest.param("placeholder = '1x'", "`1x` is not a Python identifier", id="identifier"),
        pytest.param("placeholder = 'def'", "`def` is a Python keyword", id="keyword"),
        pytest.param("exclude = 'a'", "`exclude` must be a list of strings", id="exclude"),
        pytest.param("jobs = -1", "`jobs` must be a whole number", id="jobs"),
        pytest.param("jobs = true", "`jobs` must be a whole number", id="jobs-bool"),
        pytest.param("cache = 1", "`cache` must be true or false", id="cache"),
    ],
)
def test_bad_settings(tmp_path: Path, table: str, message: str) -> None:
    path = write(tmp_path / "pyproject.toml", f"[tool.hpman]\n{table}\n")
    with pytest.raises(ConfigError, match=message) as caught:
        load_config([str(tmp_path)])
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_invalid_toml(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.hpman\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config([str(tmp_path)])


def test_table_must_be_a_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool]\nhpman = 1\n")
    with pytest.raises(ConfigError, match="must be a table"):
        load_config([str(tmp_path)])


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("tool = 3\n", id="tool-a-number"),
        pytest.param("tool = 'hpman'\n", id="tool-a-string"),
        pytest.param("tool = [{hpman = {}}]\n", id="tool-an-array"),
    ],
)
def test_tool_must_be_a_table(tmp_path: Path, text: str) -> None:
    write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError, match=r"pyproject\.toml: \[tool\] must be a table"):
        load_config([str(tmp_path)])


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"\xff\xfe[tool.hpman]\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: invalid TOML: not UTF-8"):
        load_config([str(tmp_path)])


def test_placeholder_normalised(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.hpman]\nplaceholder = "ｈｐ"\n')
    assert load_config([str(tmp_path)]).placeholders == ("hp",)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        pytest.param("_", True, id="underscore"),
        pytest.param("hp", True, id="word"),
        pytest.param("my_hp", True, id="snake"),
        pytest.param("ｈｐ", True, id="fullwidth"),
        pytest.param("1x", False, id="digit-first"),
        pytest.param("a.b", False, id="dotted"),
        pytest.param("None", False, id="keyword"),
        pytest.param("", False, id="empty"),
    ],
)
def test_placeholder_error(name: str, ok: bool) -> None:
    assert (placeholder_error(name) is None) == ok
