"""BGP community strings as MetalLB parses them.

Two colon-separated fields are a standard community (`65535:65282`, each field a decimal
0-65535); four fields starting with the marker `large` are a large community
(`large:64512:1:2`, each number a decimal 0-4294967295). Numbers are plain ASCII digits
(leading zeros allowed, no sign, no spaces, no underscores). Any other number of fields is a
format error: in a BGPAdvertisement such a string can only be an alias name. Before v0.13.10
MetalLB knows standard communities only (parse_community with such a version): anything but
two fields is a format error there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gitops_lb.metallb.versions import Version, first, has

STANDARD_MAX = 0xFFFF
LARGE_MAX = 0xFFFFFFFF
LARGE_MARKER = "large"


@dataclass(frozen=True, slots=True)
class Community:
    kind: Literal["standard", "large"]
    values: tuple[int, ...]

    def __str__(self) -> str:
        return ":".join(str(v) for v in self.values)


@dataclass(frozen=True, slots=True)
class CommunityError:
    message: str
    format_error: bool  # not 2 or 4 fields: could have been meant as an alias name


Parsed = Community | CommunityError


def _number(text: str, maximum: int) -> int | None:
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= maximum else None


def parse_community(text: str, version: Version | None = None) -> Parsed:
    """A Community, or why MetalLB (release `version`; None: any) refuses `text` as a
    community literal."""
    fields = text.split(":")
    if version is not None and not has(version, "large_communities") and len(fields) != 2:
        return CommunityError(
            f"{text!r} is not a standard community (<0-65535>:<0-65535>), the only kind "
            f"MetalLB {version} knows (large communities need "
            f"{first('large_communities')} or later)",
            True,
        )
    if len(fields) == 2:
        numbers = [_number(f, STANDARD_MAX) for f in fields]
        for field, number in zip(fields, numbers, strict=True):
            if number is None:
                return CommunityError(
                    f"{field!r} in {text!r} is not a number from 0 to {STANDARD_MAX}", False
                )
        return Community("standard", tuple(n for n in numbers if n is not None))
    if len(fields) == 4:
        if fields[0] != LARGE_MARKER:
            return CommunityError(
                f"{text!r} has 4 fields but does not start with {LARGE_MARKER!r} "
                f"(large communities are written {LARGE_MARKER}:<uint32>:<uint32>:<uint32>)",
                False,
            )
        large = [_number(f, LARGE_MAX) for f in fields[1:]]
        for field, number in zip(fields[1:], large, strict=True):
            if number is None:
                return CommunityError(
                    f"{field!r} in {text!r} is not a number from 0 to {LARGE_MAX}", False
                )
        return Community("large", tuple(n for n in large if n is not None))
    return CommunityError(
        f"{text!r} is neither a standard community (<0-65535>:<0-65535>) nor a large one "
        f"({LARGE_MARKER}:<uint32>:<uint32>:<uint32>)",
        True,
    )


def resolve(text: str, aliases: dict[str, str], version: Version | None = None) -> Parsed:
    """A BGPAdvertisement community string: an alias name first, else a literal."""
    if text in aliases:
        return parse_community(aliases[text], version)
    return parse_community(text, version)
