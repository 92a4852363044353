"""The readiness gate: a Sync hook Job that holds the MetalLB objects back until MetalLB serves.

Argo CD cannot tell when MetalLB is ready: the ACP ClusterPluginInstance has no status, and a
child Application's health is not assessed by default. Until MetalLB's validating webhook has
endpoints every MetalLB object is refused ("failed calling webhook"). The Job polls what does
tell (the ACP AppRelease `ars/metallb` Health condition, or the upstream controller Deployment's
Available condition), then for a ready endpoint of the webhook Service in its EndpointSlices
(discovery.k8s.io/v1; v1 Endpoints are deprecated from Kubernetes 1.33). Every poll prints why
it still waits (kubectl's error, or the condition it saw), and it fails after a timeout so the
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

# Every kubectl call goes through kc: its output lands in $out, and when it fails its error
# message becomes the reason wait_for prints at each poll (nothing goes to /dev/null). Each
# check sets $reason to what it saw when the condition does not hold yet.
_PRELUDE = """\
set -eu
deadline=$(( $(date +%s) + ${TIMEOUT_SECONDS} ))
errfile="${TMPDIR:-/tmp}/gitops-lb-gate.err"
out=""
reason="not checked yet"
say() {
  echo "gitops-lb readiness gate: $*" >&2
}
kc() {
  if out=$(kubectl "$@" 2>"$errfile"); then
    return 0
  else
    rc=$?
  fi
  msg=$(tr '\\n' ' ' <"$errfile")
  reason="kubectl failed (exit $rc): ${msg:-no message}"
  return 1
}
wait_for() {
  what=$1
  shift
  until "$@"; do
    say "waiting for $what: $reason"
    if [ "$(date +%s)" -ge "$deadline" ]; then
      say "gave up after ${TIMEOUT_SECONDS}s waiting for $what; last seen: $reason"
      exit 1
    fi
    sleep "${POLL_SECONDS:-@POLL@}"
  done
  echo "gitops-lb readiness gate: done waiting for $what"
}
condition() {
  # "$1" is STATUS|REASON|MESSAGE of one condition; true when STATUS is True
  status=${1%%|*}
  rest=${1#*|}
  if [ "$status" = "True" ]; then
    return 0
  fi
  if [ -z "$status" ]; then
    reason="$2 has no $3 condition yet"
  else
    reason="$2 has $3=$status (reason: ${rest%%|*}; message: ${rest#*|})"
  fi
  return 1
}
webhook_has_endpoints() {
  kc -n "$METALLB_NAMESPACE" get endpointslices.discovery.k8s.io \\
    -l kubernetes.io/service-name=@WEBHOOK@ \\
    -o jsonpath='@SLICES@' || return 1
  total=$(printf '%s\\n' "$out" | grep -c '^ready=' || true)
  unready=$(printf '%s\\n' "$out" | grep -c '^ready=false' || true)
  if [ "$total" -eq 0 ]; then
    reason="no EndpointSlice of Service $METALLB_NAMESPACE/@WEBHOOK@ lists an endpoint yet"
    return 1
  fi
  if [ "$unready" -eq "$total" ]; then
    reason="Service $METALLB_NAMESPACE/@WEBHOOK@ has $total endpoint(s), none ready"
    return 1
  fi
}
"""

# one line per endpoint: "ready=true 10.0.0.5"; "ready= ..." when the condition is unset, which
# the EndpointSlice API says to read as ready
_SLICES = '{range .items[*].endpoints[*]}ready={.conditions.ready} {.addresses[0]}{"\\n"}{end}'
_CONDITION = '{.status.conditions[?(@.type=="@TYPE@")]'
_FIELDS = "|".join(_CONDITION + f".{f}}}" for f in ("status", "reason", "message"))

_ACP = f"""\
apprelease_healthy() {{
  kc -n @ACP_NS@ get appreleases.operator.alauda.io @ACP_AR@ \\
    -o jsonpath='{_FIELDS.replace("@TYPE@", "Health")}' || return 1
  condition "$out" "AppRelease @ACP_NS@/@ACP_AR@" Health
}}
wait_for "AppRelease @ACP_NS@/@ACP_AR@ (Health=True)" apprelease_healthy
wait_for "Service $METALLB_NAMESPACE/@WEBHOOK@ to have a ready endpoint" webhook_has_endpoints
"""

_UPSTREAM = f"""\
controller_available() {{
  kc -n "$METALLB_NAMESPACE" get deployments.apps @CONTROLLER@ \\
    -o jsonpath='{_FIELDS.replace("@TYPE@", "Available")}' || return 1
  condition "$out" "Deployment $METALLB_NAMESPACE/@CONTROLLER@" Available
}}
wait_for "Deployment $METALLB_NAMESPACE/@CONTROLLER@ (Available)" controller_available
wait_for "Service $METALLB_NAMESPACE/@WEBHOOK@ to have a ready endpoint" webhook_has_endpoints
"""


def script(platform: str) -> str:
    text = _PRELUDE + (_ACP if platform == "acp" else _UPSTREAM)
    for token, value in (
        ("@SLICES@", _SLICES),
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
    """Exactly what the script's kubectl calls need (tests/compile/test_gate_rbac.py derives the
    calls from the script): `get` on the one object it polls, `list` on the EndpointSlices of
    MetalLB's namespace (their names are generated, so they are found by label)."""
    ns = gate_namespace(platform, metallb_namespace)
    subject = [{"kind": "ServiceAccount", "name": NAME, "namespace": ns}]
    sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(NAME, ns)}
    slices_rule = {
        "apiGroups": ["discovery.k8s.io"],
        "resources": ["endpointslices"],
        "verbs": ["list"],
    }
    out: list[dict[str, Any]] = [sa]
    if platform == "acp":
        role = _role(
            "Role",
            ns,
            [
                {
                    "apiGroups": ["operator.alauda.io"],
                    "resources": ["appreleases"],
                    "resourceNames": [ACP_APPRELEASE],
                    "verbs": ["get"],
                }
            ],
        )
        # MetalLB's namespace appears only once the plugin is installed, after this wave: a
        # Role there could not be applied yet, so listing EndpointSlices is a ClusterRole
        # (read-only, EndpointSlices only).
        out += [
            role,
            _binding("RoleBinding", "Role", ns, subject),
            _role("ClusterRole", None, [slices_rule]),
            _binding("ClusterRoleBinding", "ClusterRole", None, subject),
        ]
    else:
        deployment_rule = {
            "apiGroups": ["apps"],
            "resources": ["deployments"],
            "resourceNames": [CONTROLLER_DEPLOYMENT],
            "verbs": ["get"],
        }
        role = _role("Role", ns, [deployment_rule, slices_rule])
        out += [role, _binding("RoleBinding", "Role", ns, subject)]
    return [waves.annotate(o, waves.GATE_RBAC) for o in out]


def _role(kind: str, namespace: str | None, rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": kind,
        "metadata": _meta(NAME, namespace),
        "rules": rules,
    }


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
