"""A suppression comment silences nothing.

`# gitops-lb: disable=RULE` at the end of a line silences RULE's findings on that line; alone
on its line it silences the next line of YAML; `# gitops-lb: disable-file=RULE` silences RULE
anywhere in the file (docs/suppressions.md). A suppression of a rule that reports nothing
there is reported, so that comments do not outlive the mistake they were written for (and
keep silencing the next one): delete the comment, or move it to the line of the finding. A
rule id that gitops-lb does not know (a typo, a rule renamed) is reported the same way, with
the closest known id, and so is a comment that names no rule. Rules turned off with
`--disable` are not reported. `# gitops-lb: disable-file=unused-suppression` keeps a file's
suppressions from being reported.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule

ID = "unused-suppression"
# made by gitops_lb.suppress once every other rule has run, not by a check of its own
RULE = Rule(ID, Severity.WARNING, "input", __doc__ or "")
