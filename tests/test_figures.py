"""Chip figures and comparisons from sentences written for these tests."""

from __future__ import annotations

import re

import pytest

from chipwatch.extractors.facts import KINDS, METRICS, Fact
from chipwatch.extractors.figures import NAME, VERSION, extract_figures


def run(text: str) -> list[Fact]:
    facts = extract_figures(text)
    for f in facts:
        assert text[f.char_start:f.char_end] == f.quote, f
        assert f.kind in KINDS and f.metric in METRICS
        assert f.extractor == NAME and f.extractor_version == VERSION
        assert f.quote == f.quote.strip() and f.quote
    return facts


def key(f: Fact) -> tuple:
    return (f.kind, f.chip, f.metric, None if f.value is None else round(f.value, 3), f.relative_to)


def test_pronoun_takes_previous_subject() -> None:
    text = ("The H200 sits below Blackwell but far above anything China can import. "
            "It is about six times more powerful than the H20.")
    facts = run(text)
    assert [key(f) for f in facts] == [("chip_comparison", "H200", "performance_ratio", 6, "H20")]
    assert facts[0].quote == "It is about six times more powerful than the H20"
    assert facts[0].approx is True


def test_definite_description_takes_article_topic() -> None:
    text = ("The H20 is the part Nvidia built for China. The H20 ships from Taiwan. "
            "Compared with the H20, the H100 is six times faster.\n\n"
            "The GPU has a 400W TDP and a 900 GB/s NVLink connection.")
    got = {key(f) for f in run(text)}
    assert ("chip_figure", "H20", "other", 400, None) in got
    assert ("chip_figure", "H20", "other", 900, None) in got
    assert ("chip_comparison", "H100", "performance_ratio", 6, "H20") in got


def test_fact_sheet_bullets_inherit_the_heading_chip() -> None:
    text = "Ascend 910B specifications\n- 64GB of HBM2e\n- 1.6TB/s of memory bandwidth\n- 310W\n\nOther news."
    got = {key(f) for f in run(text)}
    assert got == {("chip_figure", "Ascend 910B", "memory_capacity", 64, None),
                   ("chip_figure", "Ascend 910B", "memory_bandwidth", 1.6, None),
                   ("chip_figure", "Ascend 910B", "other", 310, None)}


def test_two_comparisons_share_one_than_and_get_short_quotes() -> None:
    text = "Blackwell parts are roughly 1.5 times faster at training and up to five times faster at inference than the H200."
    facts = run(text)
    assert [(f.value, f.chip, f.relative_to) for f in facts] == [(1.5, "Blackwell", "H200"),
                                                                  (5, "Blackwell", "H200")]
    assert facts[0].quote == "Blackwell parts are roughly 1.5 times faster at training"
    assert facts[1].quote == "up to five times faster at inference than the H200"
    assert facts[1].high == 5 and facts[0].approx


def test_quote_is_the_clause_not_the_sentence() -> None:
    text = "In comparison, the H100 carries 80GB of memory, a bandwidth of 3.35TB/s, and 989 TFLOPS at FP16."
    facts = run(text)
    quotes = {f.metric: f.quote for f in facts}
    assert quotes["memory_capacity"] == "the H100 carries 80GB of memory"
    assert quotes["memory_bandwidth"] == "a bandwidth of 3.35TB/s"
    assert quotes["compute_flops"] == "989 TFLOPS at FP16"
    assert {f.unit for f in facts if f.metric == "compute_flops"} == {"TFLOPS FP16"}
    assert all(f.chip == "H100" for f in facts)


def test_ranges_keep_bounds_and_vague_counts_give_nothing() -> None:
    facts = run("Nvidia shipped tens of thousands of H20 chips; each H20 sold for $10,000-$12,000.")
    assert [f.metric for f in facts] == ["price"]
    price = facts[0]
    assert (price.value, price.low, price.high, price.approx) == (10000, 10000, 12000, True)
    assert price.unit == "USD (range 10,000–12,000)"


@pytest.mark.parametrize("text", ["", " ", "\x00\x01\x02", "H200" * 5000, "\ud800", "倍" * 1000,
                                  "15,840 " * 2000, "It. The chip. " * 500, "\n" * 10000])
def test_never_raises(text: str) -> None:
    assert isinstance(run(text), list)


def test_non_string_input_is_empty() -> None:
    assert extract_figures(None) == []  # type: ignore[arg-type]


