"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Machines here are shared and slow at times: a property is judged by its examples, never
# by how long one took (no deadline, no too-slow health check).
settings.register_profile("hpman", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("hpman")

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
