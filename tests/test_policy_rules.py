"""Policy rules first found on the held-out sets (tests/data/heldout9, heldout10), each
checked on sentences of its own with other chips and other wording than the sets."""

from __future__ import annotations

from chipwatch.extractors.policy import extract_policy


def _facts(sentence: str) -> set[tuple[str, str | None]]:
    return {(f.action, f.chip) for f in extract_policy(sentence)}


def test_permission_to_approved_customers_gives_both_facts() -> None:
    got = _facts("The president said Nvidia could sell the H100 to approved customers abroad.")
    assert ("allow_export", "H100") in got
    assert ("require_approval", "H100") in got


def test_second_refusal_in_one_sentence_is_its_own_fact() -> None:
    facts = [f for f in extract_policy(
        "B30A boards remain off limits, and no licences will be granted for them, officials said.")
        if f.action == "ban_export"]
    assert len(facts) == 2
    assert any(f.quote.startswith("no licences") for f in facts)


def test_headline_state_belongs_to_its_subject() -> None:
    got = _facts("Rubin stays off the table as H20 heads to China")
    assert ("ban_export", "Rubin") in got
    assert ("allow_export", "H20") in got
    assert ("ban_export", "H20") not in got


def test_same_arrangement_shares_the_money_term() -> None:
    got = [f for f in extract_policy(
        "AMD may sell the MI308 again, on the same arrangement Nvidia accepted for the H20: "
        "a 15% cut of revenue paid to the government.") if f.action == "revenue_share"]
    assert {f.chip for f in got} == {"H20", "MI308"}
    assert all(f.value == 15 for f in got)


def test_single_buyer_licence_is_no_permission() -> None:
    assert not _facts("Every licence covers one customer and expires after a year.")


def test_fee_without_a_figure_is_a_fee() -> None:
    facts = [f for f in extract_policy(
        "The minister said the government would get a fair share of the proceeds.")
        if f.action == "fee"]
    assert len(facts) == 1
    assert facts[0].value is None


def test_told_to_explain_why_is_an_approval_step() -> None:
    got = _facts("Regulators told firms that want the H100 to explain why local parts fall short.")
    assert ("require_approval", "H100") in got


def test_staying_at_home_is_a_ban() -> None:
    got = _facts("The official said the B200 would also stay at home.")
    assert ("ban_export", "B200") in got


def test_policy_that_does_not_cover_a_chip_bans_it() -> None:
    assert ("ban_export", "Rubin") in _facts("The new deal does not cover Rubin.")


def test_within_the_limits_is_a_permission() -> None:
    got = _facts("The company built the A800, which was within the limits at the time.")
    assert ("allow_export", "A800") in got


def test_counterfactual_sale_is_no_policy() -> None:
    assert not _facts("Analysts said Nvidia could sell the H200 if it wanted to.")
    assert not _facts("Nvidia could sell far more H20 chips if Beijing allowed it.")


def test_headline_ban_on_generic_chips_is_not_the_named_chip() -> None:
    got = _facts("Washington issues rule on H20 licences, keeps ban on top chips")
    assert ("ban_export", "H20") not in got
    assert ("ban_export", None) in got


def test_asking_for_the_same_arrangement_is_no_permission() -> None:
    text = ("Commerce let Nvidia sell the H20 to China. "
            "AMD plans to ask for permission to sell its MI308 under the same arrangement.")
    assert ("allow_export", "MI308") not in {(f.action, f.chip) for f in extract_policy(text)}


def test_threshold_named_before_its_figure_keeps_the_value() -> None:
    facts = [f for f in extract_policy(
        "Processors above a total processing performance of 4800 need a licence.")
        if f.action == "require_approval"]
    assert any(f.metric == "tpp" and f.value == 4800 for f in facts)


# Rules first found on tests/data/heldout12 (round 8).

def test_headline_verb_after_a_country_is_a_ban() -> None:
    assert ("ban_export", None) in _facts("Japan restricts sales of lithography tools to China")
    assert ("ban_export", "B200") in _facts("Washington curbs B200 exports after review")


def test_country_noun_phrase_is_no_ban() -> None:
    assert not _facts("US curbs on B200 exports weighed on the shares of the company.")


def test_closing_the_door_on_a_chip_is_a_ban() -> None:
    got = _facts("Officials shut the door on the L40S and the B30A for Chinese buyers.")
    assert ("ban_export", "L40S") in got and ("ban_export", "B30A") in got


def test_chip_covered_by_the_rules_is_banned() -> None:
    assert ("ban_export", "MI325X") in _facts("AMD confirmed that its MI325X is covered by the new rules.")


