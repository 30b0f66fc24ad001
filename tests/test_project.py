"""The project API (hpman_cst.project): settings, discovery, cache and scan without click,
and text from memory for a path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hpman_cst.exceptions import ConfigError, InvalidArgument, PathNotFound
from hpman_cst.project import Project, Settings, load_project, resolve_settings

TRAIN = "from hpman_cst.m import _\n\nlr = _('lr', 0.1)\nbatch = _('batch', 32)\nx = _(name)\n"
MODEL = "from hpman_cst.m import _\n\nlr = _('lr', 0.2)\n"


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HPMAN_CST_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "model.py").write_text(MODEL)
    return tmp_path


def _load(**overrides: str | bytes) -> Project:
    return load_project(Settings(paths=("src",)), overrides=overrides)


def _same(a: Project, b: Project) -> None:
    assert a.files == b.files
    assert a.indexes == b.indexes
    assert a.findings == b.findings
    assert a.registry.names == b.registry.names


@pytest.mark.parametrize(
    "text", [pytest.param(TRAIN, id="str"), pytest.param(TRAIN.encode(), id="bytes")]
)
def test_text_from_memory_for_a_path_not_on_disk_reads_as_the_file(
    project_dir: Path, text: str | bytes
) -> None:
    train = project_dir / "src" / "train.py"
    train.write_text(TRAIN)
    from_disk = _load()
    train.unlink()
    from_memory = _load(**{"src/train.py": text})
    assert not train.exists()
    _same(from_memory, from_disk)
    assert from_memory.findings  # the call with a name that is not a literal
    assert "src/train.py" in from_memory.files


def test_text_from_memory_shadows_the_file(project_dir: Path) -> None:
    train = project_dir / "src" / "train.py"
    train.write_text(TRAIN)
    expected = _load()
    train.write_text("from hpman_cst.m import _\n\nunsaved = _('old', 1)\n")
    before = train.read_bytes()
    shadowed = _load(**{str(train): TRAIN})
    _same(shadowed, expected)
    assert train.read_bytes() == before
    # Nothing of the buffer was cached for the file: the disk's text reads as itself.
    assert _load().registry.get("old") is not None


def test_findings_carry_codes(project_dir: Path) -> None:
    project = _load(**{"src/train.py": TRAIN})
    by_line = {(f.path, f.line): f for f in project.findings}
    assert by_line[("src/train.py", 5)].code.startswith("C")
    # Two defaults of lr (0.1 and 0.2): one conflict finding.
    assert any(f.code.startswith("D") and f.name == "lr" for f in project.findings)


def test_settings_merge_pyproject_and_arguments(project_dir: Path) -> None:
    (project_dir / "pyproject.toml").write_text(
        '[tool.hpman]\nplaceholder = "hp"\nexclude = ["model.py"]\njobs = 3\ncache = false\n'
    )
    settings = resolve_settings(["src"])
    assert settings.placeholders == ("hp",)
    assert (settings.jobs, settings.use_cache) == (3, False)
    assert load_project(settings).files == ()
    chosen = resolve_settings(["src"], placeholders=["_"], exclude=["other"], jobs=1)
    assert chosen.placeholders == ("_",) and chosen.jobs == 1
    assert load_project(chosen).files == ("src/model.py",)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        pytest.param(lambda: resolve_settings(placeholders=["1x"]), InvalidArgument, id="name"),
        pytest.param(lambda: load_project(Settings(paths=("nope",))), PathNotFound, id="path"),
    ],
)
def test_errors_are_the_library_s(project_dir: Path, make: object, error: type) -> None:
    with pytest.raises(error):
        make()  # type: ignore[operator]


def test_bad_pyproject_is_a_config_error(project_dir: Path) -> None:
    (project_dir / "pyproject.toml").write_text("[tool.hpman]\nplacehodler = 1\n")
    with pytest.raises(ConfigError, match="placeholder"):
        resolve_settings(["src"])


def test_the_cache_is_written_outside_the_project(project_dir: Path) -> None:
    before = sorted(os.listdir(project_dir / "src"))
    _load()
    assert sorted(os.listdir(project_dir / "src")) == before
    assert any(name.startswith("index-") for name in os.listdir(project_dir / "cache"))
