"""What `import` reads: manifests and live dumps, legacy ConfigMaps, Helm values files.

- Kubernetes objects (files, folders, standard input, `kind: List` dumps) are read as `lint`
  reads them (gitops_lb.manifests).
- A ConfigMap in MetalLB's namespace whose `config` key holds the pre-0.13 configuration, and
  a Helm values file (a YAML document that is no Kubernetes object) with `configInline`, at its
  top level or under `metallb:` as an umbrella chart nests it, are translated into today's
  objects (gitops_lb.importing.legacy), which join the others.
- The ACP MetalLB plugin (ClusterPluginInstance `metallb`, gitops_lb.reconcile.desired) says
  which platform installed MetalLB.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from gitops_lb.config import ClusterConfig, Item
from gitops_lb.diagnostics import Location
from gitops_lb.importing.core import (
    Comment,
    ImportOptions,
    ImportResult,
    Platform,
    Problem,
    import_config,
)
from gitops_lb.importing.legacy import LegacyProblem, Translation, shifted, translate
from gitops_lb.manifests import add_object, config_from_files
from gitops_lb.metallb import models as m
from gitops_lb.metallb.legacy import LEGACY_KEY, parse_legacy
from gitops_lb.metallb.versions import Version
from gitops_lb.reconcile.desired import plugin_declared
from gitops_lb.reconcile.state import PLUGIN_NAME
from gitops_lb.yamlload import Document, LoadedFile, LocMap, Pos, load_paths, load_text

VALUES_KEY = "configInline"
UMBRELLA_KEY = "metallb"  # a parent chart's values for its metallb dependency
NO_OBJECTS = "input-no-objects"


@dataclass(slots=True)
class Inputs:
    cfg: ClusterConfig
    files: list[LoadedFile]
    translations: list[Translation] = field(default_factory=list)
    plugin: Location | None = None  # where the ACP MetalLB plugin object is
    notes: list[str] = field(default_factory=list)

    def origins(self) -> dict[int, str]:
        """id() of each translated object's document -> what it was translated from."""
        return {id(obj): t.source for t in self.translations for obj in t.objects}


def values_config(data: LocMap) -> tuple[LocMap, str] | None:
    """The mapping holding `configInline` in a Helm values document, and its key path."""
    if "apiVersion" in data or "kind" in data:
        return None
    if VALUES_KEY in data:
        return data, VALUES_KEY
    nested = data.get(UMBRELLA_KEY)
    if isinstance(nested, LocMap) and VALUES_KEY in nested:
        return nested, f"{UMBRELLA_KEY}.{VALUES_KEY}"
    return None


def split_values(files: Iterable[LoadedFile]) -> tuple[list[LoadedFile], list[Document]]:
    """The files without their Helm values documents, and those documents."""
    kept: list[LoadedFile] = []
    values: list[Document] = []
    for lf in files:
        found = [d for d in lf.documents if isinstance(d.data, LocMap) and values_config(d.data)]
        if found:
            values.extend(found)
            taken = {id(d) for d in found}
            rest = [d for d in lf.documents if id(d) not in taken]
            kept.append(dataclasses.replace(lf, documents=rest))
        else:
            kept.append(lf)
    return kept, values


def text_origin(file: str, key_pos: Pos, value_pos: Pos, text: str) -> Pos:
    """(line, column) in `file` of the first line of the YAML string `text` and of its
    indentation.

    A multi-line string is a block scalar (`config: |`): its text starts on the next line,
    indented as the file shows (2 in from the key when the file cannot be read again, e.g.
    standard input). A one-line string starts where its value does.
    """
    if "\n" not in text.rstrip("\n"):
        return value_pos
    line, indent = value_pos[0] + 1, key_pos[1] + 2
    # the first line with text, counted in `text` and found in the file
    first = next((i for i, ln in enumerate(text.splitlines()) if ln.strip()), 0)
    if os.path.isfile(file):
        try:
            with open(file, encoding="utf-8", errors="replace") as fh:
                for i, raw in enumerate(fh, start=1):
                    if i >= line + first and raw.strip():
                        return i - first, len(raw) - len(raw.lstrip(" ")) + 1
        except OSError:
            pass
    return line, indent


def legacy_text(file: str, text: str, key_pos: Pos, value_pos: Pos) -> LocMap | None:
    """The legacy configuration written as YAML text, its positions made those of `file`."""
    if parse_legacy(text) is None:
        return None
    data = load_text(text, file).documents[0].data
    if not isinstance(data, LocMap):  # pragma: no cover - parse_legacy checked it
        return None
    line, column = text_origin(file, key_pos, value_pos, text)
    result: LocMap = shifted(data, line, column)
    return result


def legacy_configmaps(
    cfg: ClusterConfig, namespace: str, notes: list[str]
) -> Iterator[Translation]:
    """The pre-0.13 configurations of the ConfigMaps in MetalLB's namespace, translated. Not
    when the input holds MetalLB's objects too: MetalLB 0.13 and later read those and ignore
    the ConfigMap, so what it holds is stale (a leftover of the upgrade), not configuration."""
    current = cfg_objects(cfg)
    for item in cfg.configmaps:
        config = configmap_config(item)
        if config is None:
            continue
        where = f"ConfigMap {item.namespace or namespace}/{item.name}"
        if (item.namespace or namespace) != namespace:
            notes.append(
                f"{where} holds MetalLB's pre-0.13 configuration but is not in MetalLB's "
                f"namespace {namespace!r} (--namespace): not imported"
            )
        elif current:
            notes.append(
                f"{where} holds MetalLB's pre-0.13 configuration, which MetalLB 0.13.0 and "
                f"later ignore; not imported, since the input holds {current} (give the "
                "ConfigMap alone to translate it)"
            )
        else:
            yield translate(config, file=item.file, namespace=namespace, source=where)


