"""Story vocabulary the policy reader uses: chip families and outlet names come from the
shared lexicon (extractors/lexicon/); the states that can be the subject of a measure stay
here until the actor table says which actors are states.
"""

from __future__ import annotations

from chipwatch.extractors.chips import family_members as chip_family_members
from chipwatch.extractors.outlets import outlet_names_pattern

OUTLETS = outlet_names_pattern()


def family_members(name: str | None) -> tuple[str, ...]:
    """The chips of an architecture family ("Hopper" -> H200, H20, ...); () for a chip.
    Architecture names used as descriptors ("Hopper-class accelerators") refer to the
    member of that family the article is about."""
    return chip_family_members(name) if name else ()


COUNTRIES = frozenset({"US", "China", "Japan", "Netherlands", "Taiwan", "South Korea", "EU",
                        "UAE", "Saudi Arabia", "Malaysia", "Singapore"})
