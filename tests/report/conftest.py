import pytest


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch, tmp_path):
    """Reports resolve paths against the CI checkout or the current directory: pin both."""
    for var in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