def cfg_objects(cfg: ClusterConfig) -> str:
    """The MetalLB objects the input holds, e.g. "2 IPAddressPools, 1 BGPPeer" ("": none)."""
    groups = (
        ("IPAddressPool", cfg.pools),
        ("L2Advertisement", cfg.l2advs),
        ("BGPAdvertisement", cfg.bgpadvs),
        ("BGPPeer", cfg.peers),
        ("Community", cfg.communities),
        ("BFDProfile", cfg.bfdprofiles),
    )
    return ", ".join(f"{len(g)} {kind}{'s' * (len(g) != 1)}" for kind, g in groups if g)


def configmap_config(item: Item[m.ConfigMap]) -> LocMap | None:
    body = item.doc.get("data") if isinstance(item.doc, LocMap) else None
    if not isinstance(body, LocMap) or not isinstance(body.get(LEGACY_KEY), str):
        return None
    return legacy_text(item.file, body[LEGACY_KEY], body.kpos[LEGACY_KEY], body.vpos[LEGACY_KEY])


def values_translation(doc: Document, namespace: str) -> Translation:
    found = values_config(doc.data)
    assert found is not None
    holder, key = found
    source = f"{key} of the Helm values {'on standard input' if doc.file == '-' else doc.file}"
    value = holder[VALUES_KEY]
    config: LocMap | None = None
    if isinstance(value, LocMap):
        config = value
    elif isinstance(value, str):
        config = legacy_text(doc.file, value, holder.kpos[VALUES_KEY], holder.vpos[VALUES_KEY])
    if config is None:
        out = Translation(source, doc.file)
        where = Location(doc.file, *holder.vpos[VALUES_KEY])
        if value not in (None, "") and value != {}:
            out.problems.append(
                LegacyProblem(where, f"{key} is not MetalLB's pre-0.13 configuration")
            )
        return out
    return translate(config, file=doc.file, namespace=namespace, source=source)


def read_inputs(paths: Iterable[str], *, namespace: str, metallb_version: Version) -> Inputs:
    files = load_paths(paths)
    kept, values = split_values(files)
    cfg = config_from_files(kept, namespace=namespace, metallb_version=metallb_version)
    out = Inputs(cfg, files, plugin=plugin_declared(kept))
    out.translations = list(legacy_configmaps(cfg, namespace, out.notes))
    out.translations += [values_translation(doc, namespace) for doc in values]
    for t in out.translations:
        for obj in t.objects:
            add_object(cfg, t.file, obj, Location(t.file, *obj.pos))
    if values and NO_OBJECTS in cfg.intake:
        del cfg.intake[NO_OBJECTS]  # the values files were the input
    cfg.sort()
    return out


PLATFORM_COMMENT = {
    "acp": "ACP's MetalLB plugin installs MetalLB",
    "metallb": "compile installs MetalLB (its Helm chart)",
}


def import_paths(
    paths: Iterable[str], opts: ImportOptions, *, metallb_version: Version
) -> tuple[ImportResult, list[LoadedFile]]:
    """Read the inputs and import them; `opts.platform` None: the plugin object decides."""
    inputs = read_inputs(paths, namespace=opts.namespace, metallb_version=metallb_version)
    platform: Platform = "acp" if inputs.plugin is not None else "metallb"
    why = ""
    if opts.platform is None:
        if inputs.plugin is not None:
            why = f" (the plugin object is at {inputs.plugin})"
        opts = dataclasses.replace(opts, platform=platform)
    elif opts.platform == "metallb" and inputs.plugin is not None:
        inputs.notes.append(
            f"{inputs.plugin}: the input holds ACP's MetalLB plugin (ClusterPluginInstance "
            f"{PLUGIN_NAME}), but --platform metallb has compile install MetalLB as well: "
            "two MetalLB installations would fight over the addresses"
        )
    result = import_config(inputs.cfg, opts, inputs.origins())
    assert opts.platform is not None
    result.comments.append(
        Comment(("spec", "platform"), PLATFORM_COMMENT[opts.platform] + why, eol=True)
    )
    for t in inputs.translations:
        result.problems.extend(Problem(p.location, p.message) for p in t.problems)
        if t.objects:
            result.notes.append(translated_note(t))
    result.problems.sort(key=lambda p: (p.location.file, p.location.line, p.location.column))
    result.notes.extend(inputs.notes)
    if not cfg_objects(inputs.cfg):
        result.notes.append(
            "the input holds no MetalLB configuration (no IPAddressPool, advertisement, peer, "
            "community or BFD profile, nor a pre-0.13 configuration): the site spec has no pools"
        )
    return result, inputs.files


KINDS = (
    "IPAddressPool",
    "L2Advertisement",
    "BGPAdvertisement",
    "BGPPeer",
    "Community",
    "BFDProfile",
)


def translated_note(t: Translation) -> str:
    counts = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind in KINDS if (n := t.count(kind)))
    todo = (
        "drop configInline from the chart values"
        if VALUES_KEY in t.source
        else "delete the ConfigMap"
    )
    return (
        f"{t.source} holds MetalLB's pre-0.13 configuration, imported as {counts}; MetalLB "
        f"0.13.0 and later ignore it: {todo} once MetalLB runs the site spec's objects"
    )