def test_performance_density_follows_the_writers_definition() -> None:
    plain = "Its rival, the H200, has a performance density that comes to about 19.5."
    assert {key(f) for f in run(plain)} == {("chip_figure", "H200", "performance_density", 19.5, None)}
    # CONVENTIONS section 4: a density is the rules' metric whatever the writer calls it
    defined = ("The H100 has a performance density (TFLOPs per die size) of 19.4, "
               "while the H20 has a performance density of only 2.9.")
    got = {key(f) for f in run(defined)}
    assert got == {("chip_figure", "H100", "performance_density", 19.4, None),
                   ("chip_figure", "H20", "performance_density", 2.9, None)}


def test_tpp_named_after_the_number() -> None:
    text = "Huawei's Ascend 910C scores roughly 12,032 on the total processing performance scale."
    facts = run(text)
    assert [key(f) for f in facts] == [("chip_figure", "Ascend 910C", "tpp", 12032, None)]
    assert facts[0].approx


def test_same_measure_carries_the_metric() -> None:
    text = ("The H200 has a TPP score of 15,840. Huawei's Ascend 910C, its closest rival, "
            "scores roughly 12,032 by the same measure.")
    got = {key(f) for f in run(text)}
    assert got == {("chip_figure", "H200", "tpp", 15840, None),
                   ("chip_figure", "Ascend 910C", "tpp", 12032, None)}


def test_anaphor_respects_the_named_maker() -> None:
    text = ("The H200 is about 30% more capable than the 910C. "
            "Huawei could make about 200,000 of the chips this year. "
            "Nvidia holds roughly 700,000 of the processors in stock.")
    got = {key(f) for f in run(text)}
    assert ("chip_figure", "Ascend 910C", "units", 200000, None) in got
    assert ("chip_figure", "H200", "units", 700000, None) in got


def test_quotes_stop_before_the_next_number() -> None:
    text = "Its rival, the H200, has a TPP score of 15,840, well above the 4,800 cap set in 2023."
    facts = run(text)
    assert [(f.metric, f.value) for f in facts] == [("tpp", 15840)]
    assert facts[0].quote == "H200, has a TPP score of 15,840"


def test_spec_lines_inherit_only_when_no_other_company_speaks() -> None:
    assert run("Nvidia's H20 ships in volume. Meanwhile, SMIC's 5nm yields are low.") == []
    facts = run("AMD's MI308 is licensed. Peak FP16 throughput is about 650 TFLOPS, AMD says.")
    assert [key(f) for f in facts] == [("chip_figure", "MI308", "compute_flops", 650, None)]
    assert facts[0].unit == "TFLOPS FP16"
    facts = run("Ascend 910B at a glance\n- built on SMIC's 7nm process\n- 310W power rating")
    assert {key(f) for f in facts} == {("chip_figure", "Ascend 910B", "other", 7, None),
                                      ("chip_figure", "Ascend 910B", "other", 310, None)}


def test_coordinated_chips_get_one_fact_each() -> None:
    text = "The H100 and H800 each carry 80GB of HBM3, while the A100, A800 and L40S are older."
    got = {key(f) for f in run(text)}
    assert got == {("chip_figure", "H100", "memory_capacity", 80, None),
                   ("chip_figure", "H800", "memory_capacity", 80, None)}


def test_respectively_pairs_numbers_with_chips() -> None:
    text = "The H20 and the H200 carry 96GB and 141GB of memory, respectively."
    got = {key(f) for f in run(text)}
    assert got == {("chip_figure", "H20", "memory_capacity", 96, None),
                   ("chip_figure", "H200", "memory_capacity", 141, None)}


def test_versus_number_shares_its_partners_unit() -> None:
    text = "Huawei's 910C delivers 800 teraflops of FP16 compute, versus 989 for the H100."
    got = {key(f) for f in run(text)}
    assert got == {("chip_figure", "Ascend 910C", "compute_flops", 800, None),
                   ("chip_figure", "H100", "compute_flops", 989, None)}
    assert run("The H200 has 141GB of memory versus 2024 for the year.")[1:] == []


def test_counts_of_unnamed_chips_keep_chip_null() -> None:
    # no chip is named: the count is a figure with chip null (it matches any chip)
    facts = run("Nvidia unveiled the H20 in 2023. It expects to ship 1 million chips this year.")
    assert [key(f) for f in facts] == [("chip_figure", None, "units", 1_000_000, None)]
    facts = run("We think the company will build roughly 350,000 AI chips in 2026.")
    assert [key(f) for f in facts] == [("chip_figure", None, "units", 350_000, None)]
    assert run("The plant employs 3,000 people and opened in 2021.") == []


