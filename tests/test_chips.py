"""Chip gazetteer: canonical names, aliases, vendors, and no false chips."""

from __future__ import annotations

import pytest

from chipwatch.extractors.chips import canonical_chip, find_chips, vendor_of


# Which chips a text names, and where: tests/cases/chips.toml, run by test_lexicon_cases.py.


@pytest.mark.parametrize(
    "name, canon",
    [
        ("Nvidia's H200", "H200"), ("H200 chips", "H200"), ("the 910C", "Ascend 910C"),
        ("Huawei's 910C", "Ascend 910C"), ("Hopper-generation", "Hopper"),
        ("blackwell", "Blackwell"), ("ascend 910c", "Ascend 910C"), ("gb200 nvl72", "GB200 NVL72"),
        ("not a chip", None), ("", None), ("Google's TPU v8", "TPU v8"),
        ("AMD Instinct MI500 chips", "MI500"), ("Nvidia 2025", None),
    ],
)
def test_canonical_chip(name: str, canon: str | None) -> None:
    assert canonical_chip(name) == canon


def test_vendor_of() -> None:
    assert vendor_of("H200") == "Nvidia"
    assert vendor_of("Ascend 910C") == "Huawei"
    assert vendor_of("MI308") == "AMD"
    assert vendor_of("Siyuan 590") == "Cambricon"
    assert vendor_of("nonsense") is None
    assert find_chips("Huawei's 910C")[0].vendor == "Huawei"


def test_newer_accelerators_have_their_vendors() -> None:
    assert vendor_of("TPU v7") == "Google" and vendor_of("Trainium2") == "Amazon"
