from gitops_lb.yamlload import LocMap, LocSeq, load_text, locate


def issues(text: str) -> list[tuple[str, int, int]]:
    return [(i.rule, i.location.line, i.location.column) for i in load_text(text, "f").issues]


def test_positions_of_keys_values_and_items():
    doc = load_text("a: 1\nb:\n  - x\n  - {c: d}\n", "f").documents[0].data
    assert isinstance(doc, LocMap) and isinstance(doc["b"], LocSeq)
    assert locate(doc, ("b", 1, "c")) == ((4, 9), True)
    assert locate(doc, ("b", 1, "c"), key=True) == ((4, 6), True)
    # a missing part: the deepest known ancestor, not exact
    assert locate(doc, ("b", 7)) == ((3, 3), False)


def test_scalars_follow_yaml_types():
    doc = load_text("i: 10\nf: 1.5\nb: true\nn: null\ns: '10'\nt: 2001-12-14\n", "f").documents[0]
    assert doc.data == {"i": 10, "f": 1.5, "b": True, "n": None, "s": "10", "t": "2001-12-14"}


def test_syntax_error_is_located():
    assert issues("a: [1, 2\nb: c\n") == [("yaml-syntax", 2, 2)]


def test_tab_indentation_is_a_syntax_error():
    assert [i[0] for i in issues("a:\n\tb: c\n")] == ["yaml-syntax"]


def test_duplicate_key_points_at_second():
    out = load_text("a: 1\nb: 2\na: 3\n", "f")
    assert [(i.rule, i.location.line) for i in out.issues] == [("yaml-duplicate-key", 3)]
    assert "line 1" in out.issues[0].message


def test_multiple_documents_and_empty_ones():
    out = load_text("---\na: 1\n---\n---\n- x\n", "f")
    assert [d.data for d in out.documents] == [{"a": 1}, None, ["x"]]
    assert [d.pos[0] for d in out.documents] == [2, 4, 5]


def test_anchors_aliases_and_merge_keys():
    out = load_text("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n", "f")
    assert out.documents[0].data["use"] == {"y": 3, "x": 1}


def test_alias_bomb_is_refused_quickly():
    bomb = 'a: &a ["l","l","l","l","l","l","l","l","l"]\n'
    prev = "a"
    for c in "bcdefghi":
        bomb += f"{c}: &{c} [" + ",".join(["*" + prev] * 9) + "]\n"
        prev = c
    assert [i[0] for i in issues(bomb)] == ["yaml-too-complex"]


def test_deep_nesting_is_refused():
    found = issues("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert found and found[0][0] in ("yaml-syntax", "yaml-too-complex")


def test_nul_byte():
    assert issues('a: "x"\nb: "\x00"\n') == [("yaml-syntax", 2, 5)]


# --- a tab that breaks the YAML is named -------------------------------------------------------


def test_a_tab_in_the_indentation_is_named_at_its_column():
    for text, where in (
        ("a:\n\tb: c\n", (2, 1)),
        ("a:\n  b: 1\n\tc: 2\n", (3, 1)),
        ("a:\n \t b: 1\n", (2, 2)),
        ("- a\n-\tb\n", (2, 2)),
        ("a: |\n\tx\n", (2, 1)),
    ):
        (issue,) = load_text(text, "f").issues
        assert (issue.location.line, issue.location.column) == where, text
        assert "tab" in issue.message and "YAML forbids tabs for indentation" in issue.message


def test_a_syntax_error_without_a_tab_does_not_blame_one():
    (issue,) = load_text("a: [1, 2\nb:\tc\n", "f").issues
    assert "tab" not in issue.message
    # a tab inside a value, where YAML allows it, is no error at all
    assert load_text("a:\tb\nc: 'x\ty'\n", "f").issues == []


# --- reading goes on after a broken document -----------------------------------------------------


def test_the_documents_after_a_syntax_error_are_read():
    text = "a: 1\n---\nb: [1,\n---\nc: 3\n---\nd: {\n---\ne: 5\n"
    lf = load_text(text, "f")
    assert [i.location.line for i in lf.issues] == [4, 8]  # each broken document, once
    assert [(d.data, d.pos) for d in lf.documents] == [
        ({"a": 1}, (1, 1)),
        ({"c": 3}, (5, 1)),
        ({"e": 5}, (9, 1)),
    ]
    assert [d.index for d in lf.documents] == [0, 2, 4]
    assert lf.lost == 2


def test_a_file_without_a_syntax_error_loses_nothing():
    lf = load_text("a: 1\n---\nb: [1]\n", "f")
    assert lf.lost == 0 and lf.issues == [] and len(lf.documents) == 2


# --- objects written without --- between them --------------------------------------------------

TWO = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: web}
spec: {addresses: [10.0.0.0/28]}

apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: web}
spec: {ipAddressPools: [web]}
"""


def test_two_objects_in_one_document_are_one_finding_and_two_objects():
    lf = load_text(TWO, "f")
    assert [(i.rule, i.location.line, i.location.column) for i in lf.issues] == [
        ("yaml-duplicate-key", 6, 1)
    ]
    assert "two objects in one document: add `---` before line 6" in lf.issues[0].message
    assert [d.data["kind"] for d in lf.documents] == ["IPAddressPool", "L2Advertisement"]
    assert [d.pos for d in lf.documents] == [(1, 1), (6, 1)]
    assert lf.documents[1].data.kpos["spec"] == (9, 1)


def test_three_objects_and_another_order_of_keys():
    third = "metadata: {name: x}\nkind: BGPPeer\napiVersion: metallb.io/v1beta2\n"
    lf = load_text(TWO + third, "f")
    assert [i.location.line for i in lf.issues] == [6, 10]
    assert [d.data["kind"] for d in lf.documents] == [
        "IPAddressPool",
        "L2Advertisement",
        "BGPPeer",
    ]


def test_a_repeated_key_that_starts_no_object_stays_a_duplicate_key():
    text = "apiVersion: v1\nkind: Service\nspec: {a: 1}\nspec: {b: 2}\n"
    lf = load_text(text, "f")
    assert [(i.location.line, i.message) for i in lf.issues] == [
        (4, "duplicate key 'spec' (first defined at line 3); Kubernetes keeps only the last value")
    ]
    assert len(lf.documents) == 1
