"""Round-5 policy forms: past decisions in relative clauses, conditions, gapped contrasts."""

from __future__ import annotations

import pytest

from chipwatch.extractors.policy import extract_policy


def _actions(text: str) -> set[tuple[str, str | None]]:
    return {(f.action, f.chip) for f in extract_policy(text)}


@pytest.mark.parametrize("text, expected", [
    ("The rule replaced earlier guidance that discouraged purchases of the H20 by Chinese labs.",
     ("restrict_purchase", "H20")),
    ("Officials said permits to ship the H20 were being issued again.", ("allow_export", "H20")),
    ("The firm said the H200 meets all conditions set by Washington.", ("allow_export", "H200")),
    ("Each importer must certify that the parts stay in the country.", ("other", None)),
    ("Exports are capped at a third of the volume sold at home, officials said of the H200 deal "
     "with China.", ("other", "H200")),
    ("The bill would require location verification for exported processors.", ("other", None)),
    ("The MI325X is still under review at the Bureau of Industry and Security.",
     ("require_review", "MI325X")),
])
def test_round5_forms(text: str, expected: tuple[str, str | None]) -> None:
    assert expected in _actions(text)


def test_gapped_contrast_gives_each_chip_its_own_action() -> None:
    got = _actions("An aide said the H200 can go, the Blackwell cannot.")
    assert ("allow_export", "H200") in got
    assert ("ban_export", "Blackwell") in got
    assert ("allow_export", "Blackwell") not in got
    assert ("ban_export", "H200") not in got


def test_must_allow_inspections_is_a_review_not_a_permission() -> None:
    got = _actions("Every buyer of the H200 in China must allow American inspectors to visit its sites.")
    assert ("require_review", "H200") in got
    assert not any(a == "allow_export" for a, _ in got)


def test_pending_licence_is_neither_grant_nor_ban() -> None:
    assert _actions("AMD has not yet received licences for the MI325X, the company said.") == set()


def test_headline_limits_on_buyers_are_purchase_limits() -> None:
    got = _actions("Beijing limits buyers of Nvidia chips")
    assert {a for a, _ in got} == {"restrict_purchase"}


def test_japanese_purchase_forms() -> None:
    got = _actions("中国当局は一部企業によるH200の購入を承認した。購入は研究用途に限られる。")
    assert ("require_approval", "H200") in got


def test_scope_of_a_rule_takes_the_rule_action() -> None:
    text = ("Regulators told the firm that exports of its H20 to China now require a licence. "
            "A rival said the new rules covering its MI308 could cost it dearly.")
    got = extract_policy(text)
    scoped = [f for f in got if f.chip == "MI308"]
    assert [(f.action, f.quote) for f in scoped] == [("require_approval",
                                                      "the new rules covering its MI308")]


def test_scope_without_an_earlier_rule_is_nothing() -> None:
    assert _actions("Analysts said insurance rules covering the MI308 plants were unclear.") == set()


def test_opening_a_security_review_is_a_review() -> None:
    assert ("require_review", None) in _actions("Beijing launched a cybersecurity review of Micron.")
    assert _actions("The company began a strategic review of its China unit.") == set()


def test_a_plea_to_stop_granting_licences_is_a_proposed_ban() -> None:
    got = extract_policy("Senators pressed the administration to stop granting such licences "
                         "for Huawei chips.")
    assert [(f.action, f.status) for f in got] == [("ban_export", "proposed")]


def test_a_state_barring_a_company_from_its_networks_restricts_purchases() -> None:
    got = _actions("Beijing bars Micron from key networks")
    assert got == {("restrict_purchase", None)}


def test_failing_a_review_is_not_a_second_review() -> None:
    got = _actions("China's regulator said Micron's products had failed a security review and "
                   "barred grid operators from buying them.")
    assert got == {("restrict_purchase", None)}


def test_keeping_chips_away_from_a_party_is_a_buyer_condition() -> None:
    got = extract_policy("Customers must keep the processors away from military users.")
    assert [(f.action, f.actor) for f in got] == [("other", "US")]


def test_deals_letting_a_foreign_firm_buy_are_export_permissions() -> None:
    got = _actions("The agreements allow a Gulf cloud firm to buy up to 100,000 processors, "
                   "including the GB300.")
    assert ("allow_export", "GB300") in got


def test_a_licence_that_will_be_denied_is_a_ban_only() -> None:
    got = _actions("Shipments of the B200 need a licence that will be denied.")
    assert got == {("ban_export", "B200")}


def test_buyers_to_be_vetted_by_an_agency_is_an_approval_rule() -> None:
    got = extract_policy("Trump cleared the H200 for China. Buyers will have to be screened by "
                         "Commerce, which will issue the permits.")
    assert [f.action for f in got][1:] == ["require_approval"]


def test_a_named_alternative_is_not_the_ruled_chip() -> None:
    got = _actions("Under the guidance on the H200, buyers must show that domestic alternatives "
                   "such as Huawei's Ascend 910C cannot meet their needs.")
    assert all(chip != "Ascend 910C" for _, chip in got)


def test_a_grant_after_a_bar_is_what_the_bar_stops() -> None:
    got = extract_policy("The bill would block the agency from issuing permits for the H100.")
    assert [f.action for f in got] == ["ban_export"]


def test_notice_before_a_grant_is_a_review_duty() -> None:
    got = extract_policy("The rule requires the department to inform lawmakers before granting "
                         "a licence.")
    assert [f.action for f in got] == ["require_review"]


