"""`gitops-lb fix` on site specs: the findings `validate` makes there that have a fix are
corrected in the site spec itself, and `validate` marks them [fixable]."""

from __future__ import annotations

from pathlib import Path

from tests.fix._inputs import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sites" / "bgp-frr.yaml"
GOOD = EXAMPLE.read_text(encoding="utf-8")
TYPO = "          annotations:\n            metallb.io/allow-shared-ips: gateway   # with TLS\n"
SHARED = TYPO.replace("allow-shared-ips", "allow-shared-ip")


def broken() -> str:
    text = GOOD.replace(
        "          externalTrafficPolicy: Local\n",
        "          externalTrafficPolicy: Local\n" + TYPO,
        1,
    )
    return text.replace("communities: [no-advertise]", "communities: [no-advertise, no-advertise]")


def test_validate_marks_and_fix_corrects_a_site_spec(repo, capsys):
    """A site spec with a misspelt annotation key and a community listed twice: validate
    shows both as [fixable], `fix` corrects them in the site spec (comments and layout
    kept), and validate is clean again."""
    assert "externalTrafficPolicy: Local\n" in GOOD and "communities: [no-advertise]" in GOOD
    repo.write("sites/core.yaml", broken())
    status, out, _ = cli(capsys, "validate", "sites")
    assert status == 1
    assert out.count("[fixable]") == 2
    assert out.endswith("2 fixable with `gitops-lb fix`\n")
    status, _, err = cli(capsys, "fix", "sites")
    assert status == 0, err
    assert "fixed 2 findings in 1 file" in err
    fixed = (repo.root / "sites/core.yaml").read_text(encoding="utf-8")
    assert fixed == GOOD.replace(
        "          externalTrafficPolicy: Local\n",
        "          externalTrafficPolicy: Local\n" + SHARED,
        1,
    )
    assert cli(capsys, "validate", "sites")[:2] == (0, "no problems in 1 file\n")


def test_fix_diff_on_a_site_spec_changes_nothing(repo, capsys):
    """`fix --diff` on the same site spec prints both corrections and writes nothing."""
    repo.write("sites/core.yaml", broken())
    status, out, _ = cli(capsys, "fix", "--diff", "sites/core.yaml")
    assert status == 0
    assert "-            communities: [no-advertise, no-advertise]\n" in out
    assert "+            metallb.io/allow-shared-ip: gateway   # with TLS\n" in out
    assert (repo.root / "sites/core.yaml").read_text(encoding="utf-8") == broken()