def test_few_licences_granted_is_a_ban_not_a_permission() -> None:
    got = _facts("Regulators expect that few such permits will be granted for the B200.")
    assert ("allow_export", "B200") not in got
    assert ("ban_export", "B200") in got


def test_declining_to_renew_a_licence_is_a_ban() -> None:
    assert ("ban_export", None) in _facts("Tokyo declined to renew the export licence for the etching tools bound for China.")


def test_putting_goods_under_licence_requires_approval() -> None:
    assert ("require_approval", None) in _facts("Seoul puts its newest memory chips under licence for China.")


def test_approving_restrictions_is_a_ban() -> None:
    assert ("ban_export", None) in _facts("Taiwan approved new restrictions on 12 kinds of chip tools last week.")


def test_told_to_stop_shipping_is_an_export_ban() -> None:
    got = _facts("AMD said it was told to stop shipping the MI308 to China.")
    assert ("ban_export", "MI308") in got
    assert ("restrict_purchase", "MI308") not in got


def test_tightening_its_chip_export_rules_is_a_ban() -> None:
    assert ("ban_export", None) in _facts("Commerce has tightened its chip export rules for the region.")


def test_foreign_curbs_named_as_a_motive_are_no_ban() -> None:
    assert not _facts("Analysts saw the step as a reply to Western curbs on chip technology.")


def test_quote_keeps_the_subject_before_a_relative_clause() -> None:
    facts = [f for f in extract_policy(
        "Rare-earth magnets, which go into motors and drones, will need a permit from June.")
        if f.action == "require_approval"]
    assert facts and facts[0].quote.startswith("Rare-earth magnets")


# Round 11 (heldout16): headlines and reversals.

def _full(sentence: str) -> set[tuple[str, str | None, str | None]]:
    return {(f.action, f.chip, f.actor) for f in extract_policy(sentence)}


def test_headline_cut_is_a_fee_on_the_cleared_chip() -> None:
    facts = extract_policy("White House clears MI308 shipments to China for a 25% cut")
    assert ("allow_export", "MI308") in {(f.action, f.chip) for f in facts}
    fees = [f for f in facts if f.action == "fee"]
    assert fees and fees[0].value == 25 and fees[0].unit == "%" and fees[0].chip == "MI308"


def test_rule_told_through_its_reversal_is_a_past_ban() -> None:
    facts = [f for f in extract_policy(
        "The administration will let AMD ship MI308 boards to Chinese buyers again, reversing "
        "a policy that had kept the chip out of the country.") if f.action == "ban_export"]
    assert [(f.chip, f.actor, f.status) for f in facts] == [("MI308", "US", "enacted")]
    assert facts[0].quote == "reversing a policy that had kept the chip out of the country"


def test_keeping_a_chip_out_without_a_reversal_is_still_a_ban() -> None:
    assert ("ban_export", "H100") in _facts("Until now the rules kept the H100 out of China.")
    assert ("ban_export", "H100") in _facts("The rules kept these H100 processors out of China.")


def test_headline_order_to_justify_purchases_is_beijings_approval() -> None:
    assert ("require_approval", "MI308", "China") in _full(
        "Beijing orders cloud providers to justify MI308 purchases")


def test_setting_conditions_on_shipments_is_other() -> None:
    got = _full("Washington sets conditions for MI308 exports")
    assert ("other", "MI308", "US") in got
    assert not any(a == "allow_export" for a, _, _ in got)


def test_showing_domestic_chips_fall_short_is_beijings_approval() -> None:
    assert ("require_approval", None, "China") in _full(
        "Under the new rules, buyers have to demonstrate that local processors cannot do the job.")
    assert ("require_approval", None, "China") in _full(
        "Buyers must show that homegrown alternatives cannot meet their needs.")
    # a justification that names no domestic chip keeps the default
    assert ("require_approval", None, "US") in _full(
        "Exporters must prove that the sales do not help the military.")


def test_scrapping_a_cap_gives_the_repeal_and_the_old_ban() -> None:
    facts = extract_policy("Trump scrapped a Biden-era rule that capped sales of the A100 to Gulf "
                           "states.")
    got = {(f.action, f.chip, f.actor) for f in facts}
    assert ("other", "A100", "Trump") in got
    assert ("ban_export", "A100", "US") in got
    bans = [f for f in facts if f.action == "ban_export"]
    assert bans and all(f.status == "enacted" for f in bans)
    assert bans[0].quote.startswith("scrapped a Biden-era rule that capped")


def test_plain_policy_subject_keeps_its_actor_when_nothing_is_undone() -> None:
    got = _full("Trump capped sales of the A100 to Gulf states.")
    assert ("ban_export", "A100", "Trump") in got
