"""Chip gazetteer: canonical names, aliases, vendors, and no false chips."""

from __future__ import annotations

import pytest

from chipwatch.extractors.chips import canonical_chip, find_chips, vendor_of


def chips(text: str) -> list[str]:
    found = find_chips(text)
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
    return [m.chip for m in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nvidia's H200 beat the H20.", ["H200", "H20"]),
        ("H200 chips and the H200s shipped", ["H200", "H200"]),
        ("the 910C and Huawei's 910C", ["Ascend 910C", "Ascend 910C"]),
        ("Ascend 910B, Ascend910C and Ascend 920", ["Ascend 910B", "Ascend 910C", "Ascend 920"]),
        ("a Hopper-generation part", ["Hopper"]),
        ("Blackwell and the upcoming Rubin", ["Blackwell", "Rubin"]),
        ("one GB200 NVL72 rack holds GB200 boards", ["GB200 NVL72", "GB200"]),
        ("the RTX Pro 6000D and the B30A", ["RTX Pro 6000D", "B30A"]),
        ("AMD's MI308 and MI325X", ["MI308", "MI325X"]),
        ("Cambricon's Siyuan 590 (MLU590)", ["Siyuan 590", "Siyuan 590"]),
        ("Huawei's CloudMatrix 384 system", ["CloudMatrix 384"]),
        ("A100, A800, H100, H800 and L40S", ["A100", "A800", "H100", "H800", "L40S"]),
        ("NvidiaのH200はH20の約6倍", ["H200", "H20"]),
        ("Ascend 910B, 910C or 910D chips", ["Ascend 910B", "Ascend 910C", "Ascend 910D"]),
        ("最新のブラックウェルは対象外", ["Blackwell"]),
    ],
)
def test_finds_canonical_chips(text: str, expected: list[str]) -> None:
    assert chips(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2024 the index rose to 910 points.",
        "Robert Rubin said the policy was wrong.",
        "The H2O molecule and model X200 are not chips.",
        "Part numbers like H2000 or AH200 are not ours.",
        "The L2 cache is small.",
    ],
)
def test_no_false_chips(text: str) -> None:
    assert chips(text) == []


def test_h20_never_inside_h200() -> None:
    found = find_chips("H200 H200s H200-based H20")
    assert [m.chip for m in found] == ["H200", "H200", "H200", "H20"]


@pytest.mark.parametrize(
    "name, canon",
    [
        ("Nvidia's H200", "H200"), ("H200 chips", "H200"), ("the 910C", "Ascend 910C"),
        ("Huawei's 910C", "Ascend 910C"), ("Hopper-generation", "Hopper"),
        ("blackwell", "Blackwell"), ("ascend 910c", "Ascend 910C"), ("gb200 nvl72", "GB200 NVL72"),
        ("not a chip", None), ("", None),
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


def test_vendor_possessive_product_line() -> None:
    from chipwatch.extractors.chips import find_chips as _find
    assert [c.chip for c in _find("Hygon's DCU line is the workhorse.")] == ["Hygon DCU"]


def test_newer_accelerators_have_their_own_names() -> None:
    from chipwatch.extractors.chips import find_chips as _find
    text = "AMD's MI355X, the MI350X, the MI400, Trainium2, TPU v5p, Trillium, Ironwood and Gaudi 3"
    assert [c.chip for c in _find(text)] == [
        "MI355X", "MI350", "MI400", "Trainium2", "TPU v5p", "TPU v6", "TPU v7", "Gaudi 3"]
    assert vendor_of("TPU v7") == "Google" and vendor_of("Trainium2") == "Amazon"
