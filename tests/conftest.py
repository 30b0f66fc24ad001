"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    """The repository's ``fixtures/`` folder."""
    return FIXTURES


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own hpman cache folder: the user's is never touched."""
    folder = tmp_path_factory.mktemp("hpman-cache")
    monkeypatch.setenv("HPMAN_CST_CACHE_DIR", str(folder))
    return folder
