"""gitops-lb diff on a temporary repository with several commits."""

import json
import textwrap

import pytest

from gitops_lb.cli import main
from gitops_lb.diff import address_ranges, compare, render_ranges, subtract
from tests.gitrepo import GitRepo
from tests.site.helpers import targets

SITE = """\
apiVersion: gitops-lb.io/v1alpha1
kind: Site
metadata: {name: dc1}
spec:
  platform: metallb
  bgpMode: frr
  argocd: {repoURL: https://git.example.com/lb.git}
  clusters:
    - name: prod-a
      server: https://10.0.0.10:6443
      pools:
        - name: web
          addresses: [192.168.10.64/27]
          l2: {interfaces: [eth3]}
        - name: edge
          addresses: [203.0.113.0/28]
          bgp: {peers: [tor1]}
      bgpPeers:
        - {name: tor1, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.1}
        - {name: tor2, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.2, password: s3cret}
      services:
        - {name: nginx, namespace: web, pool: web, ips: [192.168.10.70]}
        - {name: api, namespace: web, pool: edge}
"""


def changes(result):
    return {(c.kind, c.name): c for c in result.changes}


# --- pure comparison -------------------------------------------------------------------------


def test_address_arithmetic():
    a = address_ranges(["10.0.0.0/24", "10.0.1.0-10.0.1.9", "fc00::/127", "bad"])
    assert [len(a[4]), a[4][0][1] - a[4][0][0] + 1] == [1, 266]  # merged: adjacent blocks
    b = address_ranges(["10.0.0.16/28", "10.0.1.0/24"])
    rest = subtract(a[4], b[4])
    assert render_ranges(4, rest) == "10.0.0.0/28, 10.0.0.32-10.0.0.255"
    assert render_ranges(4, subtract(b[4], a[4])) == "10.0.1.10-10.0.1.255"
    assert render_ranges(6, a[6]) == "fc00::/127"
    assert subtract(a[4], a[4]) == []


def test_identical_sites_have_no_changes():
    assert compare(targets(SITE), targets(SITE)).changes == []


def test_shrinking_a_pool_services_use_is_risky():
    head = SITE.replace("192.168.10.64/27]", "192.168.10.64/28]")
    (c,) = compare(targets(SITE), targets(head)).changes
    assert (c.kind, c.name, c.change) == ("IPAddressPool", "web", "shrunk")
    assert c.details == ("IPv4 32 -> 16", "removes 192.168.10.80/28")
    assert c.risk == "takes addresses from a pool that 1 Service (web/nginx) draws from"
    assert c.data == {"before": {"ipv4": 32, "ipv6": 0}, "after": {"ipv4": 16, "ipv6": 0}}


def test_growing_a_pool_is_not_risky():
    head = SITE.replace("192.168.10.64/27]", '192.168.10.64/27, "fc00::/120"]')
    (c,) = compare(targets(SITE), targets(head)).changes
    assert (c.change, c.risky) == ("grown", False)
    assert c.details == ("IPv6 0 -> 256", "adds fc00::/120")


def test_moving_a_pool_names_the_service_that_loses_its_address():
    head = SITE.replace("192.168.10.64/27]", "192.168.10.128/27]")
    (c,) = compare(targets(SITE), targets(head)).changes
    assert c.change == "moved"
    assert (c.risk or "").endswith("1 Service (web/nginx) requests a removed address")


def test_service_moves_and_other_object_changes():
    head = (
        SITE.replace("ips: [192.168.10.70]", "ips: [192.168.10.71]")
        .replace("pool: edge}", "pool: web}")
        .replace("interfaces: [eth3]", "interfaces: [eth4]")
        .replace("password: s3cret", "password: other")
        .replace("bgp: {peers: [tor1]}", "bgp: {peers: [tor1], localPref: 200}")
    )
    got = changes(compare(targets(SITE), targets(head)))
    nginx = got[("Service", "web/nginx")]
    assert (nginx.change, nginx.details) == ("moved", ("ips: 192.168.10.70 -> 192.168.10.71",))
    assert nginx.risk == "its address changes"
    api = got[("Service", "web/api")]
    assert api.details == ("pool: edge -> web",)
    assert "re-allocates" in (api.risk or "")
    assert got[("L2Advertisement", "web")].details == ('interfaces: ["eth3"] -> ["eth4"]',)
    assert got[("BGPAdvertisement", "edge")].details == ("localPref: 0 -> 200",)
    peer = got[("BGPPeer", "tor2")]
    assert peer.details == ("password changed",) and "s3cret" not in repr(peer)


def test_added_and_removed_objects_and_lost_announcement():
    head = SITE.replace("          l2: {interfaces: [eth3]}\n", "").replace(
        "        - {name: tor2, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.2, "
        "password: s3cret}\n",
        "",
    )
    head += "        - {name: db, namespace: data, ips: [203.0.113.5]}\n"
    got = changes(compare(targets(SITE), targets(head)))
    assert got[("BGPPeer", "tor2")].change == "removed"
    assert got[("L2Advertisement", "web")].change == "removed"
    assert got[("Service", "data/db")].change == "added"
    pool = got[("IPAddressPool", "web")]
    assert pool.details == ("no advertisement announces it any more",)
    assert "nothing announces the addresses of 1 Service (web/nginx)" in (pool.risk or "")


def test_clusters_added_and_removed():
    other = SITE.replace("name: dc1", "name: dc2")
    got = changes(compare(targets(SITE), targets(other)))
    assert got[("Cluster", "dc2/prod-a")].change == "added"
    removed = got[("Cluster", "dc1/prod-a")]
    assert removed.change == "removed" and "2 Services" in (removed.risk or "")


