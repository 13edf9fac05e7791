"""A trigger match -> a candidate statement, or nothing.

The mode of the trigger row says how the action is decided (see rules/triggers_en.toml);
the guards of rules/guards.toml drop hypotheticals, opinions, pleas from abroad,
adjectives and mentions, or change the action (a merger approval is a competition ruling).
"""

from __future__ import annotations

import re

from chipwatch.extractors.actors import actor_family, ActorMention
from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.language.sentences import Span
from chipwatch.extractors.policy.chips_for import _chips_for
from chipwatch.extractors.policy.clauses import (
    _chip_near,
    _chip_object,
    _clause_form_ok,
    _clause_left,
    _domain,
)
from chipwatch.extractors.policy.context import _JA_CHARS
from chipwatch.extractors.policy.records import _Candidate
from chipwatch.extractors.policy.tables import GUARDS, guard, words
from chipwatch.extractors.policy.values import _limit_value, _threshold

_I = re.IGNORECASE

_LIMITING = words("limiting")
_PURCHASE_WORDS = words("purchase_words")


_HYPOTHETICAL = guard("hypothetical")


# "weighing whether to allow" is a deliberation, not an open question.
_DELIBERATE_WHETHER = guard("deliberate_whether")


# The other side asking Washington to act: an opinion, labeled nowhere (heldout20 z03).
_FOREIGN_PLEADER = guard("foreign_pleader")


_MERGER_WORDS = guard("merger_words")


_ADJECTIVAL = guard("adjectival")


_PASSIVE_BEFORE = guard("passive_before")


_SUBJECT_GOODS = words("subject_goods")


# Goods a buyer is told to drop: "foreign processors", "Intel and AMD processors".
_FOREIGN_GOODS = words("foreign_goods")


_ADVICE = guard("advice")


_EXCLUDE_SUBJECTS = guard("exclude_subjects")


_FROM_ING = guard("from_ing")


_UNGATED = {"allow_g": "allow_fixed", "ban_g": "ban_fixed", "purchase_g": "purchase_fixed",
            "approval_g": "approval", "review_g": "review"}


# "... only after the ministry approves each purchase": the limit is the approval itself.
_ONLY_AFTER_APPROVAL = re.compile(
    r"\bonly\s+(?:after|once|when|if)\s+(?:[\w’'-]+\s+){0,5}?(?:approv|signs?\s+off|"
    r"clears?\b|cleared\b|authori[sz])", _I)
# "urged platforms to shun it" after "turned on the chip": the pronoun is the product.
_CHIP_NOUN = re.compile(r"\b(?:chips?|GPUs?|accelerators?|processors?|parts?)\b", _I)