def test_sales_only_after_licences_are_issued_need_approval() -> None:
    got = extract_policy("The company said deliveries of the H200 would begin only after "
                         "permits were issued.")
    assert [f.action for f in got] == ["require_approval"]


def test_signing_off_on_buyers_is_an_approval_rule() -> None:
    got = extract_policy("Commerce will sign off on every customer of the new chips.")
    assert [f.action for f in got] == ["require_approval"]


def test_a_domestic_chip_named_as_example_is_not_the_ruled_chip() -> None:
    got = _actions("Regulators asked buyers to explain why local chips, such as the Ascend 910B, "
                   "would not do.")
    assert all(chip != "Ascend 910B" for _, chip in got)


def test_rivals_that_can_apply_for_the_same_treatment_are_an_extension() -> None:
    got = extract_policy("Intel can also apply for the same treatment, the president said.")
    assert [(f.action, f.extra.get("extension")) for f in got] == [("allow_export", True)]


def test_an_example_aside_does_not_cut_the_quote() -> None:
    got = extract_policy("Beijing told buyers to explain why local chips, like the Ascend 910B, "
                         "cannot meet their needs.")
    assert [f.action for f in got] == ["require_approval"]
    assert got[0].quote.endswith("cannot meet their needs")


def test_keeping_orders_to_a_minimum_is_a_purchase_limit() -> None:
    got = _actions("Regulators told the platforms to keep their orders of the H20 to a minimum.")
    assert got == {("restrict_purchase", "H20")}


def test_a_bar_on_approving_licences_reaches_the_chip_after_them() -> None:
    got = _actions("Senators filed a bill on Thursday that would prohibit the Commerce Department "
                   "from granting export licences for leading AI accelerators such as the H200.")
    assert got == {("ban_export", "H200")}


def test_a_cap_on_sales_at_a_chip_makes_it_the_legal_ceiling() -> None:
    got = _actions("The 2023 rules capped exports at the cut-down H20.")
    assert got == {("allow_export", "H20")}


def test_a_relative_clause_chip_is_not_the_main_clause_chip() -> None:
    got = extract_policy("The H200 is fast. It was barred from export under the 2023 rules, "
                         "which capped sales at the slower H20.")
    assert [(f.action, f.chip) for f in got] == [("ban_export", None), ("allow_export", "H20")]


def test_must_approve_each_licence_is_an_approval_duty_not_a_grant() -> None:
    got = _actions("The agency will draft the rules and must approve each licence for the H200.")
    assert got == {("require_approval", "H200")}
    assert _actions("Commerce approved every licence Nvidia sought for the H20.") == \
        {("allow_export", "H20")}


def test_licences_still_required_for_shipments_is_an_approval_duty() -> None:
    got = _actions("Export licences from the agency are still required for every H200 shipment.")
    assert got == {("require_approval", "H200")}


def test_a_chip_not_part_of_the_offer_is_excluded() -> None:
    got = _actions("The newer MI350 series is not part of the offer and stays off the table.")
    assert got == {("ban_export", "MI350")}


def test_a_fee_matching_another_chips_fee_also_covers_the_previous_topic_chip() -> None:
    text = ("Intel is studying whether its Gaudi 3 may go to Chinese buyers.\n\n"
            "Officials said the government would take a 25% cut of each sale, matching the fee "
            "on Nvidia's H200.")
    fees = {(f.chip, f.value) for f in extract_policy(text) if f.action == "fee"}
    assert fees == {("H200", 25.0), ("Gaudi 3", 25.0)}


def test_a_fee_without_a_matching_clause_stays_with_its_own_chip() -> None:
    text = ("Intel is studying whether its Gaudi 3 may go to Chinese buyers.\n\n"
            "Officials said the government would take a 25% cut of each H200 sale.")
    fees = {f.chip for f in extract_policy(text) if f.action == "fee"}
    assert fees == {"H200"}


def test_terms_that_cover_a_chip_grant_it_and_terms_that_do_not_exclude_it() -> None:
    got = _actions("The vendor is studying the offer from Washington, which it expects to cover "
                   "its MI308 parts.")
    assert ("allow_export", "MI308") in got
    got = _actions("Officials said the new framework does not cover Nvidia's Blackwell line.")
    assert ("ban_export", "Blackwell") in got
    assert ("allow_export", "Blackwell") not in got


def test_every_approved_shipment_is_an_adjective_not_a_grant() -> None:
    got = _actions("The government will collect a 25% fee on every approved shipment of the H200.")
    assert ("fee", "H200") in got
    assert not any(action == "allow_export" for action, _ in got)


def test_beijing_asking_washington_to_lift_curbs_is_not_a_us_measure() -> None:
    got = _actions("On Friday Beijing's trade ministry urged Washington to lift its curbs on "
                   "exports of AI processors.")
    assert not got
    got = _actions("Lawmakers pressed the administration to stop granting licences for the H20.")
    assert ("ban_export", "H20") in got


def test_confirming_chips_may_be_exported_to_approved_buyers_is_a_grant() -> None:
    got = _actions("The agency released its rule, confirming that the H200 may be exported to "
                   "vetted buyers in China.")
    assert ("allow_export", "H200") in got
    assert ("require_approval", "H200") in got


def test_keeping_in_place_a_ban_restates_the_ban() -> None:
    got = _actions("The new order keeps in place the ban on AMD's MI355 accelerators.")
    assert ("ban_export", "MI355X") in got
