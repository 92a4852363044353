"""The JSON Schema of the site spec (`gitops-lb schema`, schemas/site.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from gitops_lb import __version__
from gitops_lb.site.models import Site

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
REPOSITORY = "https://github.com/gitops-lb/gitops-lb"  # pyproject.toml [project.urls]


def schema_url(version: str = __version__) -> str:
    """Where the site spec schema of `version` is published: schemas/site.schema.json at the
    release tag v<version>, served raw. A tag does not move, so the URL names one schema for
    good; a release's site specs name the schema they were written against."""
    return (
        f"https://raw.githubusercontent.com/gitops-lb/gitops-lb/v{version}/schemas/site.schema.json"
    )


SCHEMA_ID = schema_url()
# the first line of a site spec: editors (the YAML language server) validate and complete with it
SCHEMA_COMMENT = f"# yaml-language-server: $schema={SCHEMA_ID}"


def site_schema() -> dict[str, Any]:
    schema = Site.model_json_schema()
    schema["$schema"] = SCHEMA_DIALECT
    schema["$id"] = SCHEMA_ID
    return schema


def site_schema_text() -> str:
    """Deterministic text: sorted keys, two-space indent, final newline."""
    return json.dumps(site_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
