"""Print the manifests of one cluster as a single YAML stream on standard output.

The Argo CD Config Management Plugin runs this as its generate step (argocd-cmp/plugin.yaml).
The files that hold the cluster's site are checked exactly as `compile` checks them and
compiled in memory; of the other files only the summaries that the rules comparing sites need
are read, from the cache that `validate` also fills (docs/cache.md), or by skimming them with
--no-cache (gitops_lb.scoped), so a refresh costs about what the site alone costs. Only the
cluster asked for is compiled. The output is
the cluster's folder of the compiled tree (<site>/<cluster>/) in the order of its
kustomization.yaml. Findings go to standard error. It never succeeds with an empty output, since
Argo CD would prune everything the Application manages: errors exit 1, an unknown or missing
--cluster exits 2, unreadable input exits 3.
"""

from __future__ import annotations

import argparse
import sys

from gitops_lb.cli import _messages, _options

HELP = "print one cluster's compiled manifests (Argo CD plugin)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    _options.add_site_paths(p)
    _options.add_cluster(p, help="the cluster to render", required=True)
    _options.add_rule_options(p)
    _options.add_cache_option(p)


def run(args: argparse.Namespace) -> int:
    import yaml

    from gitops_lb.errors import UsageError
    from gitops_lb.report import get_reporter
    from gitops_lb.site.target import select

    _options.check_site_args(args, "render")
    if not args.cluster:
        raise UsageError(
            "no cluster given: set the plugin parameter `cluster` or the plugin env CLUSTER "
            "to SITE/CLUSTER"
        )
    # only the files of the cluster's site are read and checked whole (gitops_lb.scoped)
    scoped = _options.load_site_scope(args, args.cluster.partition("/")[0])
    loaded = scoped.loaded
    result = loaded.result
    if result.diagnostics:
        get_reporter("text")(result, sys.stderr, command="render")
    if result.fatal or result.errors:
        _messages.say("nothing rendered: fix the errors above first")
        return result.exit_status()
    if not select(loaded.targets, args.cluster):
        ids = [t.id for t in loaded.targets] + scoped.skimmed
        known = ", ".join(sorted(ids)) or "none"
        raise UsageError(f"no cluster {args.cluster!r} in the site specs (known: {known})")
    files = _options.compile_or_report(select(loaded.targets, args.cluster))
    if files is None:
        return 1
    folder = f"{args.cluster}/"
    kustomization = yaml.safe_load(files[f"{folder}kustomization.yaml"])
    resources = kustomization.get("resources") if isinstance(kustomization, dict) else None
    resources = resources if isinstance(resources, list) else []
    texts = [files.get(f"{folder}{name}") for name in resources]
    if not texts or any(t is None for t in texts):
        _messages.error(f"nothing to render for {args.cluster}")
        return 1
    out = sys.stdout
    for i, text in enumerate(texts):
        assert text is not None
        out.write(("---\n" if i else "") + text.decode("utf-8"))
    out.flush()
    return 0
