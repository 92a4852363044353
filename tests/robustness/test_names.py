"""Names with '/', '..', spaces, upper case or look-alike letters never pass and never become paths.

Manifests: the API server would refuse such an object (object-invalid-metadata). Site specs: every
name that becomes part of an output path or a Kubernetes object is checked by the schema, with
a message that names the offending character; compile writes nothing.
"""

from __future__ import annotations

import json

import pytest

from gitops_lb.names import DNS1035_LABEL, DNS1123_SUBDOMAIN, INTERFACE_NAME, REPO_PATH, problem
from gitops_lb.printable import printable
from tests.robustness.cli import SITES, cli
from tests.robustness.commands import findings

BAD_NAMES = {
    "slash": "a/b",
    "dotdot": "..",
    "dotdot-slash": "../../etc",
    "absolute": "/etc",
    "space": "my pool",
    "upper": "Web",
    "cyrillic-a": "p\u0430ol",
    "greek-o": "p\u03bfol",
    "fullwidth": "\uff50ool",
    "zero-width": "po\u200bol",
    "newline": "po\nol",
    "too-long": "a" * 254,
}

OBJECTS = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {{name: {pool}, namespace: {ns}}}
spec: {{addresses: [192.0.2.0/24]}}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {{name: l2, namespace: metallb-system}}
---
apiVersion: v1
kind: Service
metadata: {{name: {svc}, namespace: default}}
spec: {{type: LoadBalancer, ports: [{{port: 80}}]}}
"""


def write(tmp_path, text):
    f = tmp_path / "in.yaml"
    f.write_text(text)
    return str(f)


def test_good_names_are_clean(tmp_path, capsys):
    run = cli(
        capsys, "lint", write(tmp_path, OBJECTS.format(pool="web", ns="metallb-system", svc="s"))
    )
    assert run.status == 0


@pytest.mark.parametrize("where", ["pool", "svc"])
@pytest.mark.parametrize("case", sorted(BAD_NAMES))
def test_lint_refuses_bad_object_names(tmp_path, capsys, case, where):
    names = {"pool": "web", "ns": "metallb-system", "svc": "s", where: BAD_NAMES[case]}
    names = {k: v if v.isalnum() else '"' + v.replace("\n", "\\n") + '"' for k, v in names.items()}
    run = cli(capsys, "lint", write(tmp_path, OBJECTS.format(**names)), "--format", "json")
    assert run.status == 1
    line = {"pool": 3, "svc": 12}[where]
    found = [d for d in run.diagnostics() if d["rule"] == "object-invalid-metadata"]
    assert [d["line"] for d in found] == [line]
    assert "is invalid" in found[0]["message"]


@pytest.mark.parametrize("case", sorted(BAD_NAMES))
def test_import_refuses_bad_object_names(tmp_path, capsys, case):
    name = '"' + BAD_NAMES[case].replace("\n", "\\n") + '"'
    f = write(tmp_path, OBJECTS.format(pool=name, ns="metallb-system", svc="s"))
    run = cli(capsys, "import", f)
    assert run.status == 1 and run.out == ""
    assert (f, 3) in {(file, line) for _, file, line in findings("import", run)}


@pytest.mark.parametrize("case", ["slash", "dotdot-slash", "cyrillic-a", "newline"])
def test_reconcile_shows_bad_live_names_escaped(tmp_path, capsys, case):
    live = tmp_path / "live.yaml"
    live.write_text(
        "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
        f"metadata: {{name: {json.dumps(BAD_NAMES[case])}, namespace: metallb-system}}\n"
        "spec: {addresses: [192.0.2.0/24]}\n"
    )
    site = str(SITES / "bgp-frr.yaml")
    run = cli(capsys, "reconcile", site, "--cluster", "bgp-frr/core", "--live", str(live))
    assert run.status == 1  # not in Git: an extra object, and Git's objects are missing
    lines = run.out.splitlines()  # one finding per line, whatever the name holds
    assert all(line.startswith((site, "<live>", "bgp-frr/core")) for line in lines)
    extra = next(line for line in lines if line.endswith("[extra]"))
    assert printable(BAD_NAMES[case]) in extra


def test_lint_refuses_a_bad_namespace(tmp_path, capsys):
    text = OBJECTS.format(pool="web", ns='"metallb system"', svc="s")
    run = cli(
        capsys, "lint", write(tmp_path, text), "--format", "json", "--namespace", "metallb system"
    )
    assert ("object-invalid-metadata", 3) in run.found()
    assert run.status == 1


def test_lookalike_letters_are_named(tmp_path, capsys):
    text = OBJECTS.format(pool="p\u0430ol", ns="metallb-system", svc="s")
    run = cli(capsys, "lint", write(tmp_path, text))
    assert "U+0430 CYRILLIC SMALL LETTER A" in run.out


BGP = (SITES / "bgp-frr.yaml").read_text()
L2 = (SITES / "shared-l2.yaml").read_text()

# where a name sits in an example site spec: (text, the line as written, how to write a name)
SITE_NAMES = {
    "site": (BGP, "  name: bgp-frr", "  name: {}"),
    "cluster": (BGP, "    - name: core", "    - name: {}"),
    "node": (BGP, "        - name: r1-n1", "        - name: {}"),
    "interface": (
        BGP,
        "[{name: eth0, address: 10.10.1.11}]",
        "[{{name: {}, address: 10.10.1.11}}]",
    ),
    "pool": (BGP, "        - name: public", "        - name: {}"),
    "peer": (BGP, "        - name: tor-r1", "        - name: {}"),
    "network": (L2, "    - name: vlan20", "    - name: {}"),
    "service": (BGP, "        - name: api-gateway", "        - name: {}"),
    "service namespace": (BGP, "          namespace: gateway", "          namespace: {}"),
    "metallb namespace": (L2, "    namespace: metallb-system", "    namespace: {}"),
    "argocd path": (BGP, "    path: deploy", "    path: {}"),
}
SITE_BAD = ["a/b", "..", "../../etc", "/etc", "my pool", "Web", "p\u0430ol", "x" * 70]


def quoted(text: str) -> str:
    return '"' + text + '"'


@pytest.mark.parametrize("command", ["validate", "compile"])
@pytest.mark.parametrize("bad", SITE_BAD)
@pytest.mark.parametrize("where", sorted(SITE_NAMES))
def test_site_names_are_checked_before_they_become_paths(tmp_path, capsys, where, bad, command):
    text, old, new = SITE_NAMES[where]
    if where == "argocd path" and bad in ("a/b", "Web", "my pool", "p\u0430ol", "x" * 70):
        bad = "../" + bad  # any relative path is fine there; climbing out of the repository is not
    if where == "interface" and bad in ("Web", "x" * 70):
        bad = bad + " x"  # Linux allows upper case; not a space
    if where == "node" and bad == "x" * 70:
        bad = "x" * 254  # node names are DNS-1123 subdomains: up to 253 characters
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    f = write(tmp_path, text.replace(old, new.format(quoted(bad)), 1))
    out = tmp_path / "out"
    args = ["-o", str(out)] if command == "compile" else []
    run = cli(capsys, command, f, "--format", "json", *args)
    assert run.status == 1
    assert ("schema-invalid", line) in run.found()
    message = next(d["message"] for d in run.diagnostics() if d["line"] == line)
    assert "is invalid:" in message or "at most" in message
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.yaml"]


@pytest.mark.parametrize(
    ("text", "pattern", "ok"),
    [
        ("web", DNS1035_LABEL, True),
        ("1web", DNS1035_LABEL, False),
        ("a.b", DNS1035_LABEL, False),
        ("a.b", DNS1123_SUBDOMAIN, True),
        ("a..b", DNS1123_SUBDOMAIN, False),
        ("eth0.100", INTERFACE_NAME, True),
        ("...", INTERFACE_NAME, True),
        (".", INTERFACE_NAME, False),
        ("eth0/1", INTERFACE_NAME, False),
        ("x" * 16, INTERFACE_NAME, False),
        ("deploy/prod", REPO_PATH, True),
        (".", REPO_PATH, True),
        ("./deploy/", REPO_PATH, True),
        ("..deploy", REPO_PATH, True),
        ("deploy/../..", REPO_PATH, False),
        ("/deploy", REPO_PATH, False),
        ("a//b", REPO_PATH, False),
        ("", REPO_PATH, False),
    ],
)
def test_name_patterns(text, pattern, ok):
    assert (problem(text, pattern) is None) is ok
