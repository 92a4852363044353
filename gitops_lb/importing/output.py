"""The imported site spec as YAML text, written with ruamel.yaml's round-trip writer.

ruamel.yaml is here for the comments: the written site spec explains itself where a reader
has to act (the repoURL marker, the reservations, the objects translated from a pre-0.13
configuration). Keys stay in the order they were built in, lists of plain values are written on
one line, everything else in block style, two-space indentation, LF line ends: the same data
gives the same bytes.

gitops-lb reads YAML as YAML 1.1 (PyYAML) while ruamel.yaml writes YAML 1.2, where fewer
plain scalars are booleans or numbers (`on`, `0o17`, `65535:65281`, a sexagesimal number in
1.1). A string that YAML 1.1 would read as something else is therefore written quoted.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from gitops_lb.importing.core import Comment

HEADER = (
    "Site spec written by `gitops-lb import`. Read the notes it printed on standard error,\n"
    "then check this file with `gitops-lb validate`."
)
WIDTH = 100
_STR_TAG = "tag:yaml.org,2002:str"
_resolver = yaml.resolver.Resolver()


def _read_as_string(text: str) -> bool:
    """Whether YAML 1.1 reads `text`, written plain, as the string it is."""
    tag: str = _resolver.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag == _STR_TAG


def _node(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _node(v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_node(v) for v in value)
        if value and all(not isinstance(v, dict | list) for v in value):
            seq.fa.set_flow_style()
        else:
            seq.fa.set_block_style()
        return seq
    if isinstance(value, str) and not _read_as_string(value):
        return SingleQuotedScalarString(value)
    return value


def _indent(path: tuple[str | int, ...]) -> int:
    """The column (0-based) of the key at the end of `path`: a nested mapping's keys are 2 in
    from their parent key, a list item's keys 4 in (its dash 2 in)."""
    column = 0
    for before, part in itertools.pairwise(path):
        if isinstance(part, int):
            column += 4
        elif isinstance(before, str):
            column += 2
    return column


def _attach(root: CommentedMap, comment: Comment) -> None:
    *parents, key = comment.path
    node: Any = root
    for part in parents:
        node = node[part]
    if comment.eol:
        node.yaml_add_eol_comment(comment.text, key)
    else:
        node.yaml_set_comment_before_after_key(
            key, before=comment.text, indent=_indent(comment.path)
        )


def to_yaml(doc: dict[str, Any], comments: Iterable[Comment] = ()) -> str:
    """Deterministic YAML of the site document `doc`, with `comments` in place."""
    root = _node(doc)
    root.yaml_set_start_comment(HEADER)
    for comment in comments:
        _attach(root, comment)
    writer = YAML(typ="rt", pure=True)
    writer.indent(mapping=2, sequence=4, offset=2)
    writer.width = WIDTH
    writer.allow_unicode = True
    writer.default_flow_style = False
    out = io.StringIO()
    writer.dump(root, out)
    return out.getvalue()
