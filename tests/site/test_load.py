from gitops_lb.rules import run_rules
from gitops_lb.site.load import load_sites
from tests.site.helpers import line_of, load, site

GOOD = site("""\
clusters:
  - name: a
    server: https://a:6443
""")


def intake(text: str) -> list[tuple[str, int, str]]:
    sl = load(text)
    return [(d.rule, d.location.line, d.message) for d in run_rules(sl.intake)]


def test_valid_site_loads():
    sl = load(GOOD)
    assert [s.site.metadata.name for s in sl.sites] == ["dc1"]
    assert run_rules(sl.intake) == []


def test_unknown_field_is_located_with_did_you_mean():
    text = site("""\
clusters:
  - name: a
    server: https://a:6443
    pools:
      - name: web
        adresses: [10.0.0.0/24]
""")
    found = intake(text)
    rules = {r for r, _, _ in found}
    assert "schema-unknown-field" in rules
    unknown = next(f for f in found if f[0] == "schema-unknown-field")
    assert unknown[1] == line_of(text, "adresses")
    assert unknown[2] == (
        "unknown field 'adresses' in pool 'web' of cluster 'a'; did you mean 'addresses'?"
    )
    # one mistake, one finding: 'addresses' is not reported missing beside the key meant for it
    assert [f for f in found if f[0] == "schema-invalid"] == []
    # the site is checked without the pool, which is remembered as unreadable
    (ls,) = load(text).sites
    assert ls.site.spec.clusters[0].pools == [] and not ls.complete


def test_wrong_type_is_located():
    text = site("""\
clusters:
  - name: a
    server: https://a:6443
    pools:
      - name: web
        addresses: [10.0.0.0/24]
        autoAssign: "yes"
""")
    found = intake(text)
    assert [(r, ln) for r, ln, _ in found] == [("schema-invalid", line_of(text, "autoAssign"))]


def test_bad_site_name_and_kind():
    text = GOOD.replace("name: dc1", "name: DC_1").replace(
        "gitops-lb.io/v1alpha1", "gitops-lb.io/v2"
    )
    found = intake(text)
    assert ("schema-invalid", 1) in [(r, ln) for r, ln, _ in found]
    assert ("schema-invalid", 4) in [(r, ln) for r, ln, _ in found]


def test_yaml_syntax_error_is_a_finding():
    found = intake(GOOD + "  networks: [\n")
    assert [r for r, _, _ in found] == ["yaml-syntax"]


def test_kubernetes_object_is_not_a_site():
    text = GOOD + "---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: x}\n"
    found = intake(text)
    assert [(r, ln) for r, ln, _ in found] == [("site-not-a-site", line_of(text, "metallb.io"))]
    assert "gitops-lb lint" in found[0][2]


def test_other_yaml_is_ignored_but_no_site_at_all_is_reported():
    assert intake("repos: []\n---\n- a\n---\n" + GOOD) == []
    found = intake("repos: []\n")
    assert [(r, ln) for r, ln, _ in found] == [("site-not-a-site", 1)]
    assert "no site spec" in found[0][2]


def test_site_without_header_is_validated():
    text = GOOD.replace("apiVersion: gitops-lb.io/v1alpha1\nkind: Site\n", "")
    found = intake(text)
    assert sorted(m for _, _, m in found) == [
        "apiVersion of site 'dc1': required field is missing",
        "kind of site 'dc1': required field is missing",
    ]


def test_same_file_named_twice_is_read_once(tmp_path):
    f = tmp_path / "dc1.yaml"
    f.write_text(GOOD)
    sl = load_sites([str(tmp_path), str(f)])
    assert len(sl.files) == 1 and len(sl.sites) == 1


def test_missing_path_is_fatal(tmp_path):
    sl = load_sites([str(tmp_path / "nope")])
    assert sl.fatal
    assert [d.rule for d in run_rules(sl.intake)] == ["file-unreadable"]