def test_bullets_take_the_heading_part_and_system_make_up() -> None:
    text = ("Ascend 910C\n- Two 910B-class dies in one package\n- Memory: 128GB HBM3\n\n"
            "CloudMatrix 384\n- 384 Ascend 910C chips in one system\n"
            "- About 300 petaflops of BF16, roughly 1.7 times Nvidia's GB200 NVL72\n")
    got = {key(f) for f in run(text)}
    assert got == {("chip_figure", "Ascend 910C", "other", 2, None),
                   ("chip_figure", "Ascend 910C", "memory_capacity", 128, None),
                   ("chip_figure", "CloudMatrix 384", "other", 384, None),
                   ("chip_figure", "CloudMatrix 384", "compute_flops", 300_000, None),
                   ("chip_comparison", "CloudMatrix 384", "performance_ratio", 1.7, "GB200 NVL72")}


def test_flattened_tables_read_cell_by_cell() -> None:
    text = ("Key numbers\n"
            "Part | HBM | Bandwidth | FP8 | TPP\n"
            "H20 | 96 GB | 4.0 TB/s | 296 TFLOPS | 2,368\n"
            "H200 | 141 GB | 4.8 TB/s | 1,979 TFLOPS | 15,840\n"
            "Ascend 910C | 128 GB | 3.2 TB/s | n/a | 12,032\n")
    facts = run(text)
    got = {key(f) for f in facts}
    assert ("chip_figure", "H20", "tpp", 2368, None) in got
    assert ("chip_figure", "H200", "memory_bandwidth", 4.8, None) in got
    assert ("chip_figure", "Ascend 910C", "tpp", 12032, None) in got
    assert len(got) == 11  # four cells for each Nvidia part, three for the 910C
    assert {f.unit for f in facts if f.metric == "compute_flops"} == {"TFLOPS FP8"}
    # chips as columns
    text = "Spec\tH20\tH100\nMemory (GB)\t96\t80\nTDP\t400W\t700W\n"
    got = {key(f) for f in run(text)}
    assert got == {("chip_figure", "H20", "memory_capacity", 96, None),
                   ("chip_figure", "H100", "memory_capacity", 80, None),
                   ("chip_figure", "H20", "other", 400, None),
                   ("chip_figure", "H100", "other", 700, None)}


def test_performance_density_defined_per_die_area_is_the_rules_metric() -> None:
    text = ("We use performance density, which we define as TPP divided by die area. "
            "The H20 scores about 2.9 and the H200 about 19.4.")
    facts = run(text)
    assert {(f.chip, f.metric, f.value) for f in facts} == {("H20", "performance_density", 2.9),
                                                             ("H200", "performance_density", 19.4)}
    facts = run("The H200's performance density is about 19.4.")
    assert [(f.chip, f.metric, f.value) for f in facts] == [("H200", "performance_density", 19.4)]


def test_headline_figure_repeated_in_the_body_counts_once() -> None:
    text = ("Nvidia books 300,000 H20 chips at TSMC\n\n"
            "Nvidia has ordered 300,000 H20 chips from TSMC, sources said.")
    facts = run(text)
    assert [(f.metric, f.value) for f in facts] == [("units", 300_000)]
    assert facts[0].char_start > text.index("\n")


def test_short_forms_and_a_clause_initial_it() -> None:
    text = "Huawei showed the Ascend 950 and the Ascend 960. The 960 offers twice the compute of the 950."
    got = {key(f) for f in run(text)}
    assert got == {("chip_comparison", "Ascend 960", "performance_ratio", 2, "Ascend 950")}
    text = "The H200 changes the math. At about $30,000 per chip, it offers 141GB of memory."
    got = {key(f) for f in run(text)}
    assert got == {("chip_figure", "H200", "price", 30000, None),
                   ("chip_figure", "H200", "memory_capacity", 141, None)}


# ---- wordings met in news: each test on sentences written for it


def _triples(text: str) -> set[tuple]:
    return {(f.kind, f.chip, f.metric, f.value, f.relative_to) for f in extract_figures(text)}


def test_fact_sheet_tpp_label_with_abbreviation_and_colon() -> None:
    text = "MI308\n* Total processing performance (TPP): about 3,100\n* TPP: roughly 3,100, under the rules' cap\n"
    got = _triples(text)
    assert ("chip_figure", "MI308", "tpp", 3100, None) in got


def test_year_after_month_is_not_a_tpp() -> None:
    got = _triples("The L20's TPP of about 1,900 kept it legal until March 2025, officials said.")
    assert ("chip_figure", "L20", "tpp", 1900, None) in got
    assert not any(v == 2025 for _, _, _, v, _ in got)


