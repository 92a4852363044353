"""The rollout of a site in the ApplicationSet layout (argocd.rollout): which clusters each
RollingSync step syncs. Read by compile (gitops_lb.compile.appset) and checked by
site-argocd-rollout."""

from __future__ import annotations

from dataclasses import dataclass

from gitops_lb.site.models import Cluster, RolloutStep, Site


def selects(step: RolloutStep, cluster: Cluster) -> bool:
    """Whether a rollout step names the cluster or matches its labels."""
    if step.clusters:
        return cluster.name in step.clusters
    if step.matchLabels:
        return all(cluster.labels.get(k) == v for k, v in step.matchLabels.items())
    return False


@dataclass(frozen=True, slots=True)
class Step:
    number: int  # 1-based; the value of the step label
    max_update: int | str | None


def plan_steps(site: Site) -> tuple[list[Step], dict[str, int]]:
    """The RollingSync steps and each cluster's step number. A cluster goes into the first
    rollout step that selects it (site-argocd-rollout reports a second one); the clusters no
    step selects go into one more step at the end. Without a rollout: one step for all."""
    rollout = site.spec.argocd.rollout
    step_of: dict[str, int] = {}
    steps: list[Step] = []
    for n, step in enumerate(rollout, 1):
        steps.append(Step(n, step.maxUpdate))
        for cluster in site.spec.clusters:
            if cluster.name not in step_of and selects(step, cluster):
                step_of[cluster.name] = n
    rest = [c.name for c in site.spec.clusters if c.name not in step_of]
    if rest or not steps:
        last = len(steps) + 1
        steps.append(Step(last, None))
        step_of.update((name, last) for name in rest)
    return steps, step_of
