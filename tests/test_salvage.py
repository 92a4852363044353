"""gitops_lb.intake.salvage: what can still be read of an object that does not validate."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gitops_lb.config import Item, Unread
from gitops_lb.intake import field_kind, loc_copy, nested_home, salvage, unread
from gitops_lb.metallb import models as m
from gitops_lb.yamlload import LocMap, LocSeq, load_text
from tests.helpers import lint


def doc(text: str) -> LocMap:
    data = load_text(text, "f").documents[0].data
    assert isinstance(data, LocMap)
    return data


def errors(model: type[BaseModel], data: object) -> list[dict[str, object]]:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return list(exc.errors())  # type: ignore[arg-type]
    raise AssertionError("valid")


def test_an_unknown_field_is_dropped_and_the_field_meant_is_unsure():
    data = doc("spec:\n  addresses: [10.0.0.0/28]\n  autoAsign: false\n")
    data.update(apiVersion="metallb.io/v1beta1", kind="IPAddressPool")
    got = salvage(m.IPAddressPool, data, errors(m.IPAddressPool, data))
    assert got.model is not None and got.model.spec.autoAssign is True
    unsure, partial = got.gaps.paths(got.doc)
    assert unsure == {("spec", "autoAsign"), ("spec", "autoAssign")} and partial == set()
    assert "autoAsign" in data["spec"]  # the document read is left as it was


def test_an_invalid_list_entry_is_dropped_and_its_list_is_partial():
    data = doc("apiVersion: v1\nkind: X\nspec:\n  addresses: [10.0.0.0/28, 5, 10.1.0.0/28]\n")
    got = salvage(m.IPAddressPool, data, errors(m.IPAddressPool, data))
    assert got.model is not None
    assert got.model.spec.addresses == ["10.0.0.0/28", "10.1.0.0/28"]
    assert got.gaps.paths(got.doc) == (frozenset(), frozenset({("spec", "addresses")}))
    # positions follow the entries that are left
    assert got.doc["spec"]["addresses"].ipos[1] == (4, 31)
    unsure, partial = got.gaps.paths(got.doc)
    item = Item(got.model, "IPAddressPool", "", None, "f", got.doc, unsure=unsure, partial=partial)
    # a finding on an entry left is about what was written; one on the whole list is not
    assert item.as_written(("spec", "addresses", 0)) and not item.as_written(("spec", "addresses"))
    assert not item.sure(("spec", "addresses", 0)) and item.sure(("spec", "autoAssign"))


def test_an_emptied_list_is_unsure_as_well():
    # an empty list often means "all": what was left is not what was meant
    data = doc("apiVersion: v1\nkind: X\nspec:\n  nodeSelectors: [5]\n")
    got = salvage(m.L2Advertisement, data, errors(m.L2Advertisement, data))
    assert got.model is not None and got.model.spec.nodeSelectors == []
    unsure, partial = got.gaps.paths(got.doc)
    assert ("spec", "nodeSelectors") in unsure and ("spec", "nodeSelectors") in partial


def test_a_missing_required_field_drops_the_entry_holding_it():
    data = doc(
        "apiVersion: v1\nkind: X\nspec:\n  preferredNodeSelectors:\n"
        "    - {preference: {}}\n    - {weight: 5, preference: {}}\n"
    )
    got = salvage(m.L2Advertisement, data, errors(m.L2Advertisement, data))
    assert got.model is not None
    assert [p.weight for p in got.model.spec.preferredNodeSelectors] == [5]
    assert got.gaps.lost_from(got.doc["spec"]["preferredNodeSelectors"]) == [{"preference": {}}]


def test_nothing_can_be_read_without_an_entry_to_drop():
    data = doc("apiVersion: v1\nkind: X\nspec: {autoAssign: true}\n")  # no addresses
    assert salvage(m.IPAddressPool, data, errors(m.IPAddressPool, data)).model is None
    root = doc("apiVersion: [v1]\nkind: X\nspec: {addresses: []}\n")
    assert salvage(m.IPAddressPool, root, errors(m.IPAddressPool, root)).model is None


def test_a_stand_in_fills_a_required_field():
    data = doc("kind: X\nspec: {addresses: []}\n")
    got = salvage(
        m.IPAddressPool,
        data,
        errors(m.IPAddressPool, data),
        fill=lambda path: "v9" if path == ("apiVersion",) else None,
    )
    assert got.model is not None and got.model.apiVersion == "v9"
    assert got.gaps.paths(got.doc)[0] == {("apiVersion",)}


class Toy(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    a: int = 0
    b: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def b_needs_a(self) -> Toy:
        if self.b is None and self.a == 0:
            raise ValueError("b or a")
        return self


def test_errors_that_only_pruning_causes_end_the_salvage_unreported():
    data = doc("a: x\nb: -1\n")
    first = errors(Toy, data)
    assert {tuple(e["loc"]) for e in first} == {("a",), ("b",)}  # type: ignore[arg-type]
    # pruning both leaves an object the validator refuses as a whole: nothing can be read
    assert salvage(Toy, data, first).model is None


def test_null_fields_are_left_out_of_the_copy_like_the_api_server_does():
    data = doc("a: null\nb: [1, null]\nc: &x {d: 1}\ne: *x\n")
    copy = loc_copy(data, drop_nulls=True)
    assert copy == {"b": [1, None], "c": {"d": 1}, "e": {"d": 1}}
    assert copy["c"] is copy["e"]  # an alias stays one shared copy
    assert isinstance(copy["b"], LocSeq) and copy.kpos["c"] == (3, 1)
    plain = loc_copy({"x": [{"y": None}]}, drop_nulls=True)
    assert plain == {"x": [{}]} and type(plain) is dict


def test_what_a_path_is_in_a_model():
    assert field_kind(m.IPAddressPool, ("spec", "addresses")) == "required"
    assert field_kind(m.IPAddressPool, ("spec", "autoAssign")) == "optional"
    assert field_kind(m.IPAddressPool, ("spec", "addresses", 0)) == "entry"
    assert field_kind(m.IPAddressPool, ("metadata", "labels", "app")) == "entry"
    assert field_kind(m.IPAddressPool, ("spec", "serviceAllocation", "priority")) == "optional"
    assert field_kind(m.IPAddressPool, ("spec", "nope")) == "unknown"
    assert field_kind(m.IPAddressPool, ("spec", "autoAssign", 0)) == "unknown"
    assert field_kind(m.IPAddressPool, ("metadata", "labels", "app", "x")) == "unknown"


def test_a_key_written_a_level_too_far_out_has_a_home():
    assert nested_home(m.L2Advertisement, (), "namespace") == ["metadata"]
    assert nested_home(m.L2Advertisement, (), "nothing") == []
    text = "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata:\nname: x\n"
    (d,) = [d for d in lint(text) if d.rule == "schema-unknown-field"]
    assert d.message.endswith("; did you mean to indent it under 'metadata'?")
    # and what it left unread is not reported as missing (no object-no-namespace)
    assert [d.rule for d in lint(text + "namespace: metallb-system\n")] == [
        "schema-unknown-field",
        "schema-unknown-field",
    ]


def test_what_is_known_of_an_unreadable_object():
    adv = unread("L2Advertisement", "a", {"ipAddressPools": ["web", "db"]})
    assert adv == Unread("L2Advertisement", "a", pools=("web", "db"))
    assert unread("L2Advertisement", "a", {"ipAddressPools": ["web"], "ipAddressPoolSelectors": []})
    assert unread("BGPAdvertisement", "a", {}).pools is None  # all pools
    assert unread("IPAddressPool", "p", {"addresses": "10.0.0.0/28"}).addresses == ("10.0.0.0/28",)
    assert unread("IPAddressPool", "p", {"addresses": [5]}).addresses is None
    assert unread("IPAddressPool", "p", "spec").addresses is None
