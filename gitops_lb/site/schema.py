"""The JSON Schema of the site spec (`gitops-lb schema`, schemas/site.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from gitops_lb.site.models import Site

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://gitops-lb.io/schemas/site.schema.json"


def site_schema() -> dict[str, Any]:
    schema = Site.model_json_schema()
    schema["$schema"] = SCHEMA_DIALECT
    schema["$id"] = SCHEMA_ID
    return schema


def site_schema_text() -> str:
    """Deterministic text: sorted keys, two-space indent, final newline."""
    return json.dumps(site_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
