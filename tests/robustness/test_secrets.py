"""No secret value, token or credential from the input appears in any output or message.

Each input plants recognisable secrets (a BGP password, Secret data, URL credentials) in
valid and in wrongly typed fields, so that rule findings and schema errors (which quote the
offending value) are both exercised, in every report format.
"""

from __future__ import annotations

import base64

import pytest

from tests.robustness.cli import SITES, cli

REPO = ("--repo-url", "https://git.example.org/platform/lb.git")  # import: no marker to replace

FORMATS = ("text", "json", "sarif", "junit", "github")
SECRET = "S3CR3T-hunter2-7f3a"
NUMBER = "918273645546372819"  # a password written as a number (a schema error)
B64 = base64.b64encode(SECRET.encode()).decode()
MARKERS = (SECRET, NUMBER, B64)

PEER = """\
---
apiVersion: metallb.io/{version}
kind: BGPPeer
metadata: {{name: {name}, namespace: metallb-system}}
spec:
  myASN: 64512
  peerASN: 64513
  peerAddress: 10.0.0.1
  {extra}
"""
SECRET_DOC = """\
---
apiVersion: v1
kind: Secret
metadata: {{name: {name}, namespace: metallb-system}}
type: {type}
{body}
"""

MANIFESTS = {
    "peer-password": PEER.format(version="v1beta2", name="a", extra=f"password: {SECRET}"),
    "peer-password-number": PEER.format(version="v1beta2", name="b", extra=f"password: {NUMBER}"),
    "peer-password-list": PEER.format(version="v1beta2", name="c", extra=f"password: [{SECRET}]"),
    "peer-v1beta1-password": PEER.format(version="v1beta1", name="d", extra=f"password: {SECRET}"),
    "peer-password-and-secret": PEER.format(
        version="v1beta2",
        name="e",
        extra=f"password: {SECRET}\n  passwordSecret: {{name: bgp}}",
    ),
    "secret-wrong-type": PEER.format(
        version="v1beta2", name="f", extra="passwordSecret: {name: s1}"
    )
    + SECRET_DOC.format(name="s1", type="Opaque", body=f"data: {{password: {B64}}}"),
    "secret-no-password-key": PEER.format(
        version="v1beta2", name="g", extra="passwordSecret: {name: s2}"
    )
    + SECRET_DOC.format(
        name="s2", type="kubernetes.io/basic-auth", body=f"stringData: {{pass: {SECRET}}}"
    ),
    "secret-data-string": SECRET_DOC.format(name="s3", type="Opaque", body=f"data: {SECRET}"),
    "secret-data-number": SECRET_DOC.format(
        name="s4", type="Opaque", body=f"stringData: {{password: {NUMBER}}}"
    ),
    "secret-data-nested": SECRET_DOC.format(
        name="s5", type="Opaque", body=f"stringData: {{password: {{deep: {SECRET}}}}}"
    ),
    "secret-duplicate-key": SECRET_DOC.format(
        name="s6", type="Opaque", body=f"stringData:\n  password: x\n  password: {SECRET}"
    ),
    "secret-bad-name": SECRET_DOC.format(
        name="'S 6'", type="Opaque", body=f"stringData: {{password: {SECRET}}}"
    ),
    "secret-syntax-error": SECRET_DOC.format(
        name="s7", type="Opaque", body=f"stringData: {{password: {SECRET},\n"
    ),
}

WARNED = {"peer-password", "peer-v1beta1-password"}


def _site(**edits: str) -> str:
    text = (SITES / "bgp-frr.yaml").read_text()
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


PEER_LINE = "          bfdProfile: fast\n"
SITE_SPECS = {
    "site-password": _site(**{PEER_LINE: PEER_LINE + f"          password: {SECRET}\n"}),
    "site-password-number": _site(**{PEER_LINE: PEER_LINE + f"          password: {NUMBER}\n"}),
    "site-password-map": _site(**{PEER_LINE: PEER_LINE + f"          password: {{x: {SECRET}}}\n"}),
    "site-repo-url-password": _site(
        **{"https://git.example.com": f"https://x-access-token:{SECRET}@git.example.com"}
    ),
    "site-repo-url-token-as-user": _site(
        **{"https://git.example.com": f"https://{SECRET}@git.example.com"}
    ),
    "site-server-credentials": _site(
        **{"https://10.10.0.10:6443": f"https://admin:{SECRET}@10.10.0.10:6443"}
    ),
}


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for marker in MARKERS:
            assert marker not in text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_lint_never_prints_a_secret(tmp_path, capsys, monkeypatch, name, fmt):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    f = tmp_path / "secret.yaml"
    f.write_text(MANIFESTS[name])
    run = cli(capsys, "lint", str(f), "--format", fmt, "--bgp-mode", "frr")
    # a clear password in a manifest is a warning (MetalLB accepts it); the rest are errors
    assert run.status == (0 if name in WARNED else 1)
    assert run.out.strip()
    assert_no_secret(run.out, run.err, summary.read_text() if summary.exists() else "")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(SITE_SPECS))
def test_validate_never_prints_a_secret(tmp_path, capsys, name, fmt):
    f = tmp_path / "site.yaml"
    f.write_text(SITE_SPECS[name])
    run = cli(capsys, "validate", str(f), "--format", fmt)
    assert run.status == 1
    assert_no_secret(run.out, run.err)


@pytest.mark.parametrize("name", sorted(SITE_SPECS))
def test_compile_never_prints_a_secret(tmp_path, capsys, name):
    f = tmp_path / "site.yaml"
    f.write_text(SITE_SPECS[name])
    run = cli(capsys, "compile", str(f), "-o", str(tmp_path / "out"))
    assert run.status == 1
    assert_no_secret(run.out, run.err)
    assert not (tmp_path / "out").exists()


