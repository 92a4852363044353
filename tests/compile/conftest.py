from typing import Any

import pytest

from tests.compile import checks
from tests.reference import reference


@pytest.fixture(scope="session")
def crd_schemas() -> dict[tuple[str, str], Any]:
    """MetalLB's CRD schemas from the shared reference files (skips when they are absent)."""
    return checks.crd_schemas(reference("crds", "MetalLB's CRDs"))
