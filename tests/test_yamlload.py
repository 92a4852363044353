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