def test_system_anaphor_and_carried_relative() -> None:
    text = ("The CloudMatrix 384 delivers 300 petaflops, 1.7 times that of the GB200 NVL72. "
            "The system holds 49.2 terabytes of memory, 3.6 times that of its rival, and its bandwidth "
            "reaches 1,229 TB/s, 2.1 times as much.")
    got = _triples(text)
    assert ("chip_figure", "CloudMatrix 384", "memory_capacity", 49200, None) in got
    assert ("chip_comparison", "CloudMatrix 384", "memory_capacity", 3.6, "GB200 NVL72") in got
    assert ("chip_comparison", "CloudMatrix 384", "memory_bandwidth", 2.1, "GB200 NVL72") in got
    assert ("chip_figure", "CloudMatrix 384", "memory_bandwidth", 1229, None) in got


def test_computing_power_ratio_is_performance() -> None:
    got = _triples("Huawei's CloudMatrix 384 offers 300 petaflops of computing power, nearly 1.7 times that of the GB200 NVL72.")
    assert ("chip_comparison", "CloudMatrix 384", "performance_ratio", 1.7, "GB200 NVL72") in got


def test_memory_stack_sizes_are_not_chip_figures() -> None:
    text = ("The B200 carries 192GB of HBM3e, built from 8-high stacks giving 24GB per stack. "
            "Newer 12-high stacks hold 36GB each and go into the B300.")
    got = _triples(text)
    assert ("chip_figure", "B200", "memory_capacity", 192, None) in got
    assert not any(v in (24, 36) for _, _, _, v, _ in got)


def test_predecessor_figure_goes_to_the_other_chip() -> None:
    got = _triples("The B200 is far faster than the H100, and its 192GB of memory dwarfs the 80GB on its predecessor.")
    assert ("chip_figure", "H100", "memory_capacity", 80, None) in got
    assert ("chip_figure", "B200", "memory_capacity", 80, None) not in got


def test_second_ratio_keeps_the_first_pair() -> None:
    got = _triples("The MI325X carries 256GB, giving it 1.8 times the memory of Nvidia's H200 and 25% more bandwidth.")
    assert ("chip_comparison", "MI325X", "memory_capacity", 1.8, "H200") in got
    assert ("chip_comparison", "MI325X", "memory_bandwidth", 1.25, "H200") in got
    assert not any(k == "chip_comparison" and c == "H200" for k, c, *_ in got)


def test_fronted_with_phrase_then_it() -> None:
    text = "How good is the L20?\nWith 48 gigabytes of memory, it beats older cards on inference."
    assert ("chip_figure", "L20", "memory_capacity", 48, None) in _triples(text)


def test_trails_by_a_third_turns_round() -> None:
    text = ("The Ascend 910B is Huawei's workhorse. At about 1.6TB/s, it trails the A100's 2.0TB/s by a fifth.")
    got = _triples(text)
    assert ("chip_figure", "Ascend 910B", "memory_bandwidth", 1.6, None) in got
    assert ("chip_comparison", "A100", "memory_bandwidth", 1.25, "Ascend 910B") in got


def test_japanese_ratio_object_does_not_own_the_figure() -> None:
    text = "H200はHopper世代の製品だ。性能指標TPPは1万5840で、H20の約6倍となる。"
    got = _triples(text)
    assert ("chip_figure", "H200", "tpp", 15840, None) in got
    assert ("chip_figure", "H20", "tpp", 15840, None) not in got


def test_rental_rates_are_not_prices_and_trading_is() -> None:
    got = _triples("An H20 module now changes hands for around 90,000 yuan. Rental rates for H100 servers fell "
                   "to about 8 yuan per GPU-hour.")
    assert ("chip_figure", "H20", "price", 90000, None) in got
    assert not any(v == 8 for _, _, _, v, _ in got)


def test_make_it_and_that_is_take_the_previous_subject() -> None:
    got = _triples("The B30A would carry 144GB of memory. That would make it about 12 times as powerful as the H20.")
    assert ("chip_comparison", "B30A", "performance_ratio", 12, "H20") in got
    got = _triples("The MTT S4000 offers around 100 teraflops of FP16. That is roughly a third of the A100's throughput.")
    assert any(k == "chip_comparison" and (c, m, r) == ("A100", "performance_ratio", "MTT S4000")
               and v == pytest.approx(3, rel=0.01) for k, c, m, v, r in got), got


def test_adverbial_then_it_reached() -> None:
    got = _triples("Biren's BR100 was ambitious. On paper it reached 1,024 teraflops of BF16, more than three times the A100.")
    assert ("chip_figure", "BR100", "compute_flops", 1024, None) in got
    assert ("chip_comparison", "BR100", "performance_ratio", 3, "A100") in got


