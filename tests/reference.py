"""Reference files that live outside the repository, in the project's `shared` folder.

MetalLB's CRDs and the SARIF 2.1.0 schema are not kept in the repository. Tests find them in
the folder named by the environment variable GITOPS_LB_SHARED, or else in `shared` beside the
repository (`<repository root>/../shared`). A test that needs a file that is not there is
skipped, and the skip reason says which file is missing and how to provide it (pytest lists
skip reasons at the end of every run). When GITOPS_LB_SHARED is set, a missing file fails the
test instead: the run asked for the reference checks.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV = "GITOPS_LB_SHARED"


def shared_dir() -> Path:
    """The shared folder: $GITOPS_LB_SHARED, or `shared` beside the repository."""
    value = os.environ.get(ENV)
    return Path(value) if value else ROOT.parent / "shared"


def reference(rel: str, what: str) -> Path:
    """`<shared>/reference/REL`, or skip (fail when GITOPS_LB_SHARED is set) if it is absent."""
    path = shared_dir() / "reference" / rel
    if path.exists():
        return path
    if os.environ.get(ENV):
        pytest.fail(f"{what} not found: {ENV}={os.environ[ENV]} has no reference/{rel}")
    pytest.skip(
        f"{what} not found at {path}: put the shared folder beside the repository "
        f"or set {ENV} to it"
    )