# --- the command on a real repository ---------------------------------------------------------


@pytest.fixture
def repo(tmp_path, monkeypatch):
    r = GitRepo(tmp_path / "repo")
    r.write("sites/dc1.yaml", SITE)
    r.write("deploy/dc1/prod-a/pool.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    r.write("charts/t/templates/svc.yaml", "metadata:\n  name: {{ .Values.name }}\n  x: [\n")
    r.commit("first")
    (r.root / "sites/east").mkdir()
    r.git("mv", "sites/dc1.yaml", "sites/east/dc1.yaml")
    r.commit("rename")
    r.write("sites/east/dc1.yaml", SITE.replace("192.168.10.64/27]", "192.168.10.64/28]"))
    r.commit("shrink")
    monkeypatch.chdir(r.root)
    return r


def test_renamed_file_is_not_remove_and_add(repo, capsys):
    assert main(["diff", "--base", "HEAD~2", "--head", "HEAD~1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("site specs: revision HEAD~2 (")
    assert out.endswith("no changes\n")


def test_diff_between_revisions_text(repo, capsys):
    assert main(["diff", "--base", "HEAD~2", "--head", "HEAD", "sites"]) == 0
    out = capsys.readouterr().out
    assert (
        "dc1/prod-a\n  ! IPAddressPool web shrunk: IPv4 32 -> 16; removes 192.168.10.80/28\n" in out
    )
    assert "      risky: takes addresses from a pool that 1 Service (web/nginx) draws from\n" in out
    assert out.endswith("1 change, 1 risky\n")
    assert main(["diff", "--base", "HEAD~2", "--head", "HEAD", "--fail-on-risky"]) == 1


def test_working_tree_is_the_default_head(repo, capsys):
    repo.write("sites/east/dc1.yaml", SITE.replace("ips: [192.168.10.70]", "ips: [192.168.10.72]"))
    repo.write("sites/new.yaml", SITE.replace("name: dc1", "name: dc2"))  # untracked
    assert main(["diff", "--base", "HEAD", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["head"] == "working tree"
    got = {(c["kind"], c["name"]): c for c in doc["changes"]}
    assert got[("Cluster", "dc2/prod-a")]["change"] == "added"
    assert got[("Service", "web/nginx")]["reason"] == "its address changes"
    assert got[("IPAddressPool", "web")]["before"] == {"ipv4": 16, "ipv6": 0}
    assert got[("IPAddressPool", "web")]["change"] == "grown"
    assert doc["summary"] == {"changes": 3, "risky": 1}
    # the working tree was only read
    assert repo.git("status", "--porcelain").stdout.count("\n") == 2


def test_markdown_for_a_pull_request(repo, capsys):
    assert main(["diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### gitops-lb diff: revision HEAD~1 (")
    assert "**1 change, 1 risky**" in out
    assert "- **dc1/prod-a** IPAddressPool `web` shrunk: takes addresses" in out
    assert (
        "| :warning: | dc1/prod-a | IPAddressPool `web` | shrunk | IPv4 32 -> 16<br>removes" in out
    )


def test_unknown_revision_exits_3(repo, capsys):
    assert main(["diff", "--base", "no-such-branch"]) == 3
    assert capsys.readouterr().err == "gitops-lb: error: unknown revision 'no-such-branch'\n"
    assert main(["diff", "--base", "HEAD", "--head", "HEAD~9"]) == 3


def test_not_a_repository_exits_3(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "--base", "HEAD"]) == 3
    assert "not a Git repository" in capsys.readouterr().err


def test_path_at_neither_revision_exits_3(repo, capsys):
    assert main(["diff", "--base", "HEAD~1", "stes"]) == 3
    assert "stes: no such file or folder at either revision" in capsys.readouterr().err
    assert main(["diff", "--base", "HEAD~1", "deploy"]) == 3
    assert "no site spec found under deploy" in capsys.readouterr().err


def test_a_site_that_does_not_load_stops_the_diff(repo, capsys):
    repo.write("sites/east/dc1.yaml", SITE.replace("platform: metallb", "platfrom: metallb"))
    assert main(["diff", "--base", "HEAD"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        "working tree: sites/east/dc1.yaml:5:3: unknown field 'platfrom' in spec of site 'dc1'"
        in captured.err
    )
    repo.write("sites/east/dc1.yaml", SITE + "  x: [\n")
    assert main(["diff", "--base", "HEAD"]) == 1
    assert "[yaml-syntax]" in capsys.readouterr().err


def test_new_site_folder_compared_with_a_revision_without_it(repo, capsys):
    repo.write("more/dc3.yaml", textwrap.dedent(SITE).replace("name: dc1", "name: dc3"))
    assert main(["diff", "--base", "HEAD", "more"]) == 0
    assert "+ dc3/prod-a added: 2 pools; 2 services" in capsys.readouterr().out


def test_base_defaults_to_head(repo, capsys):
    # `gitops-lb diff` alone: what the working tree changes since the last commit
    repo.write("sites/east/dc1.yaml", SITE.replace("ips: [192.168.10.70]", "ips: [192.168.10.72]"))
    assert main(["diff", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["base"].startswith("revision HEAD (") and doc["head"] == "working tree"
    got = {(c["kind"], c["name"]): c for c in doc["changes"]}
    assert got[("Service", "web/nginx")]["reason"] == "its address changes"