def test_price_targets_and_net_takes_are_not_chip_prices() -> None:
    got = _triples("Nvidia will sell each H200 for about $27,000. Its net take per chip falls to around $20,000. "
                   "We keep our price target at $240.")
    assert ("chip_figure", "H200", "price", 27000, None) in got
    assert not any(v in (20000, 240) for _, _, _, v, _ in got)


def test_described_maker_part_takes_that_makers_chip() -> None:
    got = _triples("Moore Threads' MTT S4000 is slow. The H100 is far ahead of it. "
                   "Nvidia's chip has roughly three times the MTT S4000's memory bandwidth.")
    assert ("chip_comparison", "H100", "memory_bandwidth", 3, "MTT S4000") in got
    got = _triples("Our model puts the Ascend 910B well short. Huawei's latest part trails the B200 by about two years.")
    assert ("chip_comparison", "B200", "lag_months", 24, "Ascend 910B") in got


def test_bare_partner_figure_and_tail_margin() -> None:
    got = _triples("The Siyuan 590 reaches 314 teraflops of FP16. It offers nearly three times the L20's 119.")
    assert ("chip_figure", "L20", "compute_flops", 119, None) in got
    got = _triples("The MI308 is rated at 600 teraflops. The H100 manages 989 teraflops, about a half more.")
    assert ("chip_comparison", "H100", "performance_ratio", 1.5, "MI308") in got
    # a bare number after a TPP score stays a score, not teraflops
    got = _triples("The H20 has a TPP of 2,368 and 148 teraflops of FP16. Nobody expects the H20's 2,368 to grow.")
    assert not any(m == "compute_flops" and v == 2368 for _, _, m, v, _ in got)


def test_stacks_in_words_fractions_of_it_and_its_partner() -> None:
    got = _triples("The MI325X surrounds its compute dies with eight stacks of HBM3E.")
    assert ("chip_figure", "MI325X", "other", 8, None) in got
    got = _triples("The H20 offers 148 teraflops against 989 for the H100, or roughly one-seventh of it.")
    assert any(k == "chip_comparison" and (c, r) == ("H100", "H20") and v == pytest.approx(7, rel=0.01)
               for k, c, _, v, r in got), got
    got = _triples("The MI308 has little compute; the MI355X offers roughly eight times its throughput.")
    assert ("chip_comparison", "MI355X", "performance_ratio", 8, "MI308") in got
    got = _triples("The MI355X carries 288GB, half as much again as the B200's 192GB, and moves data at "
                   "8TB/s, the same as Nvidia's part.")
    assert ("chip_figure", "MI355X", "memory_capacity", 288, None) in got
    assert ("chip_comparison", "MI355X", "memory_capacity", 1.5, "B200") in got


def test_die_counts_written_in_words() -> None:
    got = _triples("The cut-down part uses a single die where the flagship B300 uses two.")
    assert ("chip_figure", "B300", "other", 2, None) in got
    got = _triples("The B30A, a single-die design, would carry 144GB.")
    assert ("chip_figure", "B30A", "other", 1, None) in got
    # a lone number word with no die nearby stays unread
    assert _triples("The B300 uses two, the B200 one.") == set()


# ---- whole articles of the labeled sets: what must not become a figure

def _heldout_text(name: str, doc: str) -> str:
    from conftest import REPO, extract_eval

    return extract_eval().load_set(REPO / "tests" / "data" / name).texts[doc]


def test_earnings_story_gives_no_chip_figures() -> None:
    # k12 is full of company numbers (revenue, charges, buybacks, share moves)
    assert extract_figures(_heldout_text("heldout2", "k12-wire-earnings-no-figures.txt")) == []


def test_company_and_rule_numbers_are_not_chip_figures() -> None:
    earnings = extract_figures(_heldout_text("heldout4", "p03-earnings-call-blackwell.txt"))
    assert earnings  # the call also gives real specs
    for fact in earnings:
        assert not re.search(r"billion|margin|revenue|shares", fact.quote), fact.quote
    decoys = extract_figures(_heldout_text("heldout4", "p11-decoys-rule-numbers.txt"))
    assert [(x.chip, x.metric, x.value) for x in decoys] == [("H20", "tpp", 2368)]


