"""Chip and actor recognition, case by case, from the data files in tests/cases/."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from chipwatch.extractors import lexicon
from chipwatch.extractors.actors import find_actors
from chipwatch.extractors.chips import find_chips

CASES = Path(__file__).resolve().parent / "cases"


def cases(name: str) -> list[dict]:
    with open(CASES / name, "rb") as f:
        return tomllib.load(f)["case"]


@pytest.fixture(autouse=True)
def _shipped_only():
    lexicon.use_files([])


@pytest.mark.parametrize("case", cases("chips.toml"), ids=lambda c: c["text"][:40])
def test_chip_case(case: dict) -> None:
    text = case["text"]
    got = [{"chip": m.chip, "known": m.known, "start": m.start, "end": m.end,
            "span": text[m.start:m.end]} for m in find_chips(text)]
    assert got == case["chips"]


@pytest.mark.parametrize("case", cases("actors.toml"), ids=lambda c: c["text"][:40])
def test_actor_case(case: dict) -> None:
    text = case["text"]
    got = [{"actor": m.actor, "start": m.start, "end": m.end, "span": text[m.start:m.end],
            "subject_ok": m.subject_ok} for m in find_actors(text)]
    assert got == case["actors"]


def test_the_case_files_are_well_formed() -> None:
    chips, actors = cases("chips.toml"), cases("actors.toml")
    assert len(chips) >= 60 and sum(1 for c in chips if not c["chips"]) >= 20
    assert sum(1 for c in chips for m in c["chips"] if not m["known"]) >= 15
    for case in chips + actors:
        for m in case.get("chips", []) + case.get("actors", []):
            assert case["text"][m["start"]:m["end"]] == m["span"], case


def test_real_pages_invent_no_chips() -> None:
    """On the real pages and the dev articles, a chip the lexicon does not know is only
    found where the labels name it too (no chip from navigation, dates or prices)."""
    import json

    from chipwatch.extractors.text.article import parse_article
    from conftest import shared_path

    dev = shared_path("corpus", "dev")
    gold: dict[str, set[str]] = {}
    for line in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else {}
        if row.get("chip"):
            gold.setdefault(row["doc"], set()).add(row["chip"])
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(dev.glob("*.txt"))}
    for page in sorted(shared_path("corpus", "html").glob("*.html")):
        texts[page.name] = parse_article(page.read_bytes()).text or ""
    assert len(texts) > 30
    invented = [(name, m.chip) for name, text in texts.items() for m in find_chips(text)
                if not m.known and m.chip not in gold.get(name, set())]
    assert invented == []


def test_figures_next_to_unknown_chips_go_to_them() -> None:
    """A figure beside a part the lexicon does not know is kept, under that part's name,
    not dropped nor given to the chip named before it."""
    from chipwatch.extractors import extract_facts

    text = ("The H200 carries 141 GB of HBM3e memory. AMD's Instinct MI500 will carry 432 GB "
            "of HBM4 memory.\nHuawei's Ascend 970 is due in 2028 with 4 TB/s of bandwidth. "
            "Google's TPU v8 offers 4,614 TFLOPS of FP8 compute.\n")
    got = {(f.chip, f.metric, f.value) for f in extract_facts(text)}
    assert got == {("H200", "memory_capacity", 141.0), ("MI500", "memory_capacity", 432.0),
                   ("Ascend 970", "memory_bandwidth", 4.0), ("TPU v8", "compute_flops", 4614.0)}