def _candidate(mode: str, m: re.Match[str], s_text: str, sentence: Span,
               actors: list[ActorMention], chips: list[ChipMention],
               merger_context: bool = False, china_story: bool = False,
               chip_before: bool = False) -> _Candidate | None:
    """What one trigger match proposes, or None. `chip_before`: the previous sentence
    names a chip (what a bare "it" can stand for)."""
    gated_form = mode in _UNGATED
    mode = _UNGATED.get(mode, mode)
    start, end = m.start(), m.end()
    before = s_text[:start]
    if gated_form and not _clause_form_ok(m.group(0), before, chips, start):
        return None
    clause_left = _clause_left(s_text, start)
    hypo = _HYPOTHETICAL.search(clause_left[-70:])
    if hypo and hypo.group(0).lower().startswith("should") and _ADVICE.search(before[-160:]):
        hypo = None  # "advised members that they should be cautious": the advice itself
    if hypo and mode not in ("threshold", "limit_value") and not (
            hypo.group(0).lower() == "whether" and _DELIBERATE_WHETHER.search(clause_left)):
        return None
    if GUARDS["analyst_expectation"].look(s_text, start, end):
        return None  # "analysts expect Beijing to approve ...": a guess, not a measure
    if GUARDS["ja_speculation_after"].look(s_text, start, end):
        return None  # "禁止する可能性は低い": how likely a measure is, not the measure
    if GUARDS["options_weighed"].look(s_text, start, end):
        return None  # "options ranged from exporting nothing to allowing the H200": weighed
    if (GUARDS["counterfactual_modal"].look(s_text, start, end) or re.search(r"\b(?:could|would|might)\b",
                                                                 m.group(0), _I)) and GUARDS["counterfactual_if"].look(s_text, start, end):
        return None  # "could sell the H200 if it wanted to": a possibility, not a rule
    if mode in ("allow", "ban", "allow_fixed", "ban_fixed") and GUARDS["opinion"].look(s_text, start, end):
        return None  # "accused Washington of abusing controls to block ...": a charge, no rule
    if mode == "allow_fixed" and re.match(r"issu", m.group(0), _I) and \
            GUARDS["issuing_role"].look(s_text, start, end):
        return None  # "the Commerce Department, which will issue the licences": its role
    if mode in ("allow", "allow_fixed") and GUARDS["bar_before_grant"].look(s_text, start, end):
        return None  # "would bar Commerce from approving licences": the bar is the rule
    if mode in ("allow", "allow_fixed") and GUARDS["before_grant"].look(s_text, start, end):
        return None  # "notify Congress before granting any licence": a condition, no grant
    if mode == "allow_fixed" and GUARDS["only_after_grant"].look(s_text, start, end) and (
            "only" in before[-16:].lower() or GUARDS["modal_in_clause"].look(s_text, start, end)):
        cand = _Candidate(action="require_approval", trig_start=start, trig_end=end,
                          sentence=sentence)
        cand.chips = _chips_for(cand, chips, s_text)
        return cand  # "shipments would start only after licences were issued": a licence duty
    if mode == "ban" and re.match(r"(?:cap|caps|capped|capping|limited|limiting)$", m.group(0), _I) \
            and GUARDS["capped_at_chip"].look(s_text, start, end):
        cand = _Candidate(action="allow_export", trig_start=start, trig_end=end, sentence=sentence)
        cand.chips = _chips_for(cand, chips, s_text)
        return cand  # "rules that capped sales at the cut-down H20": the H20 was the ceiling
    plea_m = GUARDS["plea"].look(s_text, start, end)
    plea = bool(plea_m)  # "pressed the administration to ...": asked for
    if plea_m and _FOREIGN_PLEADER.search(before[-120:][:plea_m.start()][-80:]):
        return None  # "Beijing urged Washington to lift restrictions": a demand, not a measure
    if mode in ("allow", "ban") and GUARDS["purpose"].look(s_text, start, end):
        return None  # "part of an effort to curb the industry": a motive, not a measure
    negated = bool(GUARDS["negation_before"].look(s_text, start, end) or _SUBJECT_NEGATED.search(clause_left))
    if _MENTION_FRAME.search(clause_left[-120:]) and not re.search(
            r"\b(?:said|says|told|announced|confirmed)\b", clause_left[-60:], _I):
        return None  # "asked Nvidia for comment on the licence requirement": named, not stated
    if GUARDS["no_or_few_before"].look(s_text, start, end):
        negated = True  # "no applications for the B30A had been approved"
    word0 = m.group(0).lower()
    if mode in ("allow", "ban", "allow_fixed") and word0.endswith("ing") and \
            not clause_left.strip() and re.search(r"\b(?:would|could|might)\b", s_text[end:end + 80], _I):
        return None  # "Allowing the H200 would give Chinese labs a jump": an argument
    if mode in ("allow", "allow_fixed") and GUARDS["if_condition"].look(s_text, start, end):
        return None  # "if Beijing allowed it": a condition of someone's estimate
    if re.search(r"(?:requirements?|rules?|ban|controls|restrictions|curbs)$", word0) and (
            GUARDS["time_mark_before"].look(s_text, start, end)
            or (GUARDS["named_rule_before"].look(s_text, start, end)
                and GUARDS["and_the_after"].look(s_text, start, end))):
        return None  # "before this year's licence requirement": a time mark, not a rule
    if re.match(r"(?:limited|restricted|constrained|capped|bound|held\s+back|bottlenecked)$",
                m.group(0), _I) and GUARDS["technical_bound"].look(s_text, start, end) and not any(
            end < a.start <= end + 30 for a in actors):
        return None  # "limited by memory bandwidth": a technical bound, no one's rule
    cand = _Candidate(action="other", trig_start=start, trig_end=end, sentence=sentence)
    if mode == "allow" and GUARDS["lapse_after"].look(s_text, start, end):
        return None  # "allowed the licences to lapse": a permission ended, see en_ban_waiver_lapse
    if mode == "allow":
        if GUARDS["duty_before_allow"].look(s_text, start, end):
            return None  # "each buyer must allow inspectors": a duty, not a permission
        if GUARDS["licence_before_approved"].look(s_text, start, end):
            return None  # "a licence approved in advance" asks for approval, grants nothing
        if GUARDS["buyers_after_sign_off"].look(s_text, start, end):
            cand.action = "require_approval"  # "will sign off on each buyer": vets who may buy
            cand.chips = _chips_for(cand, chips, s_text)
            return cand
        if m.group(0).lower() in ("permit", "permits") and GUARDS["permit_noun_issued"].look(s_text, start, end):
            return None  # "permits were issued": the noun, stated by the issuing trigger
        if m.group(0).lower().startswith("permit") and GUARDS["noun_before"].look(s_text, start, end):
            return None  # "apply for the permit": a document, not a permission
        if GUARDS["reduced_relative"].look(s_text, start, end):
            return None  # "the models Nvidia is permitted to sell": describes the models
        word = m.group(0).lower()
        if word in ("approved", "authorised", "authorized", "permitted", "cleared", "okayed",
                    "approval") and GUARDS["approved_party"].look(s_text, start, end):
            return None  # "approved customers": who may buy, stated by the approval trigger
        if word in ("approved", "authorised", "authorized", "licensed", "permitted", "cleared") \
                and GUARDS["determiner_before"].look(s_text, start, end):
            return None  # "not on an approved list": an adjective, not a permission
        if word.endswith("ed") and _adverbial_participle(s_text, start, end):
            return None  # "Nvidia's previously approved H20": an adjective, not a permission
        if merger_context and GUARDS["relative_before"].look(s_text, start, end) \
                and _MERGER_WORDS.search(before[-140:]):
            cand.action = "other"  # "the takeover, which regulators cleared in 2020"
            cand.chips = [None]
            return cand
        if GUARDS["merger_object"].look(s_text, start, end) or (
                merger_context and GUARDS["deal_object"].look(s_text, start, end)):
            cand.action = "other"  # a merger approval is a competition ruling
            cand.chips = [None]
            return cand
        domain = _domain(s_text, start, end)
        if GUARDS["supply_to_china"].look(s_text, start, end):
            domain = "export"  # "would not let China have our best chips": supply to China
        if domain is None and china_story and (_chip_object(chips, s_text, end)
                                               or _relative_of_chip(chips, s_text, start)):
            domain = "export"  # "might allow a Blackwell chip", "the H20, which Commerce cleared"
        if domain is None and not (_chip_near(chips, start, end, 60)
                                   and re.search(r"\bChin|Beijing", s_text)):
            return None
        if domain == "purchase":
            window = s_text[max(0, start - 30):end + 60]
            if not negated and word.startswith(("approv", "authori", "clear", "sign")) and \
                    (GUARDS["purchase_object"].look(s_text, start, end) or GUARDS["purchases_object_loose"].look(s_text, start, end)):
                cand.action, cand.default_actor = "require_approval", "China"
                cand.chips = _chips_for(cand, chips, s_text)
                return cand  # "regulators approved purchases of the H200": a buyer's approval
            if not negated and GUARDS["deal_subject"].look(s_text, start, end) and \
                    not re.search(r"\bChin|Beijing", s_text):
                cand.action = "allow_export"  # "the deals allow G42 to buy ...": supply let through
                cand.chips = _chips_for(cand, chips, s_text)
                return cand
            if negated and word.startswith(("approv", "authori", "clear", "sign")):
                # "Beijing has not approved the imports": approval still outstanding
                # (convention section 11), not a ban on buying
                cand.action, cand.default_actor = "require_approval", "China"
                cand.chips = _chips_for(cand, chips, s_text)
                return cand
            if negated:
                cand.action, cand.negated = "restrict_purchase", True  # "will not let them buy"
                cand.chips = _chips_for(cand, chips, s_text)
                return cand
            if not _LIMITING.search(window) and not re.search(r"\bonly\b", clause_left, _I):
                return None
            only_after = _ONLY_AFTER_APPROVAL.search(s_text)
            if only_after and start < only_after.end():
                return None  # "let firms buy it only after regulators approve": en_approval_only_after
            cand.action = "restrict_purchase"
        elif negated:
            cand.action, cand.negated = "ban_export", True
        else:
            cand.action = "allow_export"
    elif mode == "ban":
        word = m.group(0).lower()
        verb_form = word in ("restricts", "prohibits", "forbids", "outlaws") or (
            word.endswith("s") and GUARDS["sales_object"].look(s_text, start, end))
        if not word.endswith(("ed", "ing")) and " " not in word and not verb_form and GUARDS["noun_phrase_before"].look(s_text, start, end):
            return None  # "the ban", "a limit": a noun, not a statement of its own
        if GUARDS["money_object"].look(s_text, start, end):
            return None  # "the Constitution bars taxes on exports": about money, not goods
        if GUARDS["to_vetted"].look(s_text, start, end):
            return None  # "limited to vetted customers": the approval trigger states it
        if word.endswith("ed") and (_adverbial_participle(s_text, start, end)
                                    or GUARDS["after_permission_verb"].look(s_text, start, end)):
            return None  # "Nvidia's long-restricted H20", "the rules permit limited exports"
        if word.endswith("ed") and _ADJECTIVAL.search(before[-12:]) and \
                not _PASSIVE_BEFORE.search(before[-25:]):
            after = s_text[end:end + 25]
            if not re.match(r"\s+(?:from|to|by|the|sale|sales|exports?|purchases?|imports?|buying)\b",
                            after, _I) and \
                    not _FROM_ING.match(s_text[end:end + 80]):
                return None  # "the restricted H20": an adjective, not a statement
        if negated:
            return None
        domain = _domain(s_text, start, end)
        from_ing = _FROM_ING.match(s_text[end:end + 80])
        if from_ing:
            verb = from_ing.group(1).lower()
            domain = "purchase" if _PURCHASE_WORDS.match(verb) else "export"
            if domain == "purchase" and re.match(
                    r"\s*(?:\w+\s+){0,2}?(?:American|US|U\.S\.)\s+(?:chips|technology|"
                    r"components|parts|suppliers|software|equipment|products)",
                    s_text[end + from_ing.end():end + from_ing.end() + 40]) and not any(
                    a.actor in ("China", "MOFCOM", "CAC") and a.end <= start for a in actors):
                domain = "export"  # kept from buying US goods: a US export control
        if GUARDS["buyers_object"].look(s_text, start, end) and re.search(r"\bChin|Beijing", s_text):
            domain = "purchase"  # "Beijing limits buyers": who may buy, not what ships
        if GUARDS["company_from_use"].look(s_text, start, end) and any(
                actor_family(a.actor) == "China" and a.end <= start for a in actors):
            domain = "purchase"  # "China bars Micron from key networks": its buyers may not use it
        if GUARDS["access_object"].look(s_text, start, end):
            domain = "export"  # "restricted China's access to advanced chips": a supply control
        passive = _PASSIVE_BEFORE.search(before[-25:])
        if domain is None and word.startswith(("cut", "choke")):
            domain = "export"  # "cut Chinese fabs off from US tools": supply is what is cut
        if domain is None:
            if passive and (_SUBJECT_GOODS.search(before[-60:])
                            or _chip_near(chips, start - 30, start, 10)):
                domain = "export"
            elif _chip_near(chips, end, end + 1, 25) and re.search(r"\bChin|Beijing", s_text):
                domain = "export"
            elif china_story and (_chip_object(chips, s_text, end)
                                  or _relative_of_chip(chips, s_text, start)):
                domain = "export"  # "banned the A100", "the B30A, which Washington bars"
            else:
                return None
        if word in ("stop", "stops", "stopped", "stopping", "halt", "halts", "halted",
                    "halting", "cease", "ceases", "ceased", "ceasing", "suspend",
                    "suspends", "suspended", "suspending"):
            obj = s_text[end:end + 60]
            if re.match(r"\s+(?:its|the|this|that|their)\s+(?:own\s+)?order\b(?!s)", obj, _I):
                return None  # "suspended its order": a government directive, not purchases
            if not re.match(r"\s+(?:\w+\s+){0,3}?(?:shipments?|sales|exports?|selling|"
                            r"shipping|exporting|orders?|purchases?|buying|deliveries|"
                            r"imports?)\b", obj, _I) and not (
                    passive and GUARDS["goods_subject_before"].look(s_text, start, end)):
                return None
        cand.action = "ban_export" if domain == "export" else "restrict_purchase"
        if cand.action == "restrict_purchase" and any(
                a.end <= start and a.subject_ok and actor_family(a.actor) == "US" for a in actors) \
                and not any(actor_family(a.actor) == "China" for a in actors):
            cand.action = "ban_export"  # "the diffusion rule capped what countries could buy"
        if GUARDS["attempt"].look(s_text, start, end):
            cand.action, cand.status_override = "other", "proposed"
    elif mode in ("ban_fixed", "ban_list"):
        cand.action = "ban_export"
        cand.negated = bool(re.match(r"(?:not|neither|none|nor|excluded|off)", m.group(0), _I))
        if re.match(r"rul", m.group(0), _I) and _domain(s_text, start, end) == "purchase" and \
                re.search(r"\b(?:purchases?|procure\w*|buy\w*|orders?)\b", s_text[end:end + 60], _I):
            cand.action = "restrict_purchase"  # "procurement rules rule out such machines"
    elif mode == "ban_neg":
        if m.group(0).lower().startswith("exclud"):
            if not _EXCLUDE_SUBJECTS.search(before):
                return None  # only what a licence, deal or rule leaves out
        elif not (chips or re.search(r"\bChin(?:a|ese)\b|\bBeijing\b", s_text[end:end + 80])):
            return None  # "not sold to": a chip or China must be in view
        cand.action, cand.negated = "ban_export", True
    elif mode == "resume":
        # A resumption is a permission only about a named chip, stated as a fact or plan:
        # not "filed applications to resume shipments" (a request) nor "resuming the sales
        # was part of the talks" (a noun phrase).
        if not chips or GUARDS["request_before_resume"].look(s_text, start, end):
            return None
        if m.group(0).lower().startswith(("resuming", "restarting")) and GUARDS["resuming_as_noun"].look(s_text, start, end):
            return None
        cand.action, cand.negated = ("ban_export", True) if negated else ("allow_export", False)
        if re.match(r"(?:revers|did\b)", m.group(0), _I):
            # "banned the H20 and reversed course": what is reversed was named before it
            before_chips = [c for c in chips if c.end <= start]
            if not before_chips or negated:
                return None
            cand.chips = [before_chips[-1]]
            return cand
    elif mode == "allow_fixed":
        if negated and GUARDS["not_yet"].look(s_text, start, end):
            return None  # "has not yet received licences": pending, neither grant nor ban
        if negated and re.search(r"\bwithout\b", m.group(0), _I):
            return None  # "cannot be exported without a licence": the licence duty states it
        if negated:
            cand.action, cand.negated = "ban_export", True
        else:
            cand.action = "allow_export"
    elif mode == "extend":
        if negated:
            return None
        cand.action, cand.chip_free = "allow_export", True
        named = [c for c in chips if 0 <= c.start - end <= 25]
        if named and m.group(0).lower().startswith("extend"):  # "extend the arrangement to AMD's MI325X": a grant for that chip
            cand.chip_free, cand.chips = False, [*named[:1]]
            return cand
    elif mode == "purchase" and _JA_CHARS.search(m.group(0)):
        cand.action = "restrict_purchase"
    elif mode == "purchase":
        tail = s_text[end:end + 90]
        head = s_text[start:end]
        if re.search(r"(?:stop|halt|cease|suspend|pause)$", head, _I) and re.match(
                r"\s+(?:sending|shipping|selling|exporting|supplying|delivering)\b", tail, _I):
            cand.action = "ban_export"  # "told to stop sending the A100 to China": a supply stop
            cand.chips = _chips_for(cand, chips, s_text)
            return cand
        if not (_PURCHASE_WORDS.search(head + tail[:40])
                or re.search(r"\b(?:orders?|purchases?|buying|imports?)\b", tail, _I)
                or (re.match(r"\s+(?:testing|using|deploying|ordering|importing)\b", tail, _I)
                    and _chip_near(chips, end, end + 1, 40))
                or _FOREIGN_GOODS.search(tail[:70])
                or (re.search(r"(?:avoid|shun|ditch|drop|remove|replace|out)$", head, _I)
                    and (_chip_near(chips, end, end + 1, 30) or re.match(
                        r"\s+(?:the|this|that|its)\s+(?:chip|part|processor|accelerator|GPU)s?\b",
                        tail, _I) or (re.match(r"\s+(?:it|them)\b", tail, _I) and (
                            chips or chip_before or _CHIP_NOUN.search(s_text[:start])))))):
            return None
        cand.action = "restrict_purchase"
    elif mode == "purchase_fixed":
        cand.action = "restrict_purchase"
        if re.search(r"violat|breach|break", m.group(0), _I):
            cand.default_actor = "US"  # using a listed chip breaks US controls: Washington's rule
    elif mode == "review":
        if negated:
            return None
        if GUARDS["review_outcome"].look(s_text, start, end):
            return None  # "products had failed a security review": the outcome, stated elsewhere
        if GUARDS["customer_before"].look(s_text, start, end) and re.match(r"(?:vetted|screened|approved)",
                                                               m.group(0), _I):
            return None  # "customers vetted by Commerce": who may buy, an approval rule
        if re.match(r"(?:to\s+)?be\s+(?:vetted|screened|approved)", m.group(0), _I) and GUARDS["buyers_must_be"].look(s_text, start, end):
            cand.action = "require_approval"  # "buyers will have to be vetted by Commerce"
            cand.chips = _chips_for(cand, chips, s_text)
            return cand
        if re.match(r"(?:checks|inspections|reviews|audits)\s", m.group(0), _I) and \
                not _chip_near(chips, end, end + 1, 40):
            return None  # "the checks target chips brought in ...": only about named chips
        cand.action = "require_review"
    elif mode == "review_up":
        if negated:
            return None
        # Customs stepping up checks on incoming chips hold back purchases (as the sets
        # label them); checks on outgoing goods are export reviews.
        imports = re.search(r"\b(?:customs|import\w*|incoming|brought\s+in|entering)\b", s_text, _I)
        exports = re.search(r"\b(?:bound\s+for|export\w*|outgoing|transit|shipments\s+to)\b",
                            s_text, _I)
        cand.action = "restrict_purchase" if imports and not exports else "require_review"
    elif mode == "approval":
        if negated or GUARDS["exempt_before"].look(s_text, start, end):
            return None  # "exempts gaming chips from the licence requirement": no duty for them
        if GUARDS["licence_to_be_denied"].look(s_text, start, end):
            return None  # "need a licence that will be denied": a ban, which the denial states
        if re.match(r"(?:required|needed|necessary)\b", m.group(0), _I) and GUARDS["determiner_required"].look(s_text, start, end):
            return None  # "withheld the required licence": names the licence, requires nothing
        if GUARDS["certify_home_buyers"].look(s_text, start, end):
            return None  # applicants certifying that US buyers came first: a bill's duty
        if GUARDS["home_supply_proof"].look(s_text, start, end):
            cand.action, cand.default_actor = "other", "US"  # a licence condition on home supply
            cand.chips = _chips_for(cand, chips, s_text)
            return cand
        cand.action = "require_approval"
        if re.search(r"\b(?:justify|explain|prove|demonstrat\w*|show)\b", m.group(0), _I) and \
                re.search(r"\b(?:domestic|local|homegrown|Chinese-made)\b",
                          m.group(0) + s_text[end:end + 60], _I):
            cand.default_actor = "China"  # justify buying foreign over domestic: Beijing's test
    elif mode == "other_gov":
        if re.search(r"withdrawn|rescinded|revoked", m.group(0), _I) and \
                GUARDS["licence_subject_before"].look(s_text, start, end):
            return None  # "the licence ... was withdrawn": a ban, stated by its own row
        cand.action = "other"
    elif mode == "other":
        cand.action = "other"
        if re.search(r"domestic|local|homegrown|indigenous|Chinese-made|国産", m.group(0), _I):
            cand.default_actor = "China"  # buy-domestic policies are Beijing's
        elif re.search(r"\b(?:keep|hold)\b", m.group(0), _I):
            cand.default_actor = "US"  # "must keep the chips away from ...": an export condition
        elif re.match(r"(?:licen[cs]|permit)", m.group(0), _I):
            cand.default_actor = "US"  # "licences are granted only if ...": the licensing state
    elif mode == "threshold":
        return _threshold(m, s_text, sentence, cand)
    elif mode == "limit_value":
        return _limit_value(m, s_text, sentence, cand)
    cand.chips = _chips_for(cand, chips, s_text)
    if _GAPPED_VERB.fullmatch(m.group(0)):
        # "the H200 can go, the Blackwell cannot": each half is about the chip just before it
        near = [c for c in chips if 0 <= start - c.end <= 12]
        cand.chips = [near[-1]] if near else [None]
    if plea:
        cand.status_override = "proposed"
        if cand.action == "allow_export" and GUARDS["stop_before"].look(s_text, start, end):
            cand.action = "ban_export"  # "to stop granting such licences": asked for a ban
    elif cand.action == "ban_export" and (undone := GUARDS["former_rule"].look(s_text, start, end)):
        cand.former_start = len(before) - len(before[-120:]) + undone.start()
        cand.status_override = "enacted"  # the rule being undone was in force
    return cand


_GAPPED_VERB = guard("gapped_verb")


def _adverbial_participle(s_text: str, start: int, end: int) -> bool:
    """ "Nvidia's previously approved H20", "the long-restricted A100": a participle with an
    adverb after a determiner or possessive modifies the noun that follows."""
    if not GUARDS["adverbial_participle"].look(s_text, start, end):
        return False
    return not GUARDS["participle_complement"].look(s_text, start, end)


def _relative_of_chip(chips: list[ChipMention], s_text: str, start: int) -> bool:
    """The trigger's clause is a relative clause on a named chip: "the B30A, which
    Washington still bars" states the chip's status (the chip is the verb's object)."""
    hit = GUARDS["relative_of_chip"].look(s_text, start, start)
    if hit is None:
        return False
    at = max(0, start - (GUARDS["relative_of_chip"].window or start)) + hit.start()
    return any(0 <= at - c.end <= 12 for c in chips)


# A negated subject makes the clause deny what its verb grants: "Neither the B300 nor the
# B30A is licensed", "no applications for the B30A had been approved".
_SUBJECT_NEGATED = guard("subject_negated")


# A policy named inside a request or a time phrase is a mention, not a statement.
_MENTION_FRAME = guard("mention_frame")