def test_mi355x_and_cloud_chips_keep_their_own_names() -> None:
    amd = {x.chip for x in extract_figures(_heldout_text("heldout8", "r02-techpress-mi355x-b200.txt"))}
    assert "MI355X" in amd and "MI350" not in amd
    cloud = {x.chip for x in extract_figures(_heldout_text("heldout8", "r05-wire-gaudi-trainium.txt"))}
    assert {"Trainium2", "TPU v7", "Gaudi 3"} <= cloud


# ---- lists, appositives, makers' parts and Japanese baselines

def test_precision_word_before_the_flops_unit() -> None:
    got = _triples("Nvidia's H100 peaks at 990 dense FP8 teraflops, the company says.")
    assert ("chip_figure", "H100", "compute_flops", 990, None) in got
    from chipwatch.extractors.language.numbers import find_quantities

    assert [(q.value, q.unit) for q in find_quantities("about 450 sparse INT8 TOPS")] == [(450, "TOPS INT8")]


def test_hedged_lag_and_lag_noun_with_at() -> None:
    got = _triples("The MI250 trails the H200 by perhaps two years, one analyst said.")
    assert ("chip_comparison", "H200", "lag_months", 24, "MI250") in got
    got = _triples("Analysts put Huawei's chip lag behind Nvidia at roughly three years.")
    assert ("chip_figure", None, "lag_months", 36, None) in got


def test_fraction_of_the_time_another_chip_needs() -> None:
    got = _triples("A rack of B200s finishes the job in roughly a third of the time the same count of H100s would take.")
    assert ("chip_comparison", "B200", "performance_ratio", 3.0, "H100") in {
        (k, c, m, round(v, 3), r) for k, c, m, v, r in got}
    assert ("chip_comparison", "B200", "performance_ratio", 2.0, "H100") in _triples(
        "The B200 does the work in half the time the H100 needs.")
    assert _triples("Nvidia spends a third of the time on software, the H20 team says it would need more.") == set()


def test_ratio_against_that_is_held_by_the_last_figures_chip() -> None:
    got = _triples("We see the B300 at about 1.5 times the B200's throughput, and Rubin maybe double that again.")
    assert ("chip_comparison", "Rubin", "performance_ratio", 2.0, "B300") in got
    got = _triples("The MI300X carries 192GB, and the MI355X roughly 1.5 times that.")
    assert ("chip_comparison", "MI355X", "memory_capacity", 1.5, "MI300X") in got


def test_rule_that_caps_exports_at_a_tpp_is_no_chip_figure() -> None:
    got = _triples("Rules that limit exports at a TPP of 4,800 no longer apply to the H200.")
    assert not any(m == "tpp" for _, _, m, _, _ in got)


def test_number_in_a_relative_clause_belongs_to_the_chip_it_follows() -> None:
    got = _triples("The 910C is built from two Ascend 910B dies, which were made on a 7nm process.")
    assert ("chip_figure", "Ascend 910B", "other", 7.0, None) in got
    assert not any(c == "Ascend 910C" and v == 7.0 for _, c, _, v, _ in got)
    got = _triples("The B200 is faster than the H100, which carries 80GB of memory.")
    assert ("chip_figure", "H100", "memory_capacity", 80.0, None) in got


def test_chip_inside_an_appositive_descriptor_is_not_the_owner() -> None:
    got = _triples("AMD's entry, the MI308, a trimmed MI300X with 192GB of memory, sold slowly.")
    assert ("chip_figure", "MI308", "memory_capacity", 192.0, None) in got
    assert not any(c == "MI300X" for _, c, _, _, _ in got)


def test_respectively_list_pairs_chips_and_numbers_in_order() -> None:
    got = _triples("The B100, B200 and B300 deliver 6, 8 and 8 TB/s of bandwidth respectively.")
    assert ("chip_figure", "B100", "memory_bandwidth", 6.0, None) in got
    assert ("chip_figure", "B200", "memory_bandwidth", 8.0, None) in got
    assert ("chip_figure", "B300", "memory_bandwidth", 8.0, None) in got
    assert not any(c == "B100" and v == 8.0 for _, c, _, v, _ in got)
    got = _triples("Dealers ask about $9,000, $20,000 and $35,000 for the H20, H800 and H200, respectively.")
    assert {(c, v) for k, c, m, v, _ in got if m == "price"} == {
        ("H20", 9000.0), ("H800", 20000.0), ("H200", 35000.0)}
    got = _triples("The A100 and H20 ship with 40GB and 96GB respectively, and cost more than most.")
    assert ("chip_figure", "A100", "memory_capacity", 40.0, None) in got
    assert ("chip_figure", "H20", "memory_capacity", 96.0, None) in got
    assert not any(c == "A100" and v == 96.0 for _, c, _, v, _ in got)


