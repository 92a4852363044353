from tests.helpers import hits, lint

L2_IN = """\
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: l2
  namespace: {ns}
"""
L2_NONE = """\
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: l2
"""


def test_object_outside_metallb_namespace_is_not_read():
    text = L2_IN.format(ns="default")
    assert hits(text, "object-wrong-namespace") == [5]
    # MetalLB's webhook refuses it, so it is an error even under --metallb-compat
    assert [d.rule for d in lint(text, compat=True) if str(d.severity) == "error"] == [
        "object-wrong-namespace"
    ]


def test_object_in_metallb_namespace_is_fine():
    assert hits(L2_IN.format(ns="metallb-system"), "object-wrong-namespace") == []
    assert hits(L2_IN.format(ns="metallb-system"), "object-no-namespace") == []


def test_object_without_namespace_is_a_warning():
    diags = [d for d in lint(L2_NONE) if d.rule == "object-no-namespace"]
    assert [(d.location.line, str(d.severity)) for d in diags] == [(3, "warning")]
    assert hits(L2_NONE, "object-wrong-namespace") == []


def test_core_objects_may_live_anywhere():
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: web}\n"
    assert hits(text, "object-wrong-namespace") == []
