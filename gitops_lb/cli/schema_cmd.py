"""Print the JSON Schema of the site spec (the same bytes as schemas/site.schema.json).

Editors validate and complete site specs with it through a first line naming where the
schema of this release is published (gitops_lb.site.schema.SCHEMA_COMMENT, which `import`
writes):
`# yaml-language-server: $schema=https://raw.githubusercontent.com/gitops-lb/gitops-lb/v0.1.0/schemas/site.schema.json`.
"""

from __future__ import annotations

import argparse
import sys

HELP = "print the JSON Schema of the site spec"


def add_arguments(p: argparse.ArgumentParser) -> None:
    del p  # no options


def run(args: argparse.Namespace) -> int:
    from gitops_lb.site.schema import site_schema_text

    del args
    sys.stdout.write(site_schema_text())
    return 0
