import pytest


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch):
    """Tests see the default report format even when the suite itself runs in CI."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)
