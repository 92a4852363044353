"""List the free address space of the site specs' networks: what no pool of any cluster, no
reservation, gateway, node address, Service address, cluster or service CIDR, and not the
network's own addresses (network, IPv4 broadcast, IPv6 subnet-router anycast) touches.

With --network NAME (or SITE/NAME) --size PREFIXLEN: the aligned blocks of that prefix length
wholly free, lowest first, at most --count of them (default 20) and how many there are in all.
Without --size: the free ranges. Without --network: every network. Every site spec given is
read, so that a pool of another site in the same network counts; site specs that cannot be
read (syntax, schema) stop it, with their errors printed, as in `status`.

Exit status: 0 (also when nothing is free), 2 usage error (an unknown network, a size that
does not fit it), 3 could not read the site specs.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from gitops_lb.cli import _options

if TYPE_CHECKING:
    from gitops_lb.free import FreeSpace

HELP = "list the free blocks of a network (no pool, reservation or node address in them)"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _prefixlen(text: str) -> int:
    try:
        value = int(text.removeprefix("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a prefix length: {text!r}") from None
    if not 0 <= value <= 128:
        raise argparse.ArgumentTypeError("a prefix length is from 0 to 128")
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    _options.add_site_paths(p)
    p.add_argument("--network", metavar="NAME", help="the network (NAME, or SITE/NAME)")
    p.add_argument(
        "--size",
        type=_prefixlen,
        metavar="PREFIXLEN",
        help="list the free aligned blocks of this prefix length (e.g. 28 or /28)",
    )
    p.add_argument(
        "--count",
        type=_positive,
        default=None,
        metavar="N",
        help="list at most N blocks per network (default 20; the total is always given)",
    )
    p.add_argument("--format", "-f", choices=("text", "json"), default="text", help="output format")


def run(args: argparse.Namespace) -> int:
    import json

    from gitops_lb import free
    from gitops_lb.cli.status_cmd import read_site_specs
    from gitops_lb.errors import UsageError
    from gitops_lb.report import json_header

    if args.count is not None and args.size is None:
        raise UsageError("--count limits the blocks of --size; give --size too")
    result, _, loaded = read_site_specs(args.paths, "free", clusters=False)
    if result is not None:
        return _options.emit(result, args.format, "free")
    sites = free.sites_of(loaded)
    known = free.networks(sites)
    chosen = [free.pick_network(known, args.network)] if args.network else known
    if args.size is not None:
        for network in chosen:
            free.check_size(network, args.size)
    count = args.count or free.DEFAULT_COUNT
    used = free.taken(sites)
    entries = [_entry(free.free_space(n, used), args.size, count) for n in chosen]
    if args.format == "json":
        body: dict[str, Any] = entries[0] if args.network else {"networks": entries}
        doc = {**json_header("free"), **body}
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        if not entries:
            sys.stdout.write("no network in the site specs\n")
        sys.stdout.write("".join(_text(e) for e in entries))
    return 0


def _entry(space: FreeSpace, size: int | None, count: int) -> dict[str, Any]:
    from gitops_lb import free

    net = space.network
    out: dict[str, Any] = {"network": net.id, "cidr": str(net.cidr)}
    if size is None:
        out["free"] = [free.range_text(r) for r in space.ranges()]
        out["addresses"] = space.addresses()
    else:
        out["prefixlen"] = size
        out["free"] = free.first_blocks(space, size, count)
        out["total"] = space.block_count(size)
    return out


def _text(entry: dict[str, Any]) -> str:
    head = f"{entry['network']} ({entry['cidr']})"
    if "prefixlen" not in entry:
        lines = [
            f"{head}: {_count(entry['addresses'], 'free address', 'es')} in "
            f"{_count(len(entry['free']), 'range')}\n"
        ]
        lines.extend(f"  {r}\n" for r in entry["free"])
        return "".join(lines)
    total, shown = entry["total"], len(entry["free"])
    lines = [f"{head}: {_count(total, 'free /' + str(entry['prefixlen']) + ' block')}\n"]
    lines.extend(f"  {b}\n" for b in entry["free"])
    if total > shown:
        lines.append(f"  ... and {total - shown} more (--count N lists more)\n")
    return "".join(lines)


def _count(n: int, word: str, plural: str = "s") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}{plural}"
