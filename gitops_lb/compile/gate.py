"""The readiness gate: a Sync hook Job that holds the MetalLB objects back until MetalLB serves.

Argo CD cannot tell when MetalLB is ready: the ACP ClusterPluginInstance has no status, and a
child Application's health is not assessed by default. Until MetalLB's validating webhook has
endpoints every MetalLB object is refused ("failed calling webhook"). The Job polls what does
tell (the ACP AppRelease `ars/metallb` Health condition, or the upstream controller Deployment's
Available condition), then the webhook Service's endpoints, and fails after a timeout so the
sync fails visibly and Argo CD's retry takes over instead of waiting forever.
"""

from __future__ import annotations

from typing import Any

from gitops_lb.compile import waves

NAME = "metallb-readiness-gate"
WEBHOOK_SERVICE = "metallb-webhook-service"
HELM_RELEASE = "metallb"  # the release name the Helm Application sets
CONTROLLER_DEPLOYMENT = f"{HELM_RELEASE}-controller"
ACP_NAMESPACE = "cpaas-system"
ACP_APPRELEASE = "metallb"
POLL_SECONDS = 5

_PRELUDE = """\
set -eu
deadline=$(( $(date +%s) + ${TIMEOUT_SECONDS} ))
wait_for() {
  what=$1
  shift
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "gitops-lb readiness gate: gave up after ${TIMEOUT_SECONDS}s waiting for $what" >&2
      exit 1
    fi
    sleep "${POLL_SECONDS:-@POLL@}"
  done
  echo "gitops-lb readiness gate: $what is ready"
}
webhook_has_endpoints() {
  ips=$(kubectl -n "$METALLB_NAMESPACE" get endpoints @WEBHOOK@ \\
    -o jsonpath='{.subsets[*].addresses[*].ip}' 2>/dev/null) || return 1
  [ -n "$ips" ]
}
"""

_ACP = """\
apprelease_healthy() {
  health=$(kubectl -n @ACP_NS@ get appreleases.operator.alauda.io @ACP_AR@ \\
    -o jsonpath='{.status.conditions[?(@.type=="Health")].status}' 2>/dev/null) || return 1
  [ "$health" = "True" ]
}
wait_for "AppRelease @ACP_NS@/@ACP_AR@ (Health=True)" apprelease_healthy
wait_for "endpoints of $METALLB_NAMESPACE/@WEBHOOK@" webhook_has_endpoints
"""

_UPSTREAM = """\
controller_available() {
  available=$(kubectl -n "$METALLB_NAMESPACE" get deployment @CONTROLLER@ \\
    -o jsonpath='{.status.conditions[?(@.type=="Available")].status}' 2>/dev/null) || return 1
  [ "$available" = "True" ]
}
wait_for "Deployment $METALLB_NAMESPACE/@CONTROLLER@ (Available)" controller_available
wait_for "endpoints of $METALLB_NAMESPACE/@WEBHOOK@" webhook_has_endpoints
"""


def script(platform: str) -> str:
    text = _PRELUDE + (_ACP if platform == "acp" else _UPSTREAM)
    for token, value in (
        ("@POLL@", str(POLL_SECONDS)),
        ("@WEBHOOK@", WEBHOOK_SERVICE),
        ("@CONTROLLER@", CONTROLLER_DEPLOYMENT),
        ("@ACP_NS@", ACP_NAMESPACE),
        ("@ACP_AR@", ACP_APPRELEASE),
    ):
        text = text.replace(token, value)
    return text


def gate_namespace(platform: str, metallb_namespace: str) -> str:
    """ACP: cpaas-system always exists, while the plugin creates MetalLB's namespace later."""
    return ACP_NAMESPACE if platform == "acp" else metallb_namespace


def _meta(name: str, namespace: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "labels": {"app.kubernetes.io/name": NAME}}
    if namespace:
        meta["namespace"] = namespace
    return meta


def rbac(platform: str, metallb_namespace: str) -> list[dict[str, Any]]:
    """The least the Job needs: read the one object it polls, and the webhook's endpoints."""
    ns = gate_namespace(platform, metallb_namespace)
    subject = [{"kind": "ServiceAccount", "name": NAME, "namespace": ns}]
    sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(NAME, ns)}
    endpoints_rule = {
        "apiGroups": [""],
        "resources": ["endpoints"],
        "resourceNames": [WEBHOOK_SERVICE],
        "verbs": ["get"],
    }
    out: list[dict[str, Any]] = [sa]
    if platform == "acp":
        role = {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": _meta(NAME, ns),
            "rules": [
                {
                    "apiGroups": ["operator.alauda.io"],
                    "resources": ["appreleases"],
                    "verbs": ["get", "list", "watch"],
                }
            ],
        }
        # MetalLB's namespace appears only once the plugin is installed, after this wave:
        # a namespaced Role there could not be applied yet, so the endpoints rule is a
        # ClusterRole restricted to the webhook Service's name.
        cluster_role = {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": _meta(NAME),
            "rules": [endpoints_rule],
        }
        out += [
            role,
            _binding("RoleBinding", "Role", ns, subject),
            cluster_role,
            _binding("ClusterRoleBinding", "ClusterRole", None, subject),
        ]
    else:
        role = {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": _meta(NAME, ns),
            "rules": [
                {
                    "apiGroups": ["apps"],
                    "resources": ["deployments"],
                    "resourceNames": [CONTROLLER_DEPLOYMENT],
                    "verbs": ["get"],
                },
                endpoints_rule,
            ],
        }
        out += [role, _binding("RoleBinding", "Role", ns, subject)]
    return [waves.annotate(o, waves.GATE_RBAC) for o in out]


def _binding(
    kind: str, role_kind: str, namespace: str | None, subjects: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": kind,
        "metadata": _meta(NAME, namespace),
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": NAME},
        "subjects": subjects,
    }


def job(platform: str, metallb_namespace: str, image: str, timeout: int) -> dict[str, Any]:
    """The Sync hook Job; re-created on every sync (BeforeHookCreation) so it always checks."""
    ns = gate_namespace(platform, metallb_namespace)
    container = {
        "name": "wait",
        "image": image,
        "command": ["/bin/sh", "-c", script(platform)],
        "env": [
            {"name": "METALLB_NAMESPACE", "value": metallb_namespace},
            {"name": "TIMEOUT_SECONDS", "value": str(timeout)},
            {"name": "HOME", "value": "/tmp"},
        ],
        "resources": {
            "requests": {"cpu": "10m", "memory": "32Mi"},
            "limits": {"memory": "128Mi"},
        },
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
            "readOnlyRootFilesystem": True,
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    obj: dict[str, Any] = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": _meta(NAME, ns),
        "spec": {
            "backoffLimit": 0,  # a failed gate fails the sync; Argo CD's retry runs it again
            # the script gives up after `timeout`; the deadline also stops a hung pull or kubectl
            "activeDeadlineSeconds": timeout + 120,
            "template": {
                "metadata": {"labels": {"app.kubernetes.io/name": NAME}},
                "spec": {
                    "serviceAccountName": NAME,
                    "restartPolicy": "Never",
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": 65534,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "containers": [container],
                    "volumes": [{"name": "tmp", "emptyDir": {}}],
                },
            },
        },
    }
    return waves.annotate(
        obj,
        waves.GATE,
        **{waves.HOOK: "Sync", waves.HOOK_DELETE_POLICY: "BeforeHookCreation"},
    )
