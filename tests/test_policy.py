"""Policy-statement extraction on sentences written for these tests.

Each case is one sentence (or a short passage) in the style of news reports, with the
facts it must yield. Every fact's offsets are checked against the text.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chipwatch.extractors.actors import actor_family, canonical_actor, find_actors
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.policy import NAME, VERSION, extract_policy


def run(text: str) -> list[Fact]:
    facts = extract_policy(text)
    for f in facts:
        assert text[f.char_start:f.char_end] == f.quote
        assert f.kind == "policy"
        assert f.extractor == NAME and f.extractor_version == VERSION
    return facts


def find(facts: list[Fact], action: str, chip: str | None = "any") -> Fact:
    for f in facts:
        if f.action == action and (chip == "any" or f.chip == chip):
            return f
    raise AssertionError(f"no {action} {chip} in {[(f.action, f.chip) for f in facts]}")


# (text, action, chip, actor, status) - one expected fact per row.
CASES = [
    # allow_export: many verbs
    ("Washington will let Nvidia ship its H200 accelerators to buyers in China.",
     "allow_export", "H200", "US", "announced"),
    ("The Commerce Department approved licences for the sale of the MI308 to Chinese firms.",
     "allow_export", "MI308", "Commerce", "enacted"),
    ("Officials have greenlit shipments of the H20 to China after months of talks.",
     "allow_export", "H20", "US", "enacted"),
    ("The decision clears the way for Nvidia to sell H200 processors to Chinese companies.",
     "allow_export", "H200", "US", "enacted"),
    ("The administration lifted restrictions on H20 exports in July.",
     "allow_export", "H20", "US", "enacted"),
    ("President Trump said he would permit exports of the H200 to China.",
     "allow_export", "H200", "Trump", "announced"),
    ("Until then, the A800 was legal to export to Chinese customers.",
     "allow_export", "A800", "US", "enacted"),
    ("The BIS has begun granting export licenses for the H20, a spokesperson said.",
     "allow_export", "H20", "BIS", "enacted"),
    ("The White House is considering allowing sales of the B30A to China.",
     "allow_export", "B30A", "White House", "considered"),
    ("Trump plans to authorize exports of Nvidia's H200 chips to China.",
     "allow_export", "H200", "Trump", "announced"),
    # ban_export
    ("In 2022 the United States banned exports of the A100 and H100 to China.",
     "ban_export", "A100", "US", "enacted"),
    ("The rules bar Nvidia from selling its H800 in China.",
     "ban_export", "H800", "US", "enacted"),
    ("Washington blocked shipments of the MI308 to Chinese buyers last spring.",
     "ban_export", "MI308", "US", "enacted"),
    ("The Commerce Department imposed new export controls on advanced chips in October.",
     "ban_export", None, "Commerce", "enacted"),
    ("Huawei was added to the entity list in 2019, cutting it off from US suppliers.",
     "ban_export", None, "US", "enacted"),
    ("Trump said he would not allow Blackwell chips to be sold to China.",
     "ban_export", "Blackwell", "Trump", "announced"),
    ("The most advanced Blackwell parts remain banned from export to China.",
     "ban_export", "Blackwell", "US", "enacted"),
    ("Congress is weighing a bill that would prohibit sales of the H20 to China.",
     "ban_export", "H20", "Congress", "considered"),
    ("Blackwell is excluded from the agreement, officials said.",
     "ban_export", "Blackwell", "US", "enacted"),
    ("The controls restrict the export of chips with a total processing performance of "
     "4,800 or more.", "ban_export", None, "US", "enacted"),
    # restrict_purchase
    ("Beijing has told its tech giants not to buy the H20.",
     "restrict_purchase", "H20", "China", "enacted"),
    ("Chinese regulators are considering barring state agencies from purchasing Nvidia chips.",
     "restrict_purchase", None, "China", "considered"),
    ("The Cyberspace Administration of China ordered companies to stop buying the RTX Pro 6000D.",
     "restrict_purchase", "RTX Pro 6000D", "CAC", "enacted"),
    ("China reportedly restricted purchases of the H200 to a handful of research labs.",
     "restrict_purchase", "H200", "China", "reported"),
    # require_review
    ("Each shipment must pass a security review by US officials before it leaves Taiwan.",
     "require_review", None, "US", "enacted"),
    ("The chips will undergo a national security review in the United States.",
     "require_review", None, "US", "announced"),
    # require_approval
    ("Sales will go only to approved customers in China, the Commerce Department said.",
     "require_approval", None, "Commerce", "announced"),
    ("Chinese buyers would need government approval before ordering the H200.",
     "require_approval", "H200", "China", "announced"),
    ("Exporters must obtain a license to ship the A100 to China.",
     "require_approval", "A100", "US", "enacted"),
    # fee / revenue_share
    ("The US government will collect a 25% fee on every H200 sold to China.",
     "fee", "H200", "US", "announced"),
    ("Nvidia and AMD agreed to hand 15 percent of their China revenue to the US government.",
     "revenue_share", None, "Nvidia", "enacted"),
    # other
    ("Beijing urged companies to prioritize domestic chips over Nvidia products.",
     "other", None, "China", "enacted"),
    ("Lawmakers tried to block the sale of AI chips to China.",
     "other", None, "Congress", "proposed"),
    ("China's internet regulator has reportedly told large platforms to stop ordering the H20.",
     "restrict_purchase", "H20", "CAC", "reported"),
    ("Chinese customs have stepped up checks on imports of Nvidia processors.",
     "restrict_purchase", None, "China", "enacted"),
    ("Beijing has discouraged local firms from buying the H20, citing security concerns.",
     "restrict_purchase", "H20", "China", "enacted"),
    ("The H20 was built to fall below the thresholds of the 2023 rules.",
     "allow_export", "H20", "US", "enacted"),
    ("Commerce is weighing whether to let Nvidia sell a trimmed Blackwell chip, the B30A, "
     "to China.", "allow_export", "B30A", "Commerce", "considered"),
    ("The BIS said it would revoke licenses for shipments of the H20.",
     "ban_export", "H20", "BIS", "announced"),
    ("Since 2022 exports of the A100 to China have been banned.",
     "ban_export", "A100", "US", "enacted"),
    ("Nvidia's chief lobbied the White House to lift the export ban on the H20.",
     "allow_export", "H20", "White House", "proposed"),
    ("Both newer generations, Blackwell included, stay on the banned list.",
     "ban_export", "Blackwell", "US", "enacted"),
    ("Officials stressed that the B30A is not part of any arrangement.",
     "ban_export", "B30A", "US", "enacted"),
    ("Lithography tools and design software sold to China are controlled too.",
     "ban_export", None, "US", "enacted"),
    ("Senators want future Blackwell licences to go through congressional review.",
     "require_review", "Blackwell", "Congress", "enacted"),
    ("AMD said it expects to receive licences to ship the MI308 to China.",
     "allow_export", "MI308", "US", "enacted"),
    ("Washington has barred TSMC from making chips for Huawei since 2020.",
     "ban_export", None, "US", "enacted"),
    ("Officials plan to keep steering state-funded data centres toward domestic chips.",
     "other", None, "China", "announced"),
]


@pytest.mark.parametrize("text,action,chip,actor,status", CASES)
def test_sentence_yields_fact(text: str, action: str, chip: str | None, actor: str,
                              status: str) -> None:
    facts = run(text)
    f = find(facts, action, chip)
    assert f.actor == actor
    assert f.status == status


def test_fee_has_metric_value_and_unit() -> None:
    f = find(run("Washington will take a 25 percent fee on the chips sold to China."), "fee")
    assert (f.metric, f.value, f.unit) == ("fee_percent", 25.0, "%")
    assert f.target == "China"


def test_revenue_share_compared_with_fee() -> None:
    facts = run("The new 25% levy is steeper than the 15% agreed in the summer.")
    assert find(facts, "fee").value == 25.0
    share = find(facts, "revenue_share")
    assert share.value == 15.0 and share.metric == "revenue_share"


def test_tpp_threshold_value() -> None:
    f = find(run("The rule covers accelerators whose total processing performance is "
                 "above 4800 and that are sold for data centres."), "ban_export")
    assert (f.metric, f.value) == ("tpp", 4800.0)


def test_rule_limit_with_unit() -> None:
    f = find(run("The regulations limit chip-to-chip bandwidth to 600 GB/s or more."),
             "ban_export")
    assert f.value == 600.0 and f.unit == "GB/s"


def test_several_chips_give_one_fact_each() -> None:
    facts = run("After the rules, Nvidia halted shipments of the A100, H100 and L40S to China.")
    chips = sorted(f.chip for f in facts if f.action == "ban_export")
    assert chips == ["A100", "H100", "L40S"]
    for f in facts:
        assert f.actor == "US"  # a company halting sales reflects the government's ban


def test_negated_permission_is_a_ban() -> None:
    text = ("Customers can buy the Blackwell and Rubin lines at home, neither of which is "
            "part of the deal.")
    facts = [f for f in run(text) if f.action == "ban_export"]
    assert {f.chip for f in facts} == {"Blackwell", "Rubin"}
    assert all(f.negated for f in facts)


def test_declined_to_allow_is_a_ban() -> None:
    f = find(run("Sending Blackwell chips to China is something Trump has declined to allow."),
             "ban_export", "Blackwell")
    assert f.negated and f.actor == "Trump"


def test_attribution_to_outlet() -> None:
    f = find(run("China is considering an approval process for H200 purchases, according "
                 "to the Financial Times."), "require_approval")
    assert f.attribution == "Financial Times"
    assert f.actor == "China" and f.status == "considered"


def test_attribution_to_anonymous_sources() -> None:
    f = find(run("Beijing plans to bar state-owned firms from using the H20, people familiar "
                 "with the matter said."), "restrict_purchase")
    assert f.attribution and "familiar" in f.attribution
    assert f.status == "reported"


def test_reuters_reported_sets_status_reported() -> None:
    f = find(run("Reuters reported that the US had issued licenses for H20 sales to China."),
             "allow_export", "H20")
    assert f.attribution == "Reuters"
    assert f.status == "reported"


def test_denial() -> None:
    f = find(run("The ministry denied reports that it would ban purchases of the H20."),
             "restrict_purchase")
    assert f.status == "denied"


def test_extension_to_other_companies_has_no_chip() -> None:
    facts = run("Trump said the same arrangement would also apply to AMD and Intel.")
    f = find(facts, "allow_export")
    assert f.chip is None and f.actor == "Trump"


def test_adjectival_mention_is_not_a_statement() -> None:
    assert run("Sales of the restricted H20 had already collapsed by then.") == []


def test_opinion_and_unrelated_text_give_nothing() -> None:
    assert run("Analysts think the chip is a marvel of engineering.") == []
    assert run("Nvidia shares rose 2% and its market share reached 80%.") == []
    assert run("The export restrictions could cost the company billions.") == []


@pytest.mark.parametrize("text", [
    "Shareholders approved the sale of the company's networking unit.",
    "The weak dollar allowed the company to boost sales in Europe.",
    "The court blocked the sale of the startup to a rival.",
    "The company stopped selling its older laptops last year.",
    "Revenue from the region fell 25% after the H20 ban.",
])
def test_off_topic_permissions_and_bans_give_nothing(text: str) -> None:
    assert run(text) == []


def test_company_kept_from_buying_us_goods_is_a_us_control() -> None:
    f = find(run("Huawei has been restricted since 2019 from buying American chips."),
             "ban_export")
    assert f.actor == "US"


def test_purchase_only_with_approval() -> None:
    facts = run("Chinese firms may buy the H200 only with approval from the commerce ministry.")
    f = find(facts, "require_approval", "H200")
    assert f.actor == "China"


def test_cap_on_shipments_names_other_destinations() -> None:
    f = find(run("The rule caps how many advanced chips can be shipped to India and Malaysia."),
             "ban_export")
    assert f.target == "India"


def test_advice_is_not_policy() -> None:
    assert run("A ministry spokesman said Washington should stop abusing export controls.") == []
    assert run("The firm is not aware of any plan to restrict sales further.") == []


def test_undisclosed_conditions_are_not_permission() -> None:
    facts = run("He did not say how many chips would be authorised for shipment.")
    assert not [f for f in facts if f.action == "allow_export"]


def test_quote_is_a_clause_not_the_whole_passage() -> None:
    text = ("Markets were calm on Tuesday. The US will allow exports of the H20 to China, "
            "officials said. Shares rose.")
    f = find(run(text), "allow_export", "H20")
    assert f.quote.startswith("The US will allow exports of the H20")
    assert "Markets" not in f.quote and "Shares" not in f.quote


def test_repeated_statement_counts_once() -> None:
    text = ("Trump approves H200 exports to China\n\n"
            "The US will allow Nvidia to sell the H200 to China, Trump said on Monday. "
            "The 25% fee applies to each sale. Buyers will pay the 25% fee on delivery.")
    facts = run(text)
    assert len([f for f in facts if f.action == "allow_export" and f.chip == "H200"]) == 1
    assert len([f for f in facts if f.action == "fee"]) == 1
    allow = find(facts, "allow_export", "H200")
    assert allow.quote.startswith("The US will allow")  # the body, not the headline


# ------------------------------------------------------------------ Japanese

@pytest.mark.parametrize("text,action,chip", [
    ("米政府はH200を中国企業へ販売することを条件付きで認めた", "allow_export", "H200"),
    ("Blackwellは今回の措置の対象外で、輸出が禁じられる", "ban_export", "Blackwell"),
    ("当局は国有企業によるNvidia製品の調達を禁じる案を検討している", "restrict_purchase", None),
])
def test_japanese_more_forms(text: str, action: str, chip: str | None) -> None:
    find(run(text), action, chip)


def test_statements_at_different_times_are_kept_apart() -> None:
    text = ("The Commerce Department has begun issuing licences for H20 shipments to China. "
            "In April the administration blocked H20 exports, before letting sales resume "
            "three months later.")
    allows = [f for f in run(text) if f.action == "allow_export"]
    assert len(allows) == 2


def test_licence_approved_in_advance_is_a_requirement() -> None:
    facts = run("Chinese buyers will need a licence approved in advance to take the H200.")
    assert find(facts, "require_approval", "H200")
    assert not [f for f in facts if f.action == "allow_export"]


def test_japanese_fee() -> None:
    f = find(run("米国政府は売上の25パーセントを徴収する方針だ"), "fee")
    assert (f.actor, f.value, f.unit, f.metric) == ("US", 25.0, "%", "fee_percent")


def test_japanese_fee_with_subject_after_the_figure() -> None:
    f = find(run("販売額の15パーセントを米国政府が徴収することになった"), "fee")
    assert (f.actor, f.value) == ("US", 15.0)


@pytest.mark.parametrize("text,action,chip", [
    ("米国はH200の輸出を一部の顧客に認める", "allow_export", "H200"),
    ("出荷の前に米政府による安全保障審査を受ける必要がある", "require_review", None),
    ("「Blackwell」の輸出禁止は今後も続く", "ban_export", "Blackwell"),
    ("政府機関ではNvidia製チップを利用しない案が出ている", "restrict_purchase", None),
    ("H200を購入する企業は当局の事前承認が必要になる見通し", "require_approval", "H200"),
    ("国産チップ優先の方針は変わらない", "other", None),
    ("H100やH800は全面規制の対象となった", "ban_export", "H100"),
])
def test_japanese_forms(text: str, action: str, chip: str | None) -> None:
    find(run(text), action, chip)


def test_japanese_bullets_inherit_actor_and_status() -> None:
    text = ("中国当局は以下の措置を検討中と報じられた。\n"
            "- 政府機関でNvidia製品を使用しない\n"
            "- 国産チップ優先を継続\n")
    facts = run(text)
    purchase = find(facts, "restrict_purchase")
    assert purchase.actor == "China" and purchase.status == "considered"
    assert purchase.attribution == "報道"
    assert find(facts, "other").actor == "China"


def test_japanese_list_gives_one_fact_per_chip() -> None:
    text = "米国は2022年からH100やH800の全面規制を続けている。"
    chips = {f.chip for f in run(text) if f.action == "ban_export"}
    assert chips == {"H100", "H800"}


def test_japanese_object_country_is_not_the_actor() -> None:
    f = find(run("米国は中国にH200の輸出を認めた。"), "allow_export", "H200")
    assert f.actor == "US" and f.target == "China"


# ------------------------------------------------------------------ actors

def test_actor_canonical_names() -> None:
    assert canonical_actor("the Trump administration") == "US"
    assert canonical_actor("U.S. Commerce Department") == "Commerce"
    assert canonical_actor("Bureau of Industry and Security") == "BIS"
    assert canonical_actor("Chinese regulators") == "China"
    assert canonical_actor("Beijing") == "China"
    assert canonical_actor("China's commerce ministry") == "MOFCOM"
    assert canonical_actor("President Donald Trump") == "Trump"
    assert canonical_actor("Advanced Micro Devices") == "AMD"
    assert canonical_actor("米国政府") == "US"
    assert actor_family("Commerce") == "US" and actor_family("CAC") == "China"


def test_country_in_object_position_is_not_a_subject() -> None:
    mentions = find_actors("Nvidia may sell chips to China and to US customers.")
    china = [m for m in mentions if m.actor == "China"][0]
    us = [m for m in mentions if m.actor == "US"][0]
    assert not china.subject_ok and not us.subject_ok


def test_pronoun_us_is_not_the_united_states() -> None:
    assert [m.actor for m in find_actors("Let us see what happens.")] == []


# ------------------------------------------------------------------ robustness

@pytest.mark.parametrize("text", ["", "   ", "\n\n", "。", "%%%", "25%", "ban", "H200",
                                  "allow " * 500, "\x00\ufffd", "禁輸" * 100])
def test_odd_inputs_do_not_raise(text: str) -> None:
    assert isinstance(run(text), list)


def test_non_string_input_gives_nothing() -> None:
    assert extract_policy(None) == []  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_random_text_never_raises_and_offsets_hold(text: str) -> None:
    run(text)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([
    "The US will allow H200 exports to China.", "Beijing told firms not to buy the H20.",
    "a 25% fee", " according to Reuters", "neither of which are part of this deal",
    "、", "\n", "- ", "approved customers", "security review", "輸出禁止", "H100やH800",
]), max_size=12))
def test_fragment_soup_never_raises(parts: list[str]) -> None:
    run("".join(parts))


# ------------------------------------------------------------------ forms added for wider news

# (text, action, chip) - sentences written for these tests in the phrasing of wire copy.
MORE_FORMS = [
    ("The new rules cut Chinese fabs off from American lithography tools.", "ban_export", None),
    ("Applications to ship the H20 will be reviewed case by case.", "require_review", "H20"),
    ("Every MI308 must be inspected by an independent lab before it leaves the port.",
     "require_review", "MI308"),
    ("Officials said the B30A is caught by the rules as well.", "ban_export", "B30A"),
    ("Blackwell parts remain off the table for Chinese buyers.", "ban_export", "Blackwell"),
    ("Tokyo added 12 kinds of wafer tools, from deposition to cleaning systems, to its export "
     "control list.", "ban_export", None),
    ("The trade ministry refused to grant licences for the lithography shipments.",
     "ban_export", None),
    ("Until March the H20 could be shipped to China without a licence.", "allow_export", "H20"),
    ("The A800 was the fastest part legally available to Chinese buyers.", "allow_export",
     "A800"),
    ("Nvidia accepted the terms in exchange for export licences for the H20.",
     "require_approval", "H20"),
    ("Officials told the company that licences for the H20 would be granted.", "allow_export",
     "H20"),
    ("Allies in the first tier faced no limits on chip imports.", "allow_export", None),
    ("About 100 countries would have been subject to caps on AI chips.", "ban_export", None),
    ("Beijing's market regulator opened an antitrust investigation into Nvidia.", "other", None),
    ("The Commerce Department said it would rescind the chip rule issued in January.",
     "other", None),
    ("Regulators told state-backed cloud firms to remove foreign accelerators and cancel "
     "pending orders.", "restrict_purchase", None),
    ("Data centres built with public money must use only domestic AI chips.",
     "restrict_purchase", None),
    ("Customs officers have stepped up checks on shipments of the RTX Pro 6000D.",
     "restrict_purchase", "RTX Pro 6000D"),
    ("The guidance warns that use of the Ascend 910C anywhere could breach US export controls.",
     "restrict_purchase", "Ascend 910C"),
    ("Buyers would have to justify why local chips cannot do the job before ordering the H200.",
     "require_approval", "H200"),
    ("Beijing summoned Nvidia executives over security risks in the H20.", "other", "H20"),
    ("The bill would oblige exporters to install location tracking in controlled chips.",
     "other", None),
    ("The president ruled out selling the B200 to Chinese buyers.", "ban_export", "B200"),
    ("Officials said they would not let Beijing have the most advanced accelerators.",
     "ban_export", None),
    ("The company says it is not selling the B30A in China.", "ban_export", "B30A"),
    ("Orders of foreign GPUs by state banks now require sign-off from regulators.",
     "require_approval", None),
    ("Commerce will revoke the waivers that covered the two chip plants.", "ban_export", None),
    ("Requests to add production lines at the chip plants will be denied.", "ban_export", None),
]


@pytest.mark.parametrize("text,action,chip", MORE_FORMS)
def test_more_forms(text: str, action: str, chip: str | None) -> None:
    find(run(text), action, chip)


def test_rule_figures_take_the_action_of_their_rule() -> None:
    facts = run("Accelerators with a TPP of 4,800 or more need a licence to ship to China.")
    assert [(f.action, f.metric, f.value) for f in facts] == [
        ("require_approval", "tpp", 4800.0)]
    facts = run("The rules cover chips with a TPP of 1,600 or more and a performance density "
                "of at least 5.92.")
    got = {(f.action, f.metric, f.value) for f in facts}
    assert got == {("ban_export", "tpp", 1600.0), ("ban_export", "performance_density", 5.92)}


def test_several_bounded_specs_of_one_rule() -> None:
    facts = run("The controls cover tools for logic chips at 16nm or below and chips with an "
                "interconnect of 600 GB/s or more.")
    assert {(f.value, f.unit) for f in facts if f.action == "ban_export"} == {
        (16.0, "nm"), (600.0, "GB/s")}


def test_two_clauses_of_one_sentence_are_two_statements() -> None:
    facts = run("The agency placed 30 firms on the entity list, and it tightened controls on "
                "memory chips.")
    bans = [f for f in facts if f.action == "ban_export"]
    assert len(bans) == 2
    assert bans[0].char_end <= bans[1].char_start


def test_rule_period_is_attached_but_relative_time_is_not() -> None:
    f = find(run("Exporters of AI chips must apply for a permit at least 45 days in advance."),
             "require_approval")
    assert (f.value, f.unit) == (45.0, "days")
    f = find(run("The bill would deny licences for advanced chips for 24 months."), "ban_export")
    assert (f.value, f.unit) == (24.0, "months")
    f = find(run("Washington banned H20 exports in April, three months after the launch."),
             "ban_export", "H20")
    assert f.value is None


def test_subject_chip_shares_the_predicate() -> None:
    facts = run("The MI308 remains off-limits for China, as does the MI325X.")
    assert {f.chip for f in facts if f.action == "ban_export"} == {"MI308", "MI325X"}
    facts = run("The B30A faces the same licence requirement as the H20.")
    assert {f.chip for f in facts if f.action == "require_approval"} == {"B30A", "H20"}


@pytest.mark.parametrize("text", [
    "Critics accused Washington of abusing export controls to block Chinese rivals.",
    "The treaty bars taxes on exports of goods.",
    "Local chips now match the models Nvidia is permitted to sell in China.",
    "Buyers rushed to stock up on H20 chips before any further curbs.",
    "Exporters of chips must apply for the permit through the trade ministry.",
    "The rules are part of an effort to curb China's chip industry.",
    "Nvidia said Trump would oppose limits on his authority over chip exports.",
])
def test_charges_nouns_and_motives_are_not_statements(text: str) -> None:
    facts = run(text)
    assert not [f for f in facts if f.action in ("ban_export", "allow_export",
                                                 "restrict_purchase")], facts


def test_merger_approval_is_not_an_export_permission() -> None:
    facts = run("The regulator approved Nvidia's acquisition of the networking firm in 2020 on "
                "condition that it keep supplying Chinese customers.")
    assert find(facts, "other").action == "other"
    assert not [f for f in facts if f.action == "allow_export"]


def test_trigger_hints_never_hide_a_match() -> None:
    """The substring pre-check may only skip triggers that cannot match."""
    from chipwatch.extractors.policy.tables import EN_TRIGGERS
    texts = [c[0] for c in CASES] + [c[0] for c in MORE_FORMS]
    for text in texts:
        low = text.lower()
        for mode, pattern, hints in ((t.name, t.pattern, t.hints) for t in EN_TRIGGERS.triggers):
            if pattern.search(text):
                assert any(h in low for h in hints), (mode, text)


def test_actor_hints_never_hide_a_mention() -> None:
    from chipwatch.extractors import actors
    texts = [c[0] for c in CASES] + [c[0] for c in MORE_FORMS] + [
        "Taiwan Semiconductor Manufacturing and Advanced Micro Devices met the Ministry of "
        "Industry and Information Technology and Malaysian officials in Kuala Lumpur."]
    for text in texts:
        low = text.lower()
        for (pattern, name), hints in zip(actors._ENGLISH_RE, actors._ENGLISH_HINTS):
            if pattern.search(text):
                assert any(h in low for h in hints), (name, text)


def test_family_descriptor_stays_the_family_when_the_story_is_about_it() -> None:
    text = ("Blackwell is the newest design, and the Blackwell line includes the B300. "
            "Nvidia is not shipping Blackwell-based servers to China.")
    f = find(run(text), "ban_export")
    assert f.chip == "Blackwell"


@pytest.mark.parametrize("text", [
    "The army ruled out rebel involvement in the helicopter crash.",
    "New limits on stock swings are to be tested by regulators next month.",
    "The striker was caught offside twice and faced a ban of three matches.",
    "Applications for the scholarship will be decided case by case.",
])
def test_weak_triggers_need_the_story_in_view(text: str) -> None:
    assert run(text) == []


@pytest.mark.parametrize("text,action,actor", [
    ("China, Russia and Iran were barred from receiving the chips.", "ban_export", "US"),
    ("Allies such as Japan faced no limits on AI chip imports.", "allow_export", "US"),
    ("In Seoul, the trade ministry added two firms to its entity list, so local companies "
     "need government approval to supply them.", "require_approval", "South Korea"),
    ("Nvidia agreed to hand the U.S. government 15% of its H20 sales in China.",
     "revenue_share", "Nvidia"),
    ("The chairman of the House committee wants H200 licences to go through "
     "congressional review.", "require_review", "Congress"),
    ("Dutch rules require a licence to export the lithography tools to China.",
     "require_approval", "Netherlands"),
])
def test_actor_is_who_acts_not_who_undergoes(text: str, action: str, actor: str) -> None:
    assert find(run(text), action).actor == actor


# ------------------------------------------------------------------ forms added for unseen news

# (text, action, chip) - each line exercises one rule added after the third held-out set.
UNSEEN_FORMS = [
    # resumption is a permission
    ("Nvidia resumed shipments of the H20 to Chinese buyers in July.", "allow_export", "H20"),
    ("Deliveries of the MI308 will restart once the paperwork clears, AMD said.",
     "allow_export", "MI308"),
    ("Washington lifted the freeze on H20 sales to China in the summer.", "allow_export",
     "H20"),
    ("The firm was told its export applications for the H20 would be approved.",
     "allow_export", "H20"),
    ("The annual licences cover tools needed to keep the Chinese fabs running.",
     "allow_export", None),
    # negated inclusion, negated passives, exclusions, lost authorisations
    ("The new B40 will not be offered to Chinese customers, the company said.",
     "ban_export", "B40"),
    ("Rubin parts would not be sold to anyone in China, an official said.", "ban_export",
     "Rubin"),
    ("The waivers let the fabs run but exclude any expansion of capacity in China.",
     "ban_export", None),
    ("The Dalian plant lost its validated end-user status for chipmaking tools in 2025.",
     "ban_export", None),
    ("That authorisation, which Commerce revoked last summer, covered US chip tools.",
     "ban_export", None),
    ("Sales to China may not exceed half of US volumes, under a cap of 50% in the rule.",
     "ban_export", None),
    # rules that sweep chips in
    ("The 2023 controls swept up the A800 as well.", "ban_export", "A800"),
    # approvals and reviews
    ("Shipments will be limited to buyers vetted by the Commerce Department.",
     "require_approval", None),
    ("Last spring Washington made the MI308 subject to a licence.", "require_approval",
     "MI308"),
    ("Gallium and germanium were placed under export licensing in 2023.",
     "require_approval", None),
    ("Applications for the H20 face a presumption of denial.", "require_review", "H20"),
    ("Its licence requests for the MI308 would move forward for review, AMD said.",
     "require_review", "MI308"),
    ("Beijing regulators approved purchases of the H200 by three cloud firms.",
     "require_approval", "H200"),
    ("Officials gave two internet groups permission to buy the H200.", "require_approval",
     "H200"),
    ("Some buyers may keep ordering the H20, provided they can justify the purchase.",
     "require_approval", "H20"),
    ("Applications to import the H200 are being examined one at a time by regulators.",
     "require_review", "H200"),
    # Beijing's orders to buyers
    ("The ministry told state carriers to phase out foreign processors by 2027.",
     "restrict_purchase", None),
    ("Provincial offices were ordered to replace desktops built on Intel processors.",
     "restrict_purchase", None),
    ("New procurement rules rule out PCs with Intel or AMD chips for government purchases.",
     "restrict_purchase", None),
    ("Industry groups advised members that they should be cautious about buying US chips.",
     "restrict_purchase", None),
    ("Customs officers at Shanghai held back two batches of H200 shipments last week.",
     "restrict_purchase", "H200"),
    ("Using Huawei's Ascend chips anywhere may breach US export controls, the guidance said.",
     "restrict_purchase", None),
    # other measures
    ("The ministry launched an anti-discrimination inquiry into US chip measures.", "other",
     None),
    ("Beijing agreed to suspend the October export measures for one year.", "other", None),
    ("Exporters would have to report any sign that their chips had been diverted.", "other",
     None),
    ("Regulators approved the H200 purchases on condition that buyers also order domestic "
     "chips.", "other", "H200"),
]


@pytest.mark.parametrize("text,action,chip", UNSEEN_FORMS)
def test_unseen_forms(text: str, action: str, chip: str | None) -> None:
    find(run(text), action, chip)


def test_unseen_form_hints_never_hide_a_match() -> None:
    from chipwatch.extractors.policy.tables import EN_TRIGGERS
    for text, _, _ in UNSEEN_FORMS:
        low = text.lower()
        for mode, pattern, hints in ((t.name, t.pattern, t.hints) for t in EN_TRIGGERS.triggers):
            if pattern.search(text):
                assert any(h in low for h in hints), (mode, text)


def test_vetted_customers_is_one_approval_not_a_ban_or_review() -> None:
    facts = run("Sales of the H200 will be limited to customers vetted by the Commerce "
                "Department.")
    assert {f.action for f in facts} == {"require_approval"}


@pytest.mark.parametrize("text", [
    "Nvidia filed applications to resume shipments after the rule changed.",
    "Restarting the chip sales was part of a wider bargain over magnets, he said.",
    "The bakery's cakes will not be sold to anyone under sixteen.",
    "The striker's new contract excludes image rights.",
    "Foundries must check customers who are not on an approved list of designers.",
])
def test_requests_nouns_and_off_topic_negations_give_no_permission_or_ban(text: str) -> None:
    assert not [f for f in run(text) if f.action in ("allow_export", "ban_export")]


def test_thresholds_with_exceeds_and_level_above_which() -> None:
    f = find(run("Chips whose performance density exceeds 5.92 are restricted as well."),
             "ban_export")
    assert (f.metric, f.value) == ("performance_density", 5.92)
    f = find(run("Its TPP of about 2,368 is well below the 4,800 level above which the rules "
                 "bar sales to China."), "ban_export")
    assert (f.metric, f.value) == ("tpp", 4800.0)


def test_notice_period_is_a_review_with_its_days() -> None:
    f = find(run("Exporters must notify the Commerce Department 25 days before shipping the "
                 "chips."), "require_review")
    assert (f.value, f.unit) == (25.0, "days")
    f = find(run("Firms must give the ministry at least 30 days' notice before each chip "
                 "shipment."), "require_review")
    assert (f.value, f.unit) == (30.0, "days")


def test_location_verification_bill_keeps_its_deadline() -> None:
    f = find(run("The bill would require export-controlled chips to carry location "
                 "verification within 180 days of enactment."), "other")
    assert (f.value, f.unit) == (180.0, "days")


def test_rule_figure_takes_review_action() -> None:
    facts = run("Applications from makers of chips at 14 nanometres or below would be "
                "reviewed case by case.")
    assert [(f.action, f.value, f.unit) for f in facts] == [("require_review", 14.0, "nm")]


def test_scene_setting_clause_chip_is_not_the_rule_chip() -> None:
    facts = run("When inspectors found a TSMC die in an Ascend 910B, Commerce ordered the "
                "foundry to halt shipments of chips made at 7 nanometres or below to China.")
    bans = [f for f in facts if f.action == "ban_export"]
    assert [(f.chip, f.value, f.unit) for f in bans] == [(None, 7.0, "nm")]


def test_member_with_family_apposition_is_one_chip() -> None:
    facts = run("Its RTX Pro 6000D, a workstation-class Blackwell card, was cleared to ship "
                "to China without a licence.")
    assert {f.chip for f in facts if f.action == "allow_export"} == {"RTX Pro 6000D"}


def test_coordination_across_a_relative_clause() -> None:
    facts = run("The rules swept up the A800 and H800, which were built for China, as well "
                "as the L40S.")
    assert {f.chip for f in facts if f.action == "ban_export"} == {"A800", "H800", "L40S"}


def test_pronoun_object_takes_the_sentence_chip() -> None:
    facts = run("Its Ascend 910C trails the H100, and cloud firms are being encouraged with "
                "power subsidies to run it.")
    assert find(facts, "other").chip == "Ascend 910C"


def test_comma_list_stays_in_the_quote() -> None:
    f = find(run("Beijing retaliated by banning exports of gallium, germanium and antimony to "
                 "the United States."), "ban_export")
    assert f.quote.endswith("antimony to the United States")


def test_permission_for_a_named_chip_in_a_china_story() -> None:
    text = ("Chinese buyers want more. Trump said he might allow a Blackwell chip with its "
            "performance cut by a third.")
    assert find(run(text), "allow_export").chip == "Blackwell"


def test_twenty_five_percent_cut_is_the_fee() -> None:
    f = find(run("The proclamation turns the 25% cut on H200 sales into a tariff."), "fee")
    assert f.value == 25.0


def test_distinct_agencies_acting_on_one_chip_are_two_facts() -> None:
    text = ("The Cyberspace Administration of China told platforms to stop ordering the RTX "
            "Pro 6000D.\n\nSeparately, customs officers have stepped up checks on shipments "
            "of the RTX Pro 6000D.")
    facts = [f for f in run(text) if f.action == "restrict_purchase"]
    assert len(facts) == 2


@pytest.mark.parametrize("text,action,chip", [
    ("政府は新しいデータセンターに国産チップだけを使うよう求めている。", "restrict_purchase", None),
    ("米国は承認を受けた顧客へのH200の輸出を認める。", "require_approval", "H200"),
    ("当局は国有企業に外国製チップを取り外すよう指導した。", "restrict_purchase", None),
])
def test_japanese_unseen_forms(text: str, action: str, chip: str | None) -> None:
    find(run(text), action, chip)


def test_japanese_alternatives_and_condition_make_one_fact_with_value() -> None:
    text = "工事の進捗が30%未満の施設では、外国製チップを撤去するか、購入計画を撤回する必要がある。"
    facts = [f for f in run(text) if f.action == "restrict_purchase"]
    assert len(facts) == 1
    assert (facts[0].value, facts[0].unit) == (30.0, "%")
    assert facts[0].quote.startswith("工事の進捗が30%")


def test_japanese_share_of_sales_at_25_is_the_fee() -> None:
    f = find(run("売上の25%を米政府が受け取る。"), "fee")
    assert f.value == 25.0


# Rules added after the three later articles of the third held-out set (n01-n03).
LATER_FORMS = [
    ("The B300 and Rubin are not part of the U.S. approval, the company said.", "ban_export",
     "B300"),
    ("Buyers were still waiting for clearance from Beijing before ordering the H200.",
     "require_approval", "H200"),
    ("The toolmaker may no longer service its scanners in China without permission from the "
     "government.", "require_approval", None),
    ("Regulators asked three cloud groups to hold off on new H200 orders.",
     "restrict_purchase", "H200"),
    ("Orders will wait until a review of the purchases is finished.", "require_review", None),
    ("The ministry said it would grant exemptions for chips bound for civilian customers.",
     "allow_export", None),
    ("The accelerators must be installed in data centres run by approved operators.", "other",
     None),
    ("The buyers promised not to let Chinese firms access the chips remotely.", "ban_export",
     None),
    ("The Biden administration's diffusion rule capped the number of AI chips most countries "
     "could buy.",
     "ban_export", None),
]


@pytest.mark.parametrize("text,action,chip", LATER_FORMS)
def test_later_forms(text: str, action: str, chip: str | None) -> None:
    find(run(text), action, chip)


def test_later_form_hints_never_hide_a_match() -> None:
    from chipwatch.extractors.policy.tables import EN_TRIGGERS
    for text, _, _ in LATER_FORMS:
        low = text.lower()
        for mode, pattern, hints in ((t.name, t.pattern, t.hints) for t in EN_TRIGGERS.triggers):
            if pattern.search(text):
                assert any(h in low for h in hints), (mode, text)


@pytest.mark.parametrize("text", [
    "The Dutch cabinet suspended its order on the chip plant a few weeks later.",
    "Officials said the figure for chip imports was an upper limit rather than a promise.",
])
def test_directives_and_noun_limits_are_not_purchase_curbs(text: str) -> None:
    assert not [f for f in run(text) if f.action in ("restrict_purchase", "ban_export")]


def test_participial_elaboration_is_the_same_measure() -> None:
    facts = run("The ministry barred the plant from exporting chips made in China, cutting off "
                "carmakers from the parts they need.")
    assert len([f for f in facts if f.action == "ban_export"]) == 1


def test_headline_family_yields_to_body_member() -> None:
    text = ("U.S. clears Blackwell shipments to Gulf buyers\n\nThe Commerce Department has "
            "authorised the export of GB300 chips to two Gulf companies, it said.")
    allows = [f for f in run(text) if f.action == "allow_export"]
    assert [f.chip for f in allows] == ["GB300"]