def test_parallel_list_without_respectively_pairs_when_counts_match() -> None:
    got = _triples("The H800 and H200 cost $20,000 and $35,000 in Shenzhen.")
    assert {(c, v) for _, c, m, v, _ in got if m == "price"} == {("H800", 20000.0), ("H200", 35000.0)}
    # "each" distributes the figure over the chips: no pairing
    got = _triples("The H100 and H800 each carry 80GB of memory.")
    assert {(c, v) for _, c, m, v, _ in got if m == "memory_capacity"} == {("H100", 80.0), ("H800", 80.0)}


def test_list_quote_is_the_whole_list() -> None:
    text = "The H100, H800 and H20 offer 3.35, 3.35 and 4.0 TB/s respectively, while prices vary."
    quotes = {f.quote for f in extract_figures(text) if f.metric == "memory_bandwidth"}
    assert quotes == {"The H100, H800 and H20 offer 3.35, 3.35 and 4.0 TB/s respectively"}


def test_vendor_part_compared_with_chips_of_the_previous_sentence() -> None:
    got = _triples("Take the MI300X and the Ascend 910C. The AMD part is roughly two times faster at inference.")
    assert ("chip_comparison", "MI300X", "performance_ratio", 2.0, "Ascend 910C") in got


def test_share_of_a_named_chip_held_by_the_part_just_discussed() -> None:
    got = _triples("The 910C pairs two dies on one package. Reviewers rate the newer part at "
                   "roughly 50% of the H200's on training.")
    assert ("chip_comparison", "H200", "performance_ratio", 2.0, "Ascend 910C") in got


def test_japanese_baseline_marked_with_to_kuraberu() -> None:
    got = _triples("Ascend 910Bが出荷された。MI300Xと比べると、910Bの処理性能は約2倍だという。")
    assert ("chip_comparison", "Ascend 910B", "performance_ratio", 2.0, "MI300X") in got
    assert not any(t[1] == "MI300X" for t in got)


def test_half_as_much_power_as_a_modified_chip() -> None:
    got = _triples("The MI308 draws half as much power as the full-size MI300X in most tests.")
    assert ("chip_comparison", "MI300X", "other", 2.0, "MI308") in got


def test_bare_scores_after_the_metric_named_once() -> None:
    got = _triples("Measured by TPP, the H800 scores roughly 15,800, against 4,700 for the MI308 and "
                   "about 2,300 for the Ascend 910B.")
    tpp = {(c, v) for k, c, m, v, _ in got if m == "tpp"}
    assert tpp == {("H800", 15800.0), ("MI308", 4700.0), ("Ascend 910B", 2300.0)}


def test_bare_number_without_a_named_metric_is_not_a_score() -> None:
    got = _triples("The H800 shipped about 12,000 boxes, against 4,700 for the MI308.")
    assert not any(m == "tpp" for _, _, m, _, _ in got)


def test_second_lag_in_one_sentence_keeps_the_two_chips() -> None:
    got = _triples("The MI308 is about one year behind the H800 in training and nearly two years in memory.")
    assert ("chip_comparison", "H800", "lag_months", 12.0, "MI308") in got
    assert ("chip_comparison", "H800", "lag_months", 24.0, "MI308") in got


def test_later_time_span_after_a_lag_is_not_a_second_lag() -> None:
    got = _triples("The MI308 is about one year behind the H800 in training, and it will ship in two years.")
    assert not any(v == 24.0 for _, _, _, v, _ in got)


def test_chipless_unit_count_a_buyer_receives() -> None:
    got = _triples("Under the contract the lab expects to receive up to 300,000 chips a year, insiders said.")
    assert ("chip_figure", None, "units", 300000.0, None) in got


def test_score_under_export_rules_and_rating_after_tpp_are_tpp() -> None:
    text = ("The H200 is a data-centre part. Each one carries 141GB of memory, and its "
            "performance score under US export rules is 15,840. The Ascend 910C has a rating "
            "of about 12,032.")
    got = {(f.chip, f.metric, f.value) for f in extract_figures(text)}
    assert ("H200", "memory_capacity", 141.0) in got
    assert ("H200", "tpp", 15840.0) in got
    assert ("Ascend 910C", "tpp", 12032.0) in got


def test_tpp_phrase_with_us_abbreviation_keeps_metric() -> None:
    text = "The H200's total processing performance, the score U.S. rules use to rank chips, is 15,840."
    got = {(f.chip, f.metric, f.value) for f in extract_figures(text)}
    assert ("H200", "tpp", 15840.0) in got


