import pytest


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch, tmp_path_factory):
    """Tests see the default report format even when the suite itself runs in CI, and the
    cache of `validate` (docs/cache.md) lives in a folder of the test's own: never in the
    source tree, never shared between tests (tests/test_cache.py tests it)."""
    monkeypatch.setenv("GITOPS_LB_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)