def test_a_clear_password_is_an_error_pointing_to_password_secret(tmp_path, capsys):
    f = tmp_path / "site.yaml"
    f.write_text(SITE_SPECS["site-password"])
    run = cli(capsys, "validate", str(f), "--format", "json")
    found = [d for d in run.diagnostics() if d["rule"] == "site-password-in-clear"]
    line = SITE_SPECS["site-password"].splitlines().index(f"          password: {SECRET}") + 1
    assert [(d["severity"], d["line"]) for d in found] == [("error", line)]
    assert "passwordSecret" in found[0]["message"]


@pytest.mark.parametrize("how", [["--metallb-compat"], ["--disable", "site-password-in-clear"]])
@pytest.mark.parametrize("name", ["site-password", "site-repo-url-password"])
def test_compile_never_writes_a_secret_even_when_the_rule_is_relaxed(tmp_path, capsys, name, how):
    f = tmp_path / "site.yaml"
    f.write_text(SITE_SPECS[name])
    out = tmp_path / "out"
    run = cli(capsys, "compile", str(f), "-o", str(out), "--disable", "site-url-credentials", *how)
    assert run.status == 1
    assert "refusing to write secrets" in run.err
    assert_no_secret(run.out, run.err)
    assert not out.exists()


def test_url_credentials_are_an_error_on_their_line(tmp_path, capsys):
    text = SITE_SPECS["site-server-credentials"]
    f = tmp_path / "site.yaml"
    f.write_text(text)
    run = cli(capsys, "validate", str(f), "--format", "json")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "server: https" in t)
    found = [(d["rule"], d["line"]) for d in run.diagnostics()]
    assert found == [("site-url-credentials", line)]
    assert "https://***@10.10.0.10:6443" in run.diagnostics()[0]["message"]


def test_clean_urls_are_not_reported(tmp_path, capsys):
    run = cli(capsys, "validate", str(SITES), "--format", "json")
    assert run.status == 0
    assert not [d for d in run.diagnostics() if d["rule"] == "site-url-credentials"]


# --- import and reconcile -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_import_never_prints_a_secret(tmp_path, capsys, name):
    f = tmp_path / "in.yaml"
    f.write_text(MANIFESTS[name])
    out = tmp_path / "site.yaml"
    for extra in ([], ["-o", str(out)]):
        run = cli(capsys, "import", str(f), *extra)
        assert_no_secret(run.out, run.err, out.read_text() if out.exists() else "")


def test_import_puts_a_secret_reference_in_place_of_a_clear_password(tmp_path, capsys):
    f = tmp_path / "in.yaml"
    f.write_text(MANIFESTS["peer-password"])
    site = tmp_path / "site.yaml"
    run = cli(capsys, "import", str(f), "-o", str(site), "--bgp-mode", "frr", *REPO)
    assert run.status == 0
    assert "create secret generic a-bgp-password --type=kubernetes.io/basic-auth" in run.err
    out = tmp_path / "deploy"
    assert cli(capsys, "compile", str(site), "-o", str(out)).status == 0
    peer = (out / "imported" / "default" / "bgppeers.yaml").read_text()
    assert "passwordSecret:\n    name: a-bgp-password" in peer and "password:" not in peer


LIVE_SECRETS = f"""\
---
apiVersion: v1
kind: Secret
metadata: {{name: bgp-auth, namespace: metallb-system}}
type: kubernetes.io/basic-auth
data: {{password: {B64}}}
stringData: {{password: {SECRET}}}
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {{name: tor-r1, namespace: metallb-system}}
spec:
  myASN: 64512
  peerASN: 64601
  peerAddress: 10.10.1.1
  holdTime: 90s
  keepaliveTime: 30s
  bfdProfile: fast
  password: {SECRET}
  nodeSelectors:
    - matchLabels: {{topology.example.com/rack: r1}}
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {{name: tor-r2, namespace: metallb-system}}
spec:
  myASN: 64512
  peerASN: 64602
  peerAddress: 10.10.2.1
  password: {NUMBER}
"""


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_reconcile_never_prints_a_live_secret(tmp_path, capsys, fmt):
    """Git has no password; the live peers have one (a string, a number): drift, not shown."""
    live = tmp_path / "live.yaml"
    live.write_text(LIVE_SECRETS)
    args = ["--cluster", "bgp-frr/core", "--live", str(live), "--format", fmt]
    run = cli(capsys, "reconcile", str(SITES / "bgp-frr.yaml"), *args)
    assert run.status == 1
    assert "tor-r1" in run.out
    assert_no_secret(run.out, run.err)


@pytest.mark.parametrize("how", [[], ["--metallb-compat"], ["--disable", "site-password-in-clear"]])
@pytest.mark.parametrize(
    "name", ["site-password", "site-repo-url-password", "site-server-credentials"]
)
def test_plan_and_render_never_print_a_secret(tmp_path, capsys, name, how):
    f = tmp_path / "site.yaml"
    f.write_text(SITE_SPECS[name])
    relax = ["--disable", "site-url-credentials", *how] if how else []
    for argv in (
        ["plan", str(f), *relax],
        ["plan", str(f), "--format", "json", *relax],
        ["render", str(f), "--cluster", "bgp-frr/core", *relax],
    ):
        run = cli(capsys, *argv)
        assert_no_secret(run.out, run.err)
        if argv[0] == "render":
            assert run.status == 1  # never a manifest with the secret in it