def test_which_clause_after_appositive_belongs_to_the_named_chip() -> None:
    text = ("Nvidia now sells the H200. That is well above the H20, the cut-down part Nvidia "
            "designed for China, which scores under 2,400 on TPP.")
    got = {(f.chip, f.metric, f.value) for f in extract_figures(text)}
    assert ("H20", "tpp", 2400.0) in got
    assert ("H200", "tpp", 2400.0) not in got


def test_japanese_fraction_with_just_under_suffix_is_a_ratio() -> None:
    text = "「Ascend 910C」のTPPは約1万2000で、H200の8割弱にとどまる。"
    got = {(f.chip, f.metric, f.value, f.relative_to) for f in extract_figures(text)}
    assert ("H200", "performance_ratio", 1.25, "Ascend 910C") in got


def test_japanese_half_of_a_bracketed_chip_names_the_stronger_chip() -> None:
    text = "米社は「B30A」の輸出許可も望むが、性能は上位品「B300」の半分程度とされる。"
    got = {(f.chip, f.metric, f.value, f.relative_to) for f in extract_figures(text)}
    assert ("B300", "performance_ratio", 2.0, "B30A") in got
    text = "B30Aの性能は「B300」の約3倍とされる。"
    got = {(f.chip, f.value, f.relative_to) for f in extract_figures(text)}
    assert ("B30A", 3.0, "B300") in got


def test_maker_part_described_after_two_named_chips_is_that_makers_chip() -> None:
    text = ("The H20 scores about 2,400 on TPP against the MI308's 3,000, so the AMD chip "
            "is roughly 25% stronger on that measure.")
    got = {(f.chip, f.relative_to, f.value) for f in extract_figures(text) if f.kind == "chip_comparison"}
    assert got == {("MI308", "H20", 1.25)}


def test_japanese_figure_without_a_chip_before_it_belongs_to_the_previous_topic() -> None:
    text = ("米社の新型半導体「H200」は、141GBのメモリーを載せる。規制の指標となる総合処理性能(TPP)は"
            "1万5840で、中国向けの「H20」の約6倍だ。")
    got = {(f.chip, f.metric, f.value) for f in extract_figures(text) if f.kind == "chip_figure"}
    assert ("H200", "tpp", 15840.0) in got
    assert ("H20", "tpp", 15840.0) not in got


def test_japanese_chips_linked_into_a_system_are_the_systems_make_up() -> None:
    text = "同社は、半導体「Ascend 910C」を384個つないだ大型機「CloudMatrix 384」を売り込む。"
    got = {(f.chip, f.metric, f.value, f.unit) for f in extract_figures(text)}
    assert got == {("CloudMatrix 384", "other", 384.0, "accelerators")}  # CONVENTIONS 4: accelerators in a system


def test_japanese_two_chips_combined_are_the_die_count_of_the_chip_named_next() -> None:
    text = "910Bのチップを2つ組み合わせた910Cは、演算性能が800TFLOPSある。"
    got = {(f.chip, f.metric, f.value, f.unit) for f in extract_figures(text)}
    assert ("Ascend 910C", "other", 2.0, "dies") in got
    assert not any(c == "Ascend 910B" for c, *_ in got)


def test_japanese_ratio_against_the_same_baseline_keeps_the_pair_just_compared() -> None:
    text = "H100と比べると、910Bの演算性能は約2倍とされる。ただ消費電力はH100の3倍近くに上る。"
    got = {(f.chip, f.relative_to, f.metric, f.value) for f in extract_figures(text)
           if f.kind == "chip_comparison"}
    assert ("Ascend 910B", "H100", "other", 3.0) in got


def test_count_of_the_chip_named_right_after_needs_no_noun() -> None:
    text = "The group intends to build roughly 400,000 of the H20 over the coming year."
    got = {(f.chip, f.metric, f.value) for f in extract_figures(text)}
    assert ("H20", "units", 400000.0) in got


def test_small_number_of_the_chip_is_not_a_count() -> None:
    text = "About 60 of the H20 sat idle in the lab."
    assert not any(f.metric == "units" for f in extract_figures(text))


def test_it_after_a_die_it_is_built_from_is_the_part_before() -> None:
    text = ("The X1 plan centres on the B30A. Built from one Blackwell die, it would deliver half "
            "the throughput of the B300. Its power rating is put at 650 watts.")
    got = {(f.chip, f.metric, f.value, f.unit) for f in extract_figures(text)}
    assert ("B30A", "other", 650.0, "W") in got
    assert not any(f.chip in ("Blackwell", "B300") and f.unit == "W" for f in extract_figures(text))
