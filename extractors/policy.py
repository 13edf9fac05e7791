"""Policy statements: who allows, bans, restricts, reviews, approves or charges what.

The extractor reads one sentence at a time. A *trigger* (a verb or noun phrase of the
language of export control: "allow ... to export", "banned the sale", "security review",
"approved customers", "a 25% fee", "輸出を認める") gives the action; the sentence around it
gives the chip(s), the actor (the nearest acting subject, else the speaker, else the agent
of a passive, else the usual actor for that action), the status (hedges such as
"is considering", "plans to", "reportedly"), negation ("declined to allow" is a ban), the
attribution ("according to the Financial Times") and the target country. The quote is the
shortest run of clauses holding the trigger, the chip and the figure.

`negated` is True when the statement was made by negating the opposite ("will not
allow", "neither of which are part of this deal"); `action` already holds the effective
meaning (ban_export), so consumers must not flip it again.
"""

from __future__ import annotations


import logging
import re
from functools import lru_cache
from dataclasses import dataclass, field, replace

from chipwatch.extractors.actors import (
    ACTOR_INFO,
    ActorMention,
    actor_family,
    canonical_actor,
    find_actors,
    is_governmental,
)
from chipwatch.extractors.chips import ChipMention, find_chips
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.language.numbers import Quantity, find_quantities
from chipwatch.extractors.language.sentences import Span, clauses, split_sentences, tight

log = logging.getLogger(__name__)

NAME = "policy"
VERSION = "22"  # bump whenever the facts produced for a text can change

_I = re.IGNORECASE
_JA_CHARS = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# ------------------------------------------------------------------ trigger lexicon
# Each trigger: (mode, pattern). The mode says how the action is decided:
#   allow    - permission verbs; export context -> allow_export, purchase context with
#              "only/limited" -> restrict_purchase; negated -> ban_export
#   ban      - prohibition verbs; export context -> ban_export, purchase -> restrict_purchase
#   ban_fixed, allow_fixed, extend, purchase, review, approval, other - fixed actions
#   threshold - a performance threshold of a rule (ban_export with metric/value)
#   limit_value - a rule limiting a spec to a figure (ban_export with value)

_W = r"(?:[\w’'.-]+\s+)"  # one word and its space, for short gaps

_EN_TRIGGERS: list[tuple[str, str]] = [
    ("allow",
     r"\b(?:allow|allows|allowed|allowing|permit|permits|permitted|permitting|"
     r"authori[sz]e|authori[sz]es|authori[sz]ed|authori[sz]ing|authori[sz]ation|"
     r"(?<!\bmust\s)(?:approve|approves|approved|approving)|approval(?=\s+(?:of|for|to)\b)|"
     r"green[- ]?(?:light(?:s|ed|ing)?|lit)|"
     r"clear(?:s|ed|ing)?\s+the\s+way|cleared|clears|okay(?:s|ed)?|"
     r"sign(?:s|ed)?\s+off\s+on|let|lets|letting|unblock(?:s|ed)?|"
     r"re-?open(?:s|ed|ing)?\s+(?:the\s+)?(?:door|sales|exports|market))\b"
     r"(?!\s+for\b)(?!\s+process)"),
    ("allow_fixed",
     r"\b(?:lift(?:s|ed|ing)?|eas(?:e|es|ed|ing)|relax(?:es|ed|ing)?|loosen(?:s|ed|ing)?|"
     r"scrap(?:s|ped|ping)?|rescind(?:s|ed|ing)?|roll(?:s|ed|ing)?\s+back|"
     r"remov(?:e|es|ed|ing)|waiv(?:e|es|ed|ing))\s+(?:of\s+)?(?:the\s+|its\s+|some\s+|a\s+|"
     r"their\s+)?" + _W + r"{0,3}?(?:ban|bans|restrictions?|curbs?|controls?|embargo|"
     r"licen[cs]e\s+requirements?|entity\s+list|pause|freeze|halt|suspension)\b"),
    # Resumption: "restarted sales of the H20", "shipments resumed".
    ("resume",
     r"\b(?:resum(?:e|es|ed|ing)|restart(?:s|ed|ing)?|re-start(?:s|ed|ing)?|"
     r"recommenc(?:e|es|ed|ing)|reopen(?:s|ed|ing)?|resumption\s+of)\s+(?:[\w’'.-]+\s+){0,3}?"
     r"(?:sales|shipments|exports|deliveries|supplies|shipping|selling|exporting|supplying)\b|"
     r"\b(?:sales|shipments|exports|deliveries)\s+(?:of\s+(?:[\w’'.-]+\s+){1,3})?"
     r"(?:have\s+|has\s+|had\s+|will\s+|would\s+|could\s+|can\s+|may\s+|to\s+)?"
     r"(?:resum(?:e|es|ed|ing)|restart(?:s|ed|ing)?)\b"),
    ("allow_fixed",
     r"\blegal(?:ly)?\s+(?:to\s+)?(?:export(?:ed|able)?|sell|sold|ship(?:ped)?|available)\b|"
     r"\b(?:legally|lawfully)\s+(?:be\s+)?(?:exportable|exported|export|sell|sold|ship|shipped)\b|"
     r"\b(?:eligible|cleared|approved|licensed)\s+for\s+(?:export|sale|shipment)\b|"
     r"\b(?:cleared|approved|licensed)\s+for\s+(?:sale\s+(?:in|to)\s+)?(?:China|Chinese)\b|"
     r"\b(?:sold|shipped|exported|sell|ship|export)\s+(?:[\w’'.-]+\s+){0,5}?without\s+"
     r"(?:a\s+|an\s+|any\s+)?(?:export\s+)?licen[cs]e\b|"
     r"\b(?:fac(?:e|es|ed|ing)|with)\s+no\s+(?:\w+\s+)?(?:limits?|caps?|restrictions?|curbs?|"
     r"controls?)\b"),
    ("allow_fixed",
     r"\b(?:will|would|to|can|may|could|has|have|had)\s+licen[cs]ed?\s+(?:[\w’'.-]+\s+){0,3}?for\s+"
     r"(?:sale|export|shipment)\b|"
     r"\b(?:can|may|will\s+be\s+able\s+to)\s+(?:now\s+)?go\s+to\s+(?:approved|vetted|licensed|"
     r"authori[sz]ed|Chinese|China)\b"),
    ("allow_fixed",
     r"\b(?:receiv(?:e|es|ed|ing)|won|wins|got|gets|was\s+granted|were\s+granted|"
     r"has\s+been\s+granted|have\s+been\s+granted)\s+(?:\w+\s+){0,2}?(?:export\s+)?"
     r"(?:licen[cs]es?|permits?|approvals?|waivers?)\b"),
    ("allow_fixed",
     r"\b(?:issu(?:e|es|ed|ing)|grant(?:s|ed|ing)?|(?<!\bmust\s)approv(?:e|es|ed|ing))\s+" + _W
     + r"{0,3}?(?:licen[cs]es?|permits?|waivers?|exemptions?|exceptions?)\b|"
     r"\b(?:licen[cs]es?|permits?|(?:export\s+)?applications?|they)\s+" + _W
     + r"{0,5}?(?:were|was|have\s+been|has\s+been|had\s+been|are\s+being|were\s+being|was\s+being|"
     r"is\s+being|being|would\s+be|"
     r"will\s+be|could\s+be|would\s+now\s+be|will\s+now\s+be)\s+(?:granted|issued|"
     r"approved)\b"),
    # "The yearly licences cover equipment for existing lines": what a licence lets through.
    ("allow_fixed",
     r"\b(?:licen[cs]es?|permits?|authori[sz]ations?|waivers?|exemptions?)(?!\s+requirements?)"
     r"\s+(?:\w+\s+){0,2}?(?:cover|covers|covered)\b(?!\s+(?:by|only\s+by))"
     r"(?!\s+(?:only\s+)?(?:a\s+single|one|each|a\s+specific|a\s+named)\s+(?:buyer|customer|"
     r"client|end[- ]user|purchaser|company|shipment))"),
    ("allow_fixed",
     r"\bmeets?\s+(?:all\s+|the\s+|every\s+)?(?:\w+\s+){0,2}?(?:conditions|requirements|rules|"
     r"criteria)\s+(?:set|laid\s+down|imposed|attached)\s+by\s+(?:Washington|the\s+US|the\s+U\.S\.|"
     r"Commerce|the\s+(?:US\s+|U\.S\.\s+|American\s+)?government|the\s+administration|"
     r"regulators|the\s+Commerce\s+Department)\b"),
    ("allow_fixed",
     r"\bmeets?\s+" + _W + r"{0,6}?(?:criterion|criteria|threshold|requirements?|rules?)\s+"
     r"(?:for|of|under)\s+" + _W + r"{0,3}?export"),
    ("allow_fixed",
     r"\b(?:falls?|fell|sits?|stays?|stayed|is|are|was|were)\s+(?:just\s+)?(?:below|under|within)\s+(?:the\s+)?"
     r"(?:export[- ]control\s+|export\s+|performance\s+)?(?:thresholds?|limits?|caps?)\b"),
    ("extend",
     r"\b(?:also\s+)?appl(?:y|ies|ied)\s+to\s+" + _W + r"{0,4}?(?:AMD|Intel|"
     r"Advanced\s+Micro\s+Devices|other\s+" + _W + r"{0,3}?(?:chipmakers|companies|firms|"
     r"makers|vendors|suppliers|designers)|rivals)\b|"
     r"\b(?:offered|given|granted|extended)\s+(?:a\s+|the\s+)?(?:similar|same)\s+"
     r"(?:opportunity|deal|arrangement|treatment|terms|access)\b|"
     r"\b(?:can|may|will\s+be\s+able\s+to|are\s+free\s+to)\s+(?:also\s+)?apply\s+for\s+(?:the\s+)?"
     r"(?:same|similar)\s+(?:opportunity|deal|arrangement|treatment|terms|access)\b|"
     r"\bextend(?:s|ed|ing)?\s+(?:the\s+)?(?:same|similar)\s+" + _W
     + r"?(?:deal|arrangement|approach|treatment|terms)\s+to\b"),
    ("ban",
     r"\b(?:ban|bans|banned|banning|bar|bars|barred|barring|block|blocks|blocked|blocking|"
     r"prohibit|prohibits|prohibited|prohibiting|forbid|forbids|forbade|forbidden|"
     r"embargoed|restrict|restricts|restricted|restricting|curb|curbs|curbed|curbing|"
     r"halt|halts|halted|halting|stop|stops|stopped|stopping|cease|ceases|ceased|ceasing|"
     r"suspend|suspends|suspended|suspending|limit|limits|limited|limiting|"
     r"discourag(?:e|es|ed|ing)|(?:cap|caps|capped|capping)(?!\s+at\s+[^.;]{0,40}?\bof\s+the\s+"
     r"(?:volume|number|amount|quantity|total)\b)|"
     r"cut(?:s|ting)?\s+(?:[\w’'.-]+\s+){0,2}?off|choke(?:s|d)?\s+off|outlaw(?:s|ed)?)\b"),
    ("ban_fixed",
     r"\b(?:on|to|from)\s+(?:the|a|its)\s+(?:banned|restricted|prohibited|blocked|"
     r"control(?:led)?)\s+list\b|"
     r"\b(?:are|is|were|was|be|been|being|remain|remains|stay|stays)\s+(?:also\s+|now\s+|"
     r"still\s+|strictly\s+|tightly\s+)?(?:export[- ])?(?:controlled|subject\s+to\s+"
     r"(?:export\s+)?(?:controls|licensing|licen[cs]e\s+requirements))\b|"
     r"\b(?:are|is|were|was|be|been|being|remain|remains|get|gets|got)\s+(?:also\s+|now\s+)?"
     r"caught\b(?!\s+(?:up|out|off|on|in\s+the\s+(?:crossfire|middle)))|"
     r"\b(?:subject\s+to|fac(?:e|es|ed|ing))\s+(?:a\s+|new\s+|tighter\s+|strict\s+|hard\s+)?"
     r"(?:caps?|limits?|restrictions|curbs)\b|"
     r"\b(?:extend|expand|widen|broaden)(?:s|ed|ing)?\s+(?:its\s+|their\s+|the\s+)?(?:own\s+)?"
     r"(?:export\s+)?(?:rules|controls|restrictions|curbs)\s+to\b|"
     r"\boff[- ]limits\b|\boff\s+the\s+table\b|\bexcluded\s+from\b|"
     r"\b(?:would|will|must|should|to)\s+(?:also\s+|still\s+)?stay\s+(?:at\s+home|in\s+(?:America|"
     r"the\s+(?:US|U\.S\.|United\s+States)))\b|"
     r"\b(?:is|are|was|were)\s+not\s+(?:\w+\s+)?part\s+of\s+(?:it|this|that)\b(?=\s*[.,;”\"'])|"
     r"\b(?:widen|broaden|expand|tighten)(?:s|ed|ing)?\s+(?:the|its|their)\s+(?:export\s+)?"
     r"(?:rules|controls|restrictions|curbs)\b(?=\s*,\s*(?:stopping|blocking|barring|catching|"
     r"cutting\s+off))|"
     r"\b(?:policy|deal|decision|approval|agreement|arrangement|plan|licen[cs]e|permit|waiver|offer)"
     r"\s+(?:does|do|did|will|would)\s+not\s+(?:cover|include|extend\s+to)\b|"
     r"\b(?:swept|sweeps?|sweeping)\s+(?:up|in)\b|\bensnar(?:e|es|ed|ing)\b|"
     r"\b(?:rules?|controls?|restrictions?|curbs?|measures?|regulations?)\s+(?:\w+\s+)?"
     r"(?:caught|catch|catches|captured)\b|"
     r"(?:\b(?:may|must|can|shall|could|will)\s+not|\bcannot|\bcan['’]t)\s+exceed\b(?=[^.;]{0,40}\d)|"
     r"\b(?:not|neither\s+of\s+which|none\s+of\s+which|nor)\s+(?:\w+\s+){0,2}?"
     r"(?:part\s+of|included\s+in|covered\s+by)\s+(?:this|the|that|any|a)\s+(?:[\w.’'-]+\s+){0,2}?(?:deal|agreement|"
     r"arrangement|decision|approval|policy|plan|offer|terms)\b"),
    # "will not be offered to Chinese buyers", "would not be sold to other people": needs
    # a chip or China in the sentence (checked in _candidate).
    ("ban_neg",
     r"(?:\b(?:not|never|no\s+longer)|n['’]t)\s+(?:be\s+|been\s+)?(?:offered|sold|shipped|exported|"
     r"supplied|delivered|made\s+available|available|released)\s+(?:to|in|into|for)\b"),
    # "The licences ... exclude upgrades": what a licence or deal leaves out.
    ("ban_neg",
     r"\bexclud(?:e|es|ing)\b(?!\s+from)"),
    # Authorisations taken away: "lost the same status", "status, which Commerce withdrew".
    ("ban_fixed",
     r"\b(?:lost|lose|loses|losing|stripped\s+of)\s+(?:its\s+|their\s+|the\s+|that\s+|this\s+)?"
     r"(?:same\s+)?(?:[\w-]+\s+){0,3}?(?:status|authori[sz]ations?|licen[cs]es?|waivers?|"
     r"exemptions?)\b|"
     r"\b(?:status|authori[sz]ations?|licen[cs]es?|waivers?|exemptions?)\b,?\s+(?:which|that)\s+"
     r"(?:[\w’'.-]+\s+){1,5}?(?:withdrew|withdrawn|revoked|rescinded|pulled|cancell?ed|"
     r"ended|terminated)\b|"
     r"\b(?:withdr(?:ew|aw|aws|awn|awing)|pull(?:s|ed|ing)?|end(?:s|ed|ing)?|terminat(?:e|es|ed|ing))"
     r"\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,3}?(?:status|authori[sz]ations?|"
     r"waivers?|exemptions?)\b"),
    ("ban_fixed",
     r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|revok(?:e|es|ed|ing)|withh(?:o|e)ld(?:s|ing)?|"
     r"(?:refus(?:e|es|ed|ing)|declin(?:e|es|ed|ing))\s+(?:to\s+)?(?:grant|issue|renew|extend)"
     r"(?:\s+\w+)?)\s+" + _W
     + r"{0,3}?(?:licen[cs]es?|licen[cs]e\s+applications?|permits?|export\s+applications?|"
     r"authori[sz]ations?|exemptions?|waivers?)\b|"
     r"\b(?:licen[cs]es?|applications?|requests?)\b[^.;]{0,60}?\b(?:will|would|are|were|is|was)\s+"
     r"(?:be\s+)?(?:\w+ly\s+)?(?:denied|rejected|refused)\b|"
     r"\brul(?:e|es|ed|ing)\s+out\b|"
     r"\b(?:not|no\s+longer|never)\s+(?:be\s+)?(?:shipping|selling|exporting|supplying)\b"
     r"(?=[^.;]{0,80}\b(?:to|in|into)\s+(?:China|Chinese|Beijing)\b)"),
    ("ban_fixed",
     r"\b(?:add(?:s|ed|ing)?|plac(?:e|es|ed|ing)|put(?:s|ting)?|includ(?:e|es|ed|ing))\s+"
     r"(?:[\w’'.,-]+\s+){0,14}?(?:to|on)\s+(?:the\s+|a\s+|its\s+|their\s+)?(?:[\w’'.-]+\s+){0,3}?"
     r"(?:entity|export[- ]control|trade|unverified|military[- ]end[- ]user)\s+"
     r"(?:black)?list\b|\bblacklist(?:s|ed|ing)\b"),
    # "placed 140 entities on the list", "have been on the list since 2019": only where the
    # article has named the list it means.
    ("ban_list",
     r"\b(?:add(?:s|ed|ing)?|plac(?:e|es|ed|ing)|put(?:s|ting)?)\s+(?:[\w’'.,-]+\s+){0,8}?"
     r"(?:to|on)\s+(?:the|its|that)\s+list\b|"
     r"\b(?:been|are|is|were|was|remain(?:s|ed)?|stay(?:s|ed)?)\s+on\s+(?:the|that)\s+list\b"),
    ("ban_fixed",
     r"\b(?:impos(?:e|es|ed|ing)|introduc(?:e|es|ed|ing)|unveil(?:s|ed|ing)?|"
     r"tighten(?:s|ed|ing)?|expand(?:s|ed|ing)?|broaden(?:s|ed|ing)?|establish(?:es|ed|ing)?|"
     r"enact(?:s|ed|ing)?|slap(?:s|ped|ping)?|announc(?:e|es|ed|ing)|adopt(?:s|ed|ing)?|"
     r"approv(?:e|es|ed|ing))\s+" + _W
     + r"{0,3}?(?:export\s+)?(?:restrictions|controls|curbs|bans?|embargo|limits)\s+on\b|"
     r"\b(?:impos(?:e|es|ed|ing)|tighten(?:s|ed|ing)?|expand(?:s|ed|ing)?|"
     r"introduc(?:e|es|ed|ing))\s+(?:its\s+|their\s+|the\s+)?(?:new\s+|further\s+|sweeping\s+|"
     r"stricter\s+|tougher\s+)?(?:chip\s+|semiconductor\s+)?"
     r"export\s+(?:restrictions|controls|curbs|bans?|rules)\b|"
     r"\b(?:ban|restrictions?|curbs?|controls?|embargo|limits?)\s+on\s+(?:the\s+)?"
     r"(?:exports?|sales?|shipments?)\s+of\b|\bexport\s+ban\s+on\b"),
    ("purchase",
     r"\b(?:told|tells|tell|instructed|instructs|ordered|urged|urges|asked|asks|advised|"
     r"advises|directed|directs|guided|guides|called\s+on|pressed|pressured|warned|"
     r"summoned)\s+(?:[\w’'.,-]+\s+){0,10}?(?:not\s+to|to\s+(?:\w+ly\s+)?(?:stop|halt|pause|"
     r"suspend|cancel|avoid|refrain|limit|reduce|curb|shun|ditch|cease|remove|replace|"
     r"phase\s+out|rip\s+out|drop|hold\s+off|hold\s+back|delay|postpone|put\s+off|freeze|"
     r"keep\s+(?:their\s+|its\s+|any\s+)?(?:purchases|orders|imports|buying)\s+(?:[\w’'.,-]+\s+){0,5}?"
     r"(?:to\s+a\s+minimum|low|small|limited)))\b"),
    ("purchase_fixed",
     r"\b(?:must|have\s+to|has\s+to|required\s+to|told\s+to|ordered\s+to)\s+(?:use|buy|deploy|"
     r"source|purchase|install)\s+only\s+(?:domestic\w*|local\w*|Chinese-made|homegrown|"
     r"indigenous)\b|"
     r"\bnot\s+(?:be\s+)?(?:permitted|allowed)\s+(?:to\s+)?(?:enter|into|be\s+imported)\b|"
     r"\b(?:use|using|purchase|purchases|buying|deployment)\s+(?:of\s+)?(?:[\w’'.,-]+\s+){0,14}?"
     r"(?:could|would|may|might|will|can)?\s*(?:violate|breach|break)s?\s+(?:U\.S\.\s+|US\s+|"
     r"American\s+)?export\s+controls\b"),
    ("purchase_fixed",
     r"\b(?:crack(?:s|ed|ing)?\s+down|clamp(?:s|ed|ing)?\s+down|(?:step(?:s|ped)?\s+up|"
     r"intensif\w+|tighten\w*)\s+(?:\w+\s+){0,2}?(?:checks|inspections|scrutiny|"
     r"enforcement|controls))\s+on\s+(?:\w+\s+){0,3}?(?:imports?|purchases?|smuggling)\b|"
     r"\bcustoms\s+(?:[\w’'.,-]+\s+){0,6}?(?:step(?:s|ped)?\s+up|intensif\w+|tighten\w*|"
     r"ramp(?:s|ed)?\s+up)\s+(?:\w+\s+){0,2}?(?:checks|inspections|scrutiny|enforcement)\b|"
     r"\bcustoms\s+(?:[\w’'.,-]+\s+){0,4}?(?:held|hold|holds|holding|have\s+held|had\s+held)\s+"
     r"(?:back|up)\b|\bcustoms\s+(?:[\w’'.,-]+\s+){0,4}?(?:seiz\w+|detain\w*|turn\w*\s+back|"
     r"block\w*|stopp\w+|refus\w+\s+(?:entry|clearance))\b"),
    # Guidance to shun a product: "should be cautious about buying them".
    ("purchase_fixed",
     r"\b(?:cautious|careful|wary)\s+(?:about|in|when|of)\s+(?:buying|using|purchasing|"
     r"procuring|ordering|deploying)\b"),
    ("review",
     r"\b(?:national[- ])?security\s+(?:review|reviews|vetting|checks?|screening|"
     r"inspections?)\b|\b(?:reviewed|vetted|screened|inspected)\s+by\s+(?:\w+\s+){0,2}?"
     r"(?:officials|authorities|government|regulators|agency|Commerce|department)\b|"
     r"\bundergo\w*\s+(?:a\s+|an\s+)?(?:\w+\s+)?(?:review|vetting|screening|inspection)\b|"
     r"\b(?:congressional|interagency|regulatory|case-by-case|government)\s+review\b|"
     r"\bgo(?:es)?\s+through\s+(?:a\s+|an\s+)?(?:\w+\s+)?(?:review|vetting|screening)\b|"
     r"\b(?:reviewed|decided|assessed|evaluated|considered|handled|judged)\s+(?:on\s+a\s+)?"
     r"case[- ]by[- ]case\b|\breviewed\s+under\s+(?:a|the)\s+(?:presumption|policy)\b|"
     r"\bpresumption\s+of\s+denial\b|"
     r"\b(?:open(?:s|ed)?|launch(?:es|ed)?|beg[au]n|start(?:s|ed)?)\s+(?:a\s+|an\s+|the\s+|its\s+)?"
     r"(?:(?:cyber)?security\s+|national[- ]security\s+|formal\s+)?review\s+(?:into|of)\b|"
     r"\b(?:review|reviews|vetting|examination|assessment|screening)\s+of\s+(?:the\s+|their\s+|"
     r"its\s+|any\s+|all\s+)?(?:\w+\s+)?(?:purchases|orders|applications|imports|deals|"
     r"acquisitions)\b|"
     r"\b(?:reviewed|examined|assessed|vetted|considered|processed|handled|evaluated|"
     r"decided|screened)\s+(?:one\s+(?:at\s+a\s+time|by\s+one)|individually|"
     r"on\s+an?\s+individual\s+basis)\b|"
     r"\b(?:examined|scrutini[sz]ed)\s+by\s+(?:\w+\s+){0,2}?(?:officials|authorities|government|"
     r"regulators|agency|ministry|department)\b|"
     r"\b(?:applications?|requests?|licen[cs]es?|bids?)\b[^.;]{0,60}?\b(?:mov\w+\s+forward\s+for|"
     r"go(?:es)?\s+forward\s+for|sent\s+for|submitted\s+for|put\s+(?:up\s+)?for|"
     r"under|pending|awaiting)\s+(?:\w+\s+)?review\b|"
     r"\b(?:must|required\s+to|have\s+to|has\s+to|need\s+to|needs\s+to|shall|will\s+have\s+to|"
     r"would\s+have\s+to)\s+(?:also\s+|first\s+)?(?:notify|inform|alert|(?:give|provide|file|"
     r"submit)\s+(?:[\w’'.-]+\s+){0,7}?(?:notice|notification))\b|"
     r"\brequir(?:e|es|ed|ing)\s+(?:[\w’'.-]+\s+){0,3}?to\s+(?:first\s+)?(?:notify|inform|alert)\b|"
     r"\b(?:advance|prior)\s+(?:notice|notification)\b|"
     r"\b(?:must|will|would|shall|to)\s+(?:first\s+)?be\s+(?:\w+ly\s+)?(?:tested|inspected|"
     r"vetted|screened|audited)\b|\b(?:third[- ]party|independent)\s+(?:testing|"
     r"inspections?|audits?)\b"),
    ("approval",
     r"\b(?:limited|restricted|confined)\s+to\s+(?:[\w-]+\s+){0,3}?(?:customers|buyers|clients|"
     r"end[- ]users|users|entities|companies|firms|purchasers)\s+(?:(?:that|who)\s+(?:have\s+"
     r"been\s+|are\s+|were\s+)?)?(?:vetted|approved|screened|cleared|licensed|authori[sz]ed|"
     r"verified)\b|"
     r"\b(?:vetted|licensed|authori[sz]ed|pre-?approved|verified|screened)\s+(?:\S+\s+){0,1}?"
     r"(?:customers|buyers|clients|end[- ]users|purchasers)\b|"
     r"\b(?:gave|given|give|gives|granted|grant|grants|issued)\s+(?:[\w’'.,-]+\s+){0,6}?"
     r"(?:approval|approvals|permission|the\s+go-ahead|clearance|sign-off|the\s+green\s+light)"
     r"\s+to\s+(?:buy|purchase|import|acquire|order)\b|"
     r"\b(?:plac\w*|put|puts|putting|brought|bring\w*)\s+(?:[\w’'-]+\s+){0,4}?under\s+(?:an?\s+|the\s+)?"
     r"(?:export\s+)?licen[cs](?:ing|e)(?:\s+(?:requirements?|regime|system|rules))?\b|"
     r"\bsubject\s+to\s+(?:a|an)\s+(?:export\s+)?licen[cs]e\b|"
     r"\blicen[cs](?:ing|e)\s+(?:regime|system|rules?)\s+(?:\w+\s+)?(?:remains?|stays?|is|are)\s+"
     r"(?:still\s+)?in\s+(?:force|place|effect)\b|"
     r"\b(?:wait(?:s|ed|ing)?|await(?:s|ed|ing)?)\s+(?:for\s+)?(?:\w+\s+){0,2}?(?:clearance|approval|"
     r"permission|sign-off|licen[cs]es?|the\s+go-ahead)\s+from\b|"
     r"(?:\b(?:not|no\s+longer|never|cannot)|n['’]t)\s+(?:[\w’'-]+\s+){1,12}?without\s+(?:a\s+|an\s+|"
     r"the\s+)?(?:\w+\s+)?(?:permission|licen[cs]e|approval|authori[sz]ation|consent|sign-off)\b|"
     r"\bprovided\s+(?:that\s+)?(?:\w+\s+){0,2}?(?:can|could|are\s+able\s+to)?\s*"
     r"(?:justify|explain|prove|demonstrate)\b|"
     r"[“\"']?\bapproved[”\"']?\s+(?:\S+\s+){0,2}?(?:customers|buyers|clients|end[- ]users|"
     r"users|entities|companies|firms|recipients|purchasers|parties)\b|"
     r"\bapproval\s+(?:process|regime|system|requirements?|mechanism)\b|"
     r"\b(?:must|will|would|shall|has\s+to|have\s+to|needs?\s+to)\s+(?:\w+\s+)?approve\s+"
     r"(?:each|every|all|any)\b|"
     r"\blicen[cs]es\s+(?:[\w’'-]+\s+){0,7}?(?:are|remain)\s+(?:still\s+)?(?:required|needed|"
     r"necessary)\s+for\b|"
     r"\b(?:only\s+)?with\s+(?:\w+\s+)?(?:approval|permission|a\s+licen[cs]e)\s+from\b|"
     r"\b(?:prior|advance|government|official|special|case-by-case|regulatory|"
     r"explicit)\s+approval\b|"
     r"\b(?:require|requires|required|requiring|need|needs|needed|must\s+(?:seek|obtain|"
     r"get|apply\s+for|secure)|seek|seeks|obtain|obtains|secure|secures|apply\s+for|"
     r"applied\s+for)\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:approval|licen[cs]es?|"
     r"permission|permits?|sign[- ]?off|clearance)\b|\blicen[cs](?:e|ing)\s+requirements?\b|"
     r"\bin\s+(?:exchange|return)\s+for\s+(?:\w+\s+){0,2}?(?:licen[cs]es|permits|approvals?)\b|"
     r"\b(?:requir\w+|forc\w+|oblig\w+|must|have\s+to|has\s+to|need\s+to)\s+(?:\w+\s+){0,2}?"
     r"(?:to\s+)?(?:justify|explain|prove|demonstrate)\s+(?:why|that|their|the\s+need)\b|"
     r"\b(?:told|tells|tell|asked|asks|ordered|orders|instructed|instructs)\s+(?:[\w’'-]+\s+){1,8}?"
     r"to\s+(?:justify|explain|prove|demonstrate)\s+why\b|"
     r"\b(?:under|through|via)\s+(?:a|an|the|its)\s+(?:export\s+)?licen[cs](?:e|ing)\s+"
     r"(?:regime|system|scheme|process)\b|"
     r"\b(?:told|tells|informed|notified)\s+(?:[\w’'-]+\s+){1,3}?(?:it|they)\s+(?:needed|needs|"
     r"would\s+need|required|must\s+(?:obtain|get|have))\s+(?:a\s+licen[cs]e|one|permission|"
     r"approval)\b"),
    ("other",
     r"\bon\s+(?:the\s+)?(?:condition|understanding)\s+that\b(?=[^.;]{0,120}\b(?:domestic|local|"
     r"homegrown|home-grown|Chinese-made|keep\s+supplying|continue\s+(?:to\s+)?supply\w*)\b)|"
     r"\b(?:encourag\w*|incentivi[sz]\w*|subsidi[sz]\w*|nudg\w*|steer\w*)\s+(?:[\w’'-]+\s+){0,4}?"
     r"to\s+(?:use|run|buy|adopt|deploy|switch\s+to)\b(?=[^.;]{0,80}\b(?:domestic|local|homegrown|"
     r"home-grown|Chinese-made|indigenous|it|them)\b)|"
     r"\b(?:must|will\s+have\s+to|have\s+to|has\s+to|are\s+required\s+to|shall)\s+(?:only\s+)?be\s+"
     r"(?:installed|deployed|housed|kept|located|operated)\s+(?:only\s+)?(?:in|at|by)\b|"
     r"\b(?:under|subject\s+to)\s+(?:certain\s+|strict\s+|the\s+)?conditions\b|"
     r"\bprioriti[sz](?:e|es|ed|ing)\s+" + _W + r"{0,2}?(?:domestic|local|homegrown|"
     r"Chinese-made|home-grown|indigenous)\b|"
     r"\b(?:steer\w*|push\w*|nudg\w*|encourag\w*|mandat\w*|requir\w*|direct\w*)\s+"
     r"(?:[\w’'-]+\s+){0,5}?(?:toward|towards|to\s+(?:use|buy|adopt|switch\s+to))\s+"
     r"(?:\w+\s+){0,1}?(?:domestic|local|homegrown|Chinese-made|indigenous)\b|"
     r"\b(?:favou?r|use|buy)\s+(?:domestic|local|homegrown)\s+"
     r"(?:chips|alternatives|products|suppliers|semiconductors)\b|"
     r"\bsubsid(?:y|ies|ise|ize|ised|ized)\b(?=[^.;]{0,120}\b(?:domestic|local|homegrown|"
     r"Chinese-made)\b)"),
    ("other_gov",
     r"\bsummon(?:s|ed|ing)\b|"
     r"\b(?:anti-?monopoly|antitrust|anti-?trust|anti-?dumping|anti-?subsidy|"
     r"anti-?discrimination|competition)\s+"
     r"(?:law|investigation|probe|inquiry|review|rules|ruling|finding|case)\b|"
     r"\bviolat(?:e|es|ed|ing)\s+(?:Chinese|China['’]s|the\s+country['’]s)\s+(?:\w+\s+)?law\b|"
     r"\b(?:rescind|repeal|scrap|withdraw|abandon|revoke)(?:s|ed|ped|ing|ping)?\s+(?:the\s+|a\s+|"
     r"its\s+)?(?:so-called\s+)?(?:[\w’'-]+\s+){0,3}?(?:rule|regulation|framework|order)\b|"
     r"\b(?:has|have|had|was|were)\s+(?:been\s+)?(?:withdrawn|rescinded|repealed|scrapped)\b|"
     r"\b(?:suspend(?:s|ed|ing)?|paus(?:e|es|ed|ing)|shelv(?:e|es|ed|ing)|freez(?:e|es|ing)|froze|"
     r"put(?:s|ting)?\s+on\s+hold|postpon(?:e|es|ed|ing)|delay(?:s|ed|ing)?)\s+"
     r"(?:for\s+(?:a|one|two|three|six|\d+)\s+(?:years?|months?)\s+)?(?:the\s+|its\s+|a\s+|"
     r"their\s+|that\s+|those\s+|these\s+)?(?:[\w’'-]+\s+){0,3}?(?:measures|rules?|regulations?|"
     r"regime|requirements?|directive|decree|order(?!s|\s+(?:for|of)\b))\b|"
     r"\b(?:report|disclose|notify\s+\w+\s+of)\s+(?:[\w’'-]+\s+){0,4}?(?:that\s+(?:[\w’'-]+\s+)"
     r"{0,4}?)?(?:(?:had|have|has)\s+been\s+)?(?:diver\w+|smuggl\w+|tamper\w*)\b|"
     r"\boffer\w*\s+(?:\w+\s+){0,3}?to\s+(?:American|US|U\.S\.|domestic)\s+(?:buyers|customers|"
     r"companies)\s+first\b|\bright\s+of\s+first\s+refusal\b|"
     r"\b(?:oblig\w+|requir\w+|mandat\w+|forc\w+)\s+(?:[\w-]+\s+){0,3}?to\s+(?:fit|install|build\s+in|"
     r"include|add|embed|carry|have|feature|support)\s+(?:[\w-]+\s+){0,2}?(?:location|tracking|"
     r"verification|security)\b"),
    ("threshold",
     r"\b(?:total\s+processing\s+performance|TPP|composite\s+(?:theoretical\s+)?performance|"
     r"processing\s+performance|performance\s+density)\b"),
    ("limit_value",
     r"\b(?:rules?|controls?|regulations?|restrictions?)\s+(?:\w+\s+){0,2}?"
     r"(?:limit|limits|cap|caps|restrict|restricts)\b|\bthreshold\s+of\b"),
    # Clause-level forms of plain reporting, counted only with chips, exports or a state
    # in view (modes ending in _g are gated like the generic verbs).
    ("allow_g",
     r"\b(?:receiv(?:e|es|ed|ing)|won|obtain(?:s|ed)?|secur(?:e|es|ed)|been\s+granted|"
     r"was\s+granted|were\s+granted)\s+(?:[\w.’'-]+\s+){0,3}?(?:licen[cs]es?|permits?|"
     r"approvals?|permission)\s+(?:to\s+(?:sell|ship|export|supply|resume)|for\s+(?:the\s+)?"
     r"(?:sales?|exports?|shipments?))\b"),
    ("allow_g",
     r"\b(?:can|could|will|would)\s+(?:now\s+|also\s+|legally\s+|still\s+|only\s+)?be\s+"
     r"(?:sold|exported|shipped|supplied)\s+(?:freely\b|to\b|in(?:to)?\b)"),
    ("allow_g",
     r"\b(?:stay(?:s|ed|ing)?|remain(?:s|ed|ing)?|f(?:a|e)ll(?:s)?|kept)\s+(?:just\s+)?"
     r"(?:below|under|beneath|within)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:limits?|thresholds?|"
     r"line|caps?|ceiling)\b"),
    ("allow_g",
     r"\b(?:requirements?|ban|bans|restrictions?|curbs?|controls?|pause|freeze|embargo)\s+"
     r"(?:was|were|has\s+been|have\s+been|had\s+been|is\s+being|would\s+be|will\s+be)\s+"
     r"(?:\w+ly\s+)?(?:lifted|eased|removed|relaxed|loosened|reversed|dropped)\b"),
    ("ban_g",
     r"\b(?:may|can|could|will|would|must|should)\s+not\s+be\s+(?:sold|exported|shipped|"
     r"supplied|re-exported)\b|\bcannot\s+be\s+(?:sold|exported|shipped|supplied)\b"),
    ("purchase_g",
     r"\b(?:told|tells|ordered|orders|instructed|required|requires|directed|asked|urged)\s+"
     r"(?:[\w’'-]+\s+){0,10}?to\s+(?:use|buy|deploy|install|source|purchase)\s+only\s+"
     r"(?:domestic\w*|local\w*|Chinese|homegrown)\b|"
     r"\bto\s+use\s+(?:domestic\w*|local|homegrown|Chinese-made)\s+(?:[\w-]+\s+){0,2}?only\b|"
     r"\b(?:must|required\s+to|have\s+to|has\s+to|ordered\s+to|told\s+to)\s+(?:remove|"
     r"replace|rip\s+out|strip\s+out|phase\s+out|stop\s+using)\s+(?:any\s+|all\s+|the\s+)?"
     r"(?:[\w-]+\s+){0,2}?(?:foreign|imported|American|U\.S\.|Nvidia|US-made)\b"),
    ("approval_g",
     r"\b(?:get|gets|got|obtain|obtains|seek|seeks|secure)\s+(?:\w+\s+){0,2}?(?:approval|"
     r"permission|clearance|sign-off)\s+from\b"),
    ("review_g",
     r"\b(?:pass|passes|undergo|undergoes|go\s+through|be\s+subject\s+to)\s+(?:an?\s+|the\s+)?"
     r"(?:[\w-]+\s+){0,2}?(?:tests?|testing|inspections?|audits?|screening)\b|"
     r"\bend[- ]user\s+(?:checks|verification|screening|reviews?)\b"),
    # A company's word that its chip meets the rules: legal to export.
    ("allow_fixed",
     r"(?<!\bthat\s)(?<!\bwhich\s)\b(?:complies|complied|compliant|conforms|conformed)\s+"
     r"(?:fully\s+)?with\s+"
     r"(?:[\w.’'-]+\s+){0,3}?export(?:[- ]control)?\s+(?:controls|rules|regulations|restrictions|"
     r"limits|laws|requirements)\b"),
    # Bare exclusion or refusal about a named chip: "Blackwell is not included", "the B30A
    # will not be licensed either" (ban_neg needs a chip or China in view).
    ("ban_neg",
     r"(?:\b(?:is|are|was|were|be|been)\s+not|\b(?:isn|aren|wasn|weren)['’]t|"
     r"\b(?:will|would|can|could)\s+not\s+be|\b(?:won|can)['’]t\s+be)\s+(?:\w+\s+)?"
     r"(?:included|covered|licensed|eligible)\b(?!\s+(?:to\s+buy|as\b))"),
    # Duties to justify a purchase: "must show that local alternatives cannot meet their
    # needs", "must justify their orders", "asked to explain why they need to buy".
    ("approval",
     r"\b(?:must|have\s+to|has\s+to|need\s+to|needs\s+to|required\s+to|asked\s+to)\s+"
     r"(?:\w+\s+){0,2}?(?:show|prove|demonstrate|explain|justify)\s+(?:why\s+|that\s+){0,2}"
     r"(?:\w+\s+){0,3}?(?:domestic|local|homegrown|Chinese-made)\s+(?:alternatives|chips|"
     r"products|options|suppliers|processors)\b|"
     r"\b(?:must|have\s+to|has\s+to|need\s+to|needs\s+to|required\s+to|asked\s+to)\s+"
     r"(?:\w+\s+){0,2}?justify\s+(?:their|its|the|any|such)\s+(?:orders?|purchases?|buying|"
     r"imports?)\b|"
     r"\b(?:asked|told|required|ordered|pressed)\s+(?:[\w’'-]+\s+){0,4}?to\s+(?:explain|"
     r"justify)\s+why\s+(?:\w+\s+){0,3}?(?:need|needs|want|wants)\s+(?:to\s+(?:buy|purchase|"
     r"order|use|import)\b|(?:\w+\s+){0,1}?(?:foreign|imported|American|US|Nvidia)\b)|"
     r"\b(?:submit|send|file)\s+(?:their\s+|its\s+|all\s+|any\s+)?(?:[\w-]+\s+){0,2}?(?:orders|"
     r"purchases|purchase\s+plans)\s+for\s+(?:\w+\s+)?approval\b"),
    # A licensing regime named as a noun: "export licences on gallium".
    ("approval",
     r"\bexport\s+licen[cs](?:es|ing)(?:\s+requirements?)?\s+on\b"),
    # Conditions on buyers or the exporter that are neither licence, review nor ban.
    ("other",
     r"\b(?:must|have\s+to|has\s+to|required\s+to|need\s+to|needs\s+to)\s+(?:also\s+|first\s+)?"
     r"(?:certify|declare|attest)\b|"
     r"\b(?:must|have\s+to|has\s+to|required\s+to)\s+(?:show|prove|demonstrate)\s+that\s+"
     r"(?:\w+\s+){0,3}?(?:sales|exports|shipments)\b|"
     r"\b(?:capped|limited)\s+at\s+[^.;]{0,40}?\bof\s+the\s+(?:volume|number|amount|quantity|total)\b|"
     r"\b(?:must|have\s+to|has\s+to|required\s+to|agree\w*\s+to)\s+(?:also\s+)?(?:keep|hold)\s+"
     r"(?:the\s+|their\s+|its\s+|all\s+)?(?:[\w-]+\s+)?(?:chips|processors|accelerators|GPUs|hardware|"
     r"systems)\s+(?:away\s+from|out\s+of\s+(?:the\s+)?reach\s+of|out\s+of\s+the\s+hands\s+of)\b|"
     r"\b(?:paperwork|forms|documents|declarations|filings)\s+(?:that\s+)?(?:[\w-]+\s+){0,3}?"
     r"(?:must|have\s+to|has\s+to)\s+(?:file|submit|lodge)\b"),
    # Bills that make US buyers come first or chips carry tracking.
    ("other_gov",
     r"\b(?:offer|sell|fill\s+orders\s+from|supply)\s+(?:[\w-]+\s+){0,3}?(?:to\s+)?(?:American|US|"
     r"U\.S\.|domestic)\s+(?:buyers|customers|companies|firms)\s+(?:first|before)\b|"
     r"\bcertify\s+that\s+(?:US|U\.S\.|American|domestic)\s+(?:buyers|customers)\b|"
     r"\blocation\s+verification\b|"
     r"\b(?:build|fit|install|embed)\s+(?:location\s+)?tracking\s+(?:into|in|on)\b"),
    # Inspections a buyer must allow, reviews an agency must make.
    ("review",
     r"\b(?:must|required\s+to|have\s+to|has\s+to|agree\w*\s+to)\s+(?:allow|let|permit)\s+"
     r"(?:[\w.’'-]+\s+){0,4}?(?:to\s+)?(?:inspect|audit|visit|check|examine)\b|"
     r"\b(?:must|will|would|shall|to)\s+(?:also\s+|first\s+)?review\s+(?:any|all|each|every)\s+"
     r"(?:[\w-]+\s+){0,2}?(?:transfers?|sales?|exports?|shipments?|applications?|orders?|deals?)\b|"
     r"\breview(?:s|ed)?\s+(?:each|every|all|any)\s+(?:[\w-]+\s+){0,3}?(?:licen[cs]e\s+)?"
     r"(?:applications?|requests?|transfers?)\b|"
     r"\b(?:is|are|remains?|was|were)\s+(?:still\s+)?under\s+review\s+(?:at|by|with)\b|"
     r"\b(?:told|ordered|instructed|asked)\s+to\s+inspect\s+(?:[\w-]+\s+){0,5}?(?:more\s+)?"
     r"(?:closely|carefully)\b"),
    # What a permit rule or a round of checks covers: "the permit would apply to the H200",
    # "the checks target the RTX Pro 6000D".
    ("approval",
     r"\b(?:permit|licen[cs]e|approval)\s+(?:requirements?\s+|rules?\s+|system\s+)?(?:would|will|"
     r"also|now)?\s*(?:also\s+)?appl(?:y|ies|ied)\s+to\b"),
    ("review",
     r"\b(?:checks|inspections|reviews|audits)\s+(?:\w+\s+)?(?:target|targeted|cover|covered|"
     r"focus\s+on|focused\s+on)\b"),
    ("other",
     r"\b(?:domestic|local|homegrown|home-grown|Chinese-made|indigenous)\s+(?:[\w-]+\s+)?"
     r"(?:chips|processors|semiconductors|accelerators|products)\s+(?:should|must|shall|would|will)\s+"
     r"(?:only\s+)?be\s+(?:used|installed|deployed|preferred)\b"),
    # Gapped contrast: "the H200 can go, the Blackwell cannot" (a chip must be in view).
    ("allow_g",
     r"\b(?:can|may|will)\s+go\b(?=\s*[,;]|\s+to\s+China\b)"),
    # Headlines: "Blackwell stays off the table as H200 heads to China".
    ("allow_g",
     r"(?:(?<=\d\s)|(?<=chips\s)|(?<=GPUs\s))(?:heads?|headed|heading|goes|going)\s+to\s+"
     r"China\b"),
    # "reversing a policy that had kept the chip out of the country": the old ban, told
    # through its reversal.
    ("ban_g",
     r"\b(?:had|has|have)\s+(?:long\s+)?(?:kept|barred|blocked)\s+(?:the|these|those|such|its|"
     r"their|that|this)\s+(?:(?:[\w-]+\s+)?(?:chips?|processors?|GPUs?|accelerators?|parts?)|"
     r"[A-Z]+\d\w*)\s+out\s+of\b|"
     r"\b(?:kept|keep|keeps|keeping)\s+(?:the|these|those|such|its|their|that|this)\s+"
     r"(?:(?:[\w-]+\s+)?(?:chips?|processors?|GPUs?|accelerators?|parts?)|[A-Z]+\d\w*)\s+"
     r"out\s+of\s+(?:China|Chinese\s+hands|the\s+country|the\s+Chinese\s+market)\b"),
    # "US sets conditions for H200 shipments": terms attached to a permission.
    ("other",
     r"\b(?:set|sets|setting|lays?\s+out|laid\s+out|attach(?:es|ed|ing)?)\s+(?:new\s+|strict\s+|"
     r"tough\s+|the\s+)?(?:conditions|terms)\s+(?:for|on)\s+(?:\w+\s+){0,3}?(?:shipments?|"
     r"exports?|sales?|deliveries)\b"),
    # Headlines: "Beijing tells tech firms to justify H200 orders".
    ("approval",
     r"\b(?:told|tells|tell|asked|asks|ordered|orders|instructed|instructs|required|requires)\s+"
     r"(?:[\w’'-]+\s+){1,4}?to\s+justify\s+(?:their\s+|its\s+|any\s+)?(?:[\w-]+\s+){0,2}?"
     r"(?:orders?|purchases?|buying|imports?)\b"),
    # "keeping a ban on the Blackwell and Rubin families": the ban restated as kept.
    ("ban_g",
     r"\b(?:keep(?:s|ing)?|kept|maintain(?:s|ed|ing)?|retain(?:s|ed|ing)?|leav(?:es|ing)\s+in\s+"
     r"place)\s+(?:in\s+place\s+)?(?:a|the|its|their|an)\s+(?:\w+\s+)?(?:ban|embargo|prohibition)"
     r"\s+on\b"),
    # "the decision would not extend to Blackwell": a chip left out of a permission.
    ("ban_g",
     r"\b(?:decision|deal|approval|permission|agreement|arrangement|move|policy|easing)\s+"
     r"(?:would|will|does|did|is\s+not\s+going\s+to)\s+not\s+(?:extend|apply)\s+to(?=\s+"
     r"(?:the\s+|its\s+|Nvidia['’]s\s+|AMD['’]s\s+)?(?:[A-Z]+\d|Blackwell|Rubin|Hopper))"),
    # "may be shipped without further conditions": a permission stated by its absence of terms.
    ("allow_g",
     r"\b(?:can|could|may|will|would)\s+(?:now\s+|also\s+|still\s+)?be\s+(?:sold|exported|"
     r"shipped|supplied)\s+without\s+(?:further\s+|any\s+|additional\s+|extra\s+)?"
     r"(?:conditions|restrictions|limits|curbs)\b"),
    # "confirming that the chips may be exported to approved customers": the grant beside the
    # approval duty ("chips that may be shipped to ..." describes, so no relative pronoun).
    ("allow_g",
     r"(?<!\bthat\s)(?<!\bwhich\s)\b(?:can|could|may)\s+(?:now\s+|also\s+)?be\s+(?:sold|exported|"
     r"shipped|supplied)\s+to\s+(?:approved|vetted|licensed|authori[sz]ed)\b"),
    # "Trump said Nvidia could sell the H200 to approved customers": a permission reported.
    ("allow_g",
     r"\b(?:Nvidia|AMD|Intel|the\s+company|chipmakers?|companies)\s+(?:could|can|may|"
     r"(?:would|will)\s+be\s+(?:able|allowed|free)\s+to)\s+(?:now\s+|also\s+|still\s+)?"
     r"(?:sell|ship|export|supply)\s+(?:its\s+|the\s+|their\s+)?(?=[A-Z]+\d|Blackwell|Hopper|Ascend)"),
    ("ban_neg",
     r"(?<=[\w)]\s)(?:cannot|can['’]t|may\s+not|will\s+not|won['’]t)(?=\s*(?:[.;]|$))"),
    # "closes the door on the A800", "the MI250 was also covered": a ban stated as an idiom
    # or as a rule's reach (a chip or China must be in view).
    ("ban_g",
     r"\b(?:clos(?:e|es|ed|ing)|shut(?:s|ting)?|slam(?:s|med|ming)?)\s+(?:the\s+)?door\s+on\b|"
     r"\b(?:is|are|was|were)\s+(?:also\s+|now\s+)?covered\b(?=\s*(?:[.,;]|$|by\s+(?:the\s+)?"
     r"(?:new\s+|same\s+)?(?:rules?|controls?|restrictions?|curbs?|ban|order)\b))"),
    # Reviews made stricter, checks stepped up: "tightened reviews of graphite shipments".
    ("review_up",
     r"\b(?:tighten\w*|step\w*\s+up|increas\w*|strengthen\w*|intensif\w*|stricter)\s+"
     r"(?:its\s+|the\s+|their\s+)?(?:\w+\s+)?(?:reviews?|checks|inspections?|scrutiny|vetting)"
     r"\s+(?:of|on)\s+(?:[\w-]+\s+){0,3}?(?:shipments|cargo|exports|imports|chips|semiconductors|"
     r"processors|accelerators|parts|cards|consignments|goods)\b|"
     r"\binspect\s+more\s+(?:\w+\s+)?(?:cargo|shipments|containers|consignments)\b"),
]

_JA_TRIGGERS: list[tuple[str, str]] = [
    ("allow_fixed", r"(?:輸出|販売|出荷)[^。、]{0,10}?を[^。]{0,12}?(?:認め|許可|容認|解禁)(?!ない)|"
                    r"輸出(?:可能|解禁|許可)|"
                    r"(?:対中)?輸出解禁|規制(?:を|の)?緩和"),
    ("ban_fixed", r"輸出(?:禁止|を禁止|を制限|を停止)|輸出(?:が|は|を)?(?:禁じ|禁止さ|制限さ)|"
                  r"措置の対象外|禁輸|全面規制|規制対象|渡さない|"
                  r"輸出を認めない|輸出できない"),
    ("purchase", r"(?:利用|使用|購入|調達)しない|(?:購入|利用|使用|調達|発注)を(?:禁止|禁じ|制限|停止|中止|控え)|"
                 r"(?:使用|購入|調達)禁止|"
                 r"(?:国産|国内製|自国製)[^。]{0,15}?(?:だけ|のみ)を?(?:使|購入|調達|採用|導入)|"
                 r"外国製[^。]{0,15}?を?(?:取り外|撤去|排除|置き換)|"
                 r"(?:購入|調達|発注)(?:計画)?を(?:取り消|撤回|キャンセル)|"
                 r"(?:使わ|買わ|購入し|調達し)ないよう"),
    ("review", r"安全保障(?:上の)?審査|審査"),
    ("approval", r"事前承認|承認を(?:求め|得|必要)|許可制|承認制|承認された顧客|"
                 r"承認を受けた(?:顧客|企業|相手|買い手)|(?:当局|政府)の(?:承認|許可)が必要"),
    ("other", r"国産\S{0,10}?優先"),
    ("approval", r"購入を承認|調達を承認|理由を説明する必要|(?:購入|調達)(?:の|を)?[^。]{0,6}?承認制"),
    ("purchase", r"(?:購入|調達|使用|利用)を[^。]{0,12}?(?:用途)?に限(?:る|り|られ|定)|用途に限られ|"
                 r"(?:購入|調達|使用|利用)は認められ(?:ていない|ない|ず)|"
                 r"国産[^。]{0,10}?(?:使用|利用|採用|導入)を義務付け"),
    ("ban_fixed", r"対象外と(?:し|した|する|なった)"),
]

_EN_RE = [(mode, re.compile(p, _I)) for mode, p in _EN_TRIGGERS]

# Lower-case words one of which must occur for each English trigger to match, in the order
# of `_EN_TRIGGERS`: a substring test per trigger spares the regex engine most sentences.
# tests/test_policy.py checks that the hints never hide a match.
_EN_HINTS: list[tuple[str, ...]] = [
    ("allow", "permit", "authori", "approv", "green", "clear", "okay", "sign", "let",
     "unblock", "open"),
    ("lift", "eas", "relax", "loosen", "scrap", "rescind", "roll", "remov", "waiv"),
    ("resum", "restart", "re-start", "recommenc", "reopen"),
    ("legal", "lawful", "eligible", "cleared", "approved", "licensed", "without", "no"),
    ("licen", "go"),
    ("licen", "permit", "approval", "waiver"),
    ("licen", "permit", "waiver", "application", "they", "exemption", "exception"),
    ("cover",),
    ("meet",),
    ("meet",),
    ("threshold", "limit", "cap"),
    ("appl", "offered", "given", "granted", "extend"),
    ("ban", "bar", "block", "prohibit", "forb", "embargo", "restrict", "curb", "halt", "stop",
     "ceas", "suspend", "limit", "discourag", "cap", "cut", "choke", "outlaw"),
    ("list", "controlled", "subject", "caught", "fac", "extend", "expand", "widen", "broaden",
     "off", "excluded", "part", "includ", "cover", "swe", "ensnar", "catch", "captured",
     "exceed", "stay", "tighten"),
    ("offered", "sold", "shipped", "exported", "supplied", "delivered", "available",
     "released"),
    ("exclud",),
    ("lost", "lose", "losing", "stripped", "status", "authori", "licen", "waiver",
     "exemption"),
    ("licen", "permit", "application", "authori", "exemption", "waiver", "request", "rul",
     "shipping", "selling", "exporting", "supplying"),
    ("list",),
    ("list",),
    ("restriction", "control", "curb", "ban", "embargo", "limit", "rules"),
    ("told", "tell", "instruct", "order", "urge", "ask", "advis", "direct", "guid", "called",
     "press", "warn", "summon"),
    ("only", "permitted", "allowed", "violat", "breach", "break"),
    ("crack", "clamp", "step", "intensif", "tighten", "customs", "ramp"),
    ("cautious", "careful", "wary"),
    ("review", "vetting", "vetted", "screen", "inspect", "check", "undergo", "through", "case",
     "tested", "testing", "audit", "presumption", "examined", "assessed", "considered",
     "processed", "handled", "evaluated", "decided", "scrutini", "notif", "inform", "alert",
     "notice", "examination", "assessment"),
    ("approv", "permission", "licen", "permit", "justify", "explain", "prove", "demonstrat",
     "sign", "clearance", "limited", "restricted", "confined", "vetted", "authori", "verified",
     "screened", "go-ahead", "green", "wait", "without", "told", "tell", "informed", "notified"),
    ("condition", "understanding", "priorit", "domestic", "local", "homegrown", "home-grown",
     "chinese-made", "indigenous", "subsid", "encourag", "incentivi", "nudg", "steer",
     "installed", "deployed", "housed", "kept", "located", "operated"),
    ("summon", "monopoly", "trust", "dumping", "subsidy", "discrimination", "competition",
     "violat", "rescind", "repeal", "scrap", "withdr", "abandon", "revok", "first", "oblig",
     "requir", "mandat", "forc", "suspend", "paus", "shelv", "freez", "froze", "hold",
     "postpon", "delay", "report", "disclose", "notify"),
    ("performance", "tpp"),
    ("limit", "cap", "restrict", "threshold"),
    ("receiv", "won", "obtain", "secur", "granted"),
    ("sold", "exported", "shipped", "supplied"),
    ("below", "under", "beneath", "within"),
    ("lifted", "eased", "removed", "relaxed", "loosened", "reversed", "dropped"),
    ("sold", "exported", "shipped", "supplied"),
    ("only", "remove", "replace", "rip", "strip", "phase", "stop"),
    ("approval", "permission", "clearance", "sign-off"),
    ("pass", "undergo", "through", "subject", "user"),
    ("compli", "conform"),
    ("includ", "covered", "licensed", "eligible"),
    ("show", "prove", "demonstrat", "explain", "justify"),
    ("licen",),
    ("certify", "declare", "attest", "show", "prove", "demonstrat", "capped", "limited",
     "paperwork", "forms", "documents", "declarations", "filings", "keep", "hold"),
    ("first", "before", "certify", "location", "tracking"),
    ("allow", "let", "permit", "review", "inspect"),
    ("appl",),
    ("target", "cover", "focus"),
    ("domestic", "local", "homegrown", "home-grown", "chinese-made", "indigenous"),
    ("go",),
    ("head", "goes", "going"),
    ("kept", "barred", "blocked", "keep"),
    ("set", "lay", "laid", "attach"),
    ("justify",),
    ("keep", "kept", "maintain", "retain", "leav"),
    ("extend", "apply"),
    ("without",),
    ("approved", "vetted", "licensed", "authori"),
    ("could", "can", "may", "able", "free"),
    ("cannot", "can't", "can’t", "not", "won"),
    ("door", "covered"),
    ("review", "check", "inspect", "scrutin", "vetting"),
]
assert len(_EN_HINTS) == len(_EN_RE), "one hint tuple per English trigger"
# Every hint once per sentence, then a set test per trigger: fewer Python-level steps than
# testing each trigger's hints in turn (many hints are shared between triggers).
_ALL_EN_HINTS = tuple(sorted({h for hints in _EN_HINTS for h in hints}))
_EN_HINT_SETS = [frozenset(hints) for hints in _EN_HINTS]
_JA_RE = [(mode, re.compile(p)) for mode, p in _JA_TRIGGERS]

# ------------------------------------------------------------------ context words
_EXPORT_WORDS = re.compile(
    r"\b(?:export\w*|re-export|sell|sells|sold|selling|sale|sales|ship|ships|shipped|"
    r"shipping|shipments?|deliver\w*|supply|supplies|supplying|send|sending|sent|"
    r"licen[cs]es?|to\s+China|into\s+China|China-bound|to\s+Chinese\s+(?:customers|firms|"
    r"companies|buyers))\b", _I)
_PURCHASE_WORDS = re.compile(
    r"\b(?:buy|buys|buying|bought|purchas\w*|procure\w*|orders?|ordering|use|using|"
    r"import|imports|importing|imported|acquir\w*|adopt\w*|deploy\w*|access|"
    r"infrastructure|public\s+sector|state-(?:owned|funded|run)|government\s+(?:agencies|"
    r"offices|projects|networks))\b", _I)
_LIMITING = re.compile(r"\b(?:only|limited|limit|restrict\w*|special\s+circumstances|"
                       r"case-by-case|certain)\b", _I)
_NEGATION_BEFORE = re.compile(
    r"(?:\b(?:not|never|no\s+longer)|n['’]t|\bdeclined\s+to|\brefus(?:e|es|ed|ing)\s+to|"
    r"\bunwilling\s+to|\bnor)\s+(?:\w+\s+){0,1}?(?:be\s+|been\s+|to\s+)?$", _I)
_HYPOTHETICAL = re.compile(
    r"\b(?:did\s+not|didn['’]t|does\s+not|doesn['’]t|not)\s+(?:say|specify|disclose|detail|"
    r"indicate|explain)\b|\bunclear\b|\bwhether\b|\bhow\s+many\b|\bhow\s+much\b|"
    r"\bif\s+(?:the|it|they)\b|\bwould\s+(?:it|they)\b|\bshould\s+(?:\w+\s+){0,2}$|\b(?:no|any)\s+plans?\s+to\b", _I)
# "Nvidia could sell the H200 if it wanted to", "... if Beijing allowed it": a condition
# that has not been met, said of what a company could do.
_COUNTERFACTUAL_MODAL = re.compile(r"\b(?:could|would|might)\s+(?:\w+\s+){0,2}$", _I)
_COUNTERFACTUAL_IF = re.compile(r"[^.;:]{0,60}?\bif\s+(?:[\w’'.-]+\s+){1,2}?(?:wanted|wants|allowed|"
                                r"allows|let|lets|permitted|chose|decided|agreed|were|did|had)\b", _I)
# "weighing whether to allow" is a deliberation, not an open question.
_DELIBERATE_WHETHER = re.compile(r"\b(?:weigh\w*|consider\w*|debat\w*|discuss\w*|decid\w*|"
                                 r"mull\w*|deliberat\w*|review\w*|explor\w*|decision\s+on)"
                                 r"\s+(?:\w+\s+){0,2}?whether\b", _I)
_OPINION = re.compile(r"\b(?:abus(?:e|es|ed|ing)|accus(?:e|es|ed|ing)|misus(?:e|es|ed|ing)|"
                      r"weaponi[sz](?:e|es|ed|ing))\b", _I)
_PURPOSE = re.compile(r"\b(?:effort|efforts|bid|campaign|drive|aim|aimed|designed|meant|intended|"
                      r"in\s+order)\s+(?:at|to)\s+$", _I)
# Lawmakers or critics asking the government to act: what they want is not yet a measure.
_PLEA = re.compile(r"\b(?:press\w*|urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+on|lobb\w*|push(?:es|ed|ing)?|"
                   r"petition\w*|implor\w*)\s+(?:the\s+)?(?:Trump\s+|Biden\s+|US\s+|U\.S\.\s+)?"
                   r"(?:administration|government|White\s+House|Commerce(?:\s+Department)?|Washington|"
                   r"Congress|regulators)\b[^.;:]{0,40}?\bto\s+(?:\w+\s+){0,2}$", _I)
# The other side asking Washington to act: an opinion, labeled nowhere (heldout20 z03).
_FOREIGN_PLEADER = re.compile(r"\b(?:China|China's|Beijing|Chinese|ministry|MOFCOM)\b", _I)
# A state keeping a named company's products out of its own networks or projects.
_COMPANY_FROM_USE = re.compile(
    r"\s+(?:[A-Z][\w&.’'-]*\s+){1,2}(?:products\s+|chips\s+|memory\s+)?from\s+(?:\w+\s+){0,3}?"
    r"(?:networks?|infrastructure|projects?|procurement|systems|data\s+cent(?:re|er)s|government\s+\w+)\b")
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|its|their|for|of|export|trade|special|such)\s+$", _I)
_REDUCED_RELATIVE = re.compile(
    r"\b(?:the|any|those|these)\s+(?:\w+\s+){0,2}?(?:models?|chips?|products?|parts?|ones|"
    r"processors?|GPUs?|accelerators?|versions?)\s+(?:that\s+|which\s+)?(?:[A-Z][\w-]+|it|they)"
    r"\s+(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+(?:still\s+|now\s+)?$")
_MERGER_OBJECT = re.compile(r"\s+(?:the\s+|its\s+|a\s+)?(?:[$\w.’'-]+\s+){0,4}?(?:merger|"
                            r"acquisition|takeover)\b", _I)
_DEAL_OBJECT = re.compile(r"\s+(?:the\s+|its\s+|a\s+)?(?:[$\w.’'-]+\s+){0,4}?deal\b", _I)
_MERGER_WORDS = re.compile(r"\b(?:acqui(?:re|res|red|ring|sition)|merger|takeover|antitrust|"
                           r"anti-?monopoly|combined\s+company)\b|"
                           r"\b(?:purchase|buyout)\s+of\s+(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
                           r"(?![’'\w])(?!\s+[A-Z]*\d)(?!(?:\s+\S+){0,2}?\s+(?:chips?|"
                           r"processors?|accelerators?|GPUs?|parts|products|hardware|servers|"
                           r"equipment|tools)\b)", _I)
_ATTEMPT = re.compile(r"\b(?:attempt(?:s|ed|ing)?|tr(?:y|ies|ied|ying))\s+to\s+"
                      r"(?:\w+\s+){0,3}?$", _I)
_ADJECTIVAL = re.compile(r"(?:\b(?:the|a|an|its|their|these|those|this|that|such|export)"
                         r"|-)\s*$", _I)
_PASSIVE_BEFORE = re.compile(r"\b(?:remain|remains|remained|stay|stays|stayed|are|is|were|"
                             r"was|be|been|being|get|gets|got)\s+(?:\w+ly\s+)?$", _I)
_SUBJECT_GOODS = re.compile(r"\b(?:chips?|models?|GPUs?|processors?|accelerators?|"
                            r"exports?|sales|products?|parts|hardware|semiconductors?|"
                            r"equipment|technology)\b", _I)
# Goods a buyer is told to drop: "foreign processors", "Intel and AMD processors".
_FOREIGN_GOODS = re.compile(
    r"\b(?:foreign|imported|overseas|American|U\.?S\.?|US-made|Nvidia|Intel|AMD|Micron|"
    r"non-Chinese)(?:['’]s)?\s+(?:[\w-]+\s+){0,3}?(?:chips?|processors?|accelerators?|GPUs?|"
    r"semiconductors?|hardware|components|servers|computers|products|equipment)\b", _I)
# "sales limited to customers vetted by Commerce": an approval rule, not a ban or a review.
_TO_VETTED = re.compile(
    r"^\s+to\s+(?:[\w-]+\s+){0,3}?(?:customers|buyers|clients|end[- ]users|users|entities|"
    r"companies|firms|purchasers)\s+(?:(?:that|who)\s+(?:have\s+been\s+|are\s+|were\s+)?)?"
    r"(?:vetted|approved|screened|cleared|licensed|authori[sz]ed|verified)\b|"
    r"^\s+to\s+(?:[\w-]+\s+){0,1}?(?:vetted|approved|licensed|authori[sz]ed|pre-?approved|"
    r"verified|screened)\s+(?:customers|buyers|clients|end[- ]users|purchasers)\b", _I)
_APPROVED_PARTY = re.compile(r"[”\"']?\s+(?:\S+\s+){0,2}?(?:customers|buyers|clients|end[- ]users|"
                             r"users|entities|companies|firms|recipients|purchasers|parties)\b", _I)
_CUSTOMER_BEFORE = re.compile(r"\b(?:customers|buyers|clients|end[- ]users|users|purchasers|"
                              r"companies|firms)\s+$", _I)
_PURCHASE_OBJECT = re.compile(r"^\s+(?:\w+\s+){0,2}?(?:purchases?|imports?|buying|orders?|"
                              r"acquisitions?)\s+of\b", _I)
_ADVICE = re.compile(r"\b(?:advis\w*|urg\w*|told|tell\w*|instruct\w*|warn\w*|guid\w*|"
                     r"recommend\w*|notices?)\b", _I)
_EXCLUDE_SUBJECTS = re.compile(r"\b(?:licen[cs]es?|deal|arrangement|agreement|approvals?|"
                               r"waivers?|exemptions?|rules?|decision|permits?)\b", _I)
_FROM_ING = re.compile(r"^\s*(?:[\w’'.-]+\s+){0,6}?from\s+(?:being\s+)?(\w+(?:ing|ed)|sold)\b", _I)

# Fees and revenue shares.
_FEE_WORDS = re.compile(r"\b(?:fee|fees|levy|levies|tax|taxes|tariff|tariffs|duty|duties|"
                        r"surcharge|charge|commission|collect\w*)\b|徴収|手数料|税", _I)
_REVENUE_WORDS = re.compile(r"\b(?:revenue|revenues|sales|proceeds|cut|share\s+of|"
                            r"revenue[- ]shar\w*|profits)\b|売上|収益", _I)
_GOV_RECEIVER = re.compile(r"\b(?:government|Washington|Treasury|administration|U\.?S\.?|"
                           r"charge|share|agreed|"
                           r"United\s+States|federal|pay|paid|payable|collect\w*|"
                           r"in\s+exchange|deal|arrangement|agreement|levy|fee|cut)\b|"
                           r"政府|徴収|米国", _I)
_COMPARED = re.compile(r"(?:\bthan|\bfrom|\bcompared\s+(?:with|to)|\bversus|\bvs\.?|"
                       r"\binstead\s+of|\brather\s+than)\s+(?:the\s+|a\s+|an\s+)?$", _I)
_FEE_ATTACHED = re.compile(r"^\W{0,3}\s*(?:\w+\s+){0,1}?(?:fee|levy|tax|tariff|duty|"
                           r"surcharge|charge|commission|export\s+tax)\b", _I)
_CUT_ATTACHED = re.compile(r"^\W{0,3}\s*(?:\w+\s+){0,1}?(?:cut|share|slice|revenue[- ]share)"
                           r"\b|^\s*of\s+(?:the\s+|their\s+|its\s+|all\s+)?(?:\w+\s+)?"
                           r"(?:revenue|revenues|sales|proceeds|profits)\b", _I)

# Status cues, looked for before the trigger in its clause chain.
_STATUS_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("denied", re.compile(r"\b(?:denied|denies|deny|dismissed|rejected)\s+(?:\w+\s+){0,2}?"
                          r"(?:reports?|claims?|suggestions?|speculation|that)\b|否定", _I)),
    ("considered", re.compile(r"\b(?:consider\w*|weigh\w*|mull\w*|discuss\w*|debat\w*|"
                              r"explor\w*|evaluat\w*|deliberat\w*|could|may|might|"
                              r"looking\s+(?:at|into)|contemplat\w*)\b|検討", _I)),
    ("proposed", re.compile(r"\b(?:propos\w*|draft\w*|bill|legislation|seek\w*|sought|"
                            r"attempt\w*|tried|push\w*\s+(?:for|to)|lobb\w*|petition\w*)\b|案", _I)),
    ("reported", re.compile(r"\b(?:reportedly|report\w*|according\s+to|sources?|"
                            r"people\s+familiar|person\s+familiar|familiar\s+with|"
                            r"allegedly|said\s+to\s+be)\b|報じ|報道|関係者", _I)),
    ("announced", re.compile(r"\b(?:announc\w*|plans?\s+to|planned\s+to|will|would|"
                             r"intends?\s+to|is\s+set\s+to|are\s+set\s+to|to\s+be|"
                             r"pledg\w*|promis\w*|vow\w*)\b|方針|発表|示し", _I)),
]

_OUTLETS = (
    r"Reuters|Bloomberg(?:\s+News)?|(?:the\s+)?Financial\s+Times|FT|(?:the\s+)?Wall\s+Street\s+"
    r"Journal|WSJ|(?:the\s+)?New\s+York\s+Times|NYT|(?:The\s+)?Information|Semafor|CNBC|CNN|"
    r"(?:the\s+)?South\s+China\s+Morning\s+Post|SCMP|Nikkei(?:\s+Asia)?|Axios|Politico|"
    r"Caixin|(?:the\s+)?Global\s+Times|Xinhua|(?:the\s+)?Washington\s+Post|"
    r"Tom['’]s\s+Hardware|WCCFtech|DigiTimes|(?:The\s+)?Verge|Associated\s+Press|AP|AFP|"
    r"(?:the\s+)?Guardian|BBC|Al\s+Jazeera|Quartz|Truth\s+Social|Yicai|21st\s+Century\s+"
    r"Business\s+Herald"
)
_ATTRIBUTION: list[re.Pattern[str]] = [
    re.compile(r"\baccording\s+to\s+(?:a\s+|an\s+)?(?:(?:new\s+|recent\s+)?(?:report|"
               r"statement|post|analysis|study|filing|notice)s?\s+(?:by|from|in|on)\s+)?"
               r"(?:the\s+)?((?:[A-Z][\w’'&.-]*)(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w’'&.-]*){0,5})"),
    re.compile(r"\b(?:as\s+)?(" + _OUTLETS + r")\s+(?:reports?|reported|said|says|wrote|"
               r"writes|first\s+reported|has\s+reported)\b"),
    re.compile(r"\b(?:reported|first\s+reported|reports?)\s+by\s+(" + _OUTLETS + r")\b"),
    re.compile(r"\bciting\s+(?:a\s+report\s+(?:by|from|in)\s+)?(" + _OUTLETS + r")\b"),
    re.compile(r"\btold\s+(" + _OUTLETS + r")\b"),
    re.compile(r"\b((?:people|persons?|sources?|officials?|insiders?)\s+(?:familiar\s+with|"
               r"briefed\s+on|with\s+(?:direct\s+)?knowledge\s+of)\s+(?:the\s+)?(?:matter|"
               r"plans?|discussions?|talks|deliberations|decision))", _I),
    re.compile(r"\b((?:industry\s+)?(?:sources|insiders))\b(?:\s+(?:said|say|told|suggest))", _I),
]

_TARGETS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bChin(?:a|ese)\b|\bBeijing\b|\bPRC\b|中国|対中"), "China"),
    (re.compile(r"\bUnited\s+Arab\s+Emirates\b|\bUAE\b"), "UAE"),
    (re.compile(r"\bSaudi\s+Arabia\b"), "Saudi Arabia"),
    (re.compile(r"\bMiddle\s+East\b"), "Middle East"),
    (re.compile(r"\bRussia\b"), "Russia"),
    (re.compile(r"\bMalaysia\b"), "Malaysia"),
    (re.compile(r"\bSingapore\b"), "Singapore"),
    (re.compile(r"\bIndia\b"), "India"),
]

_DEFAULT_ACTOR = {
    "allow_export": "US", "ban_export": "US", "require_review": "US",
    "require_approval": "US", "fee": "US", "revenue_share": "US",
    "restrict_purchase": "China", "other": None,
}
_BARE_GOVERNMENT = re.compile(
    r"\b(?:the\s+)?(?:government|administration|authorities|officials|regulators|"
    r"central\s+government)\b", _I)
_MAX_CANDIDATES = 40
# Generic verbs and their weak cousins count only with chips, exports or a state in view
# ("ruled out Taliban involvement", "limits slated to be tested by regulators").
_GATED_MODES = frozenset({"allow", "ban", "other_gov", "ban_neg", "allow_g", "ban_g",
                          "purchase_g", "approval_g", "review_g"})
_UNGATED = {"allow_g": "allow_fixed", "ban_g": "ban_fixed", "purchase_g": "purchase_fixed",
            "approval_g": "approval", "review_g": "review"}
_WEAK_TRIGGER = re.compile(r"\b(?:resum\w*|restart\w*|re-start\w*|recommenc\w*|reopen\w*|"
                           r"notif\w*|notice|swe\w+\s+(?:up|in)|ensnar\w*|lost|lose|losing|"
                           r"cover\w*|cautious|careful|wary|"
                           r"caught|rul\w*\s+out|off\s+the\s+table|fac\w*|subject|tested|"
                           r"testing|inspect\w*|vetted|screened|audit\w*|case[- ]by[- ]case|"
                           r"extend\w*|expand\w*|widen\w*|broaden\w*|decided|assessed|"
                           r"evaluated|considered|handled|judged|off[- ]limits|"
                           r"issu\w*\s+(?:\w+\s+)?(?:permits?|licen[cs]es?))\b", _I)
_HAS_WORD = re.compile(r"[A-Za-z]{2}|[\u3040-\u30ff\u4e00-\u9fff]")
# A permission or ban is about this story only when chips, exports or a state are in view.
_TOPIC = re.compile(r"\b(?:chips?|chipmakers?|semiconductors?|GPUs?|processors?|accelerators?|"
                    r"hardware|[Ee]xport\w*|lithography|chipmaking|equipment|China|Chinese|"
                    r"Beijing|entity\s+list|licen[cs]es?|AI|shipments?|tools|fabs?|"
                    r"Commerce\s+Department|Nvidia|AMD|Intel|TSMC|SMIC|Huawei|ASML|Samsung|"
                    r"SK\s+Hynix|Micron)\b")
_URL = re.compile(r"(?:https?://|www\.)\S+", _I)
_BULLET_LINE = re.compile(r"^[ \t]*(?:[-*•·▪‣◦–—]|\d{1,2}[.)])[ \t]+")
_DESCRIPTOR_AFTER = re.compile(r"^-(?:class|generation|based|series|era|grade|level|type)\b", _I)
# Architecture names used as descriptors ("Hopper-class accelerators") refer to the member
# of that family the article is about.
_FAMILIES = {
    "Hopper": ("H200", "H20", "H100", "H800", "GH200"),
    "Blackwell": ("B30A", "B200", "B300", "B100", "B40", "GB200", "GB200 NVL72", "GB300",
                  "RTX Pro 6000D"),
    "Ampere": ("A100", "A800", "A40"),
}


@dataclass
class _Candidate:
    action: str
    trig_start: int
    trig_end: int
    sentence: Span
    negated: bool = False
    chips: list[ChipMention | None] = field(default_factory=lambda: [None])
    metric: str | None = None
    value: float | None = None
    unit: str | None = None
    value_span: tuple[int, int] | None = None
    status_override: str | None = None
    chip_free: bool = False  # extension statements ("also apply to AMD") name no chip
    default_actor: str | None = None  # who usually does this when the text does not say
    threshold: bool = False  # a rule's figure: takes the action of the rule it belongs to
    former_start: int | None = None  # "reversing a policy that had kept ...": where it starts


def extract_policy(text: str) -> list[Fact]:
    """Every policy statement in `text`; never raises."""
    if not isinstance(text, str) or not text.strip():
        return []
    try:
        return _extract(text)
    except Exception:  # noqa: BLE001 - one odd article must not stop a poll
        log.exception("policy extraction failed on a text of %d characters", len(text))
        return []


# ------------------------------------------------------------------ driver

def _extract(text: str) -> list[Fact]:
    if not _HAS_WORD.search(text):
        return []  # no words, no statements (and no work for the sentence splitter)
    sentences = split_sentences(text)
    facts: list[Fact] = []
    context = _Context(text)
    for index, sentence in enumerate(sentences):
        try:
            found = _sentence_facts(text, sentence, sentences, index, context)
        except Exception:  # noqa: BLE001 - skip the sentence, keep the article
            log.exception("policy extraction failed on one sentence")
            found = []
        if not found and facts:
            found = _inherited(text, sentence, facts, context)
        found = found + _shared_terms(text, sentence, found, context)
        found = found + _matched_terms(text, sentence, found, context)
        found = found + _covered_by_terms(text, sentence, found, context)
        heading = _is_heading(text, sentence)
        for f in found:
            f.extra["heading"] = heading
        facts.extend(found)
        context.update(text, sentence)
    facts = _dedupe_document(facts)
    return [f for f in facts if text[f.char_start:f.char_end] == f.quote]


# "resume sales of the MI308 ... on the same arrangement Nvidia accepted for the H20: a 15%
# cut": the money term named for the H20 applies to the sentence's own chip too.
_SAME_DEAL = re.compile(r"\b(?:same|similar|identical)\s+(?:arrangement|deal|terms|"
                        r"conditions|agreement|basis)\b", _I)


def _shared_terms(text: str, sentence: Span, found: list[Fact], context: "_Context") -> list[Fact]:
    s_text = sentence.text
    same = _SAME_DEAL.search(s_text)
    if not same:
        return []
    money = [f for f in found if f.action in ("revenue_share", "fee") and f.value is not None]
    if not money:
        return []
    have = {(f.action, f.chip) for f in found}
    out: list[Fact] = []
    for c in context.chips_of(s_text):
        if c.end > same.start() or any((m.action, c.chip) in have for m in money):
            continue
        base = money[0]
        start = max(base.char_start, sentence.start + same.end())
        colon = re.search(r"[:—–]\s*", s_text[same.end():base.char_end - sentence.start])
        if colon:
            start = sentence.start + same.end() + colon.end()
        span = tight(text, start, base.char_end)
        if not span.text:
            continue
        vendor = c.vendor if c.vendor in ACTOR_INFO else base.actor
        out.append(replace(base, chip=c.chip, actor=vendor, quote=span.text,
                           char_start=span.start, char_end=span.end, extra=dict(base.extra)))
        have.add((base.action, c.chip))
    return out


# "AMD ... its MI308. ... a 25% cut of each sale, matching the fee on Nvidia's H200": the money
# term named for the H200 is also the one on the chip the previous sentences were about.
_MATCHING = re.compile(r"\b(?:matching|mirroring|in\s+line\s+with|the\s+same\s+as|equal\s+to)\s+"
                       r"(?:the\s+)?(?:[\w’'-]+\s+){0,2}?(?:fee|levy|cut|share|charge|tax|rate)\s+"
                       r"(?:on|for|paid\s+on|charged\s+on|applied\s+to|imposed\s+on)\s+", _I)


def _matched_terms(text: str, sentence: Span, found: list[Fact], context: "_Context") -> list[Fact]:
    s_text = sentence.text
    m = _MATCHING.search(s_text)
    if not m:
        return []
    money = [f for f in found if f.action in ("revenue_share", "fee") and f.value is not None
             and f.char_start < sentence.start + m.start()]
    if not money:
        return []
    base = money[-1]
    named = {c.chip for c in context.chips_of(s_text)}
    topic = None
    for lead in reversed(context.lead_ins[-2:]):
        if lead.end < sentence.start - 600:
            break
        others = [c for c in context.chips_of(lead.text) if c.chip not in named]
        if others:
            topic = others[-1]
            break
    if topic is None or any((f.action, f.chip) == (base.action, topic.chip) for f in found):
        return []
    return [replace(base, chip=topic.chip, extra=dict(base.extra))]


# "the terms the White House offered ..., which the company expects to cover its MI308" is a
# grant for the MI308; "the framework does not cover Nvidia's Blackwell products" excludes it.
_TERMS_COVER = re.compile(
    r"\b(?:the\s+|its\s+|this\s+|that\s+)?(?:terms|offer|deal|arrangement|agreement|framework|"
    r"licen[cs]es?|approval|exemption|waiver)\b[^.;:]{0,90}?\b(?P<neg>(?:does|do|did|will|would)\s+"
    r"not\s+|doesn['’]t\s+|don['’]t\s+|won['’]t\s+)?(?:(?:expects?|expected|is\s+expected|are\s+"
    r"expected)\s+to\s+|will\s+|would\s+|also\s+)?(?:cover|covers|covered|covering|extend\s+to|"
    r"extends\s+to|apply\s+to|applies\s+to)\s+(?:(?:its|their|the|Nvidia['’]s|AMD['’]s|"
    r"Intel['’]s)\s+)?", _I)


def _covered_by_terms(text: str, sentence: Span, found: list[Fact],
                      context: "_Context") -> list[Fact]:
    s_text = sentence.text
    m = _TERMS_COVER.search(s_text)
    if not m:
        return []
    chips = [c for c in context.chips_of(s_text) if m.end() <= c.start <= m.end() + 12]
    if not chips:
        return []
    chip = chips[0]
    action = "ban_export" if m.group("neg") else "allow_export"
    if any(f.chip == chip.chip and f.action in ("allow_export", "ban_export") for f in found):
        return []
    span = tight(text, sentence.start + m.start(), sentence.start + chip.end)
    if not span.text:
        return []
    actor = None
    for a in context.actors_of(s_text):
        if m.start() <= a.start < m.end() and actor_family(a.actor) in ("US", "China"):
            actor = a.actor
            break
    fact = Fact(kind="policy", quote=span.text, char_start=span.start, char_end=span.end,
                extractor=NAME, extractor_version=VERSION, chip=chip.chip, metric="other",
                actor=actor or context.last_state or "US", action=action, status="announced")
    fact.extra["sentence_start"] = sentence.start
    fact.extra["sentence_times"] = _times(s_text)
    return [fact]


# Ellipsis and back-reference: "Neither is the upcoming Rubin line", "Nor is the B30A",
# "So is the MI308", "The MI325X can be sold on the same terms".
_ELLIPSIS = re.compile(r"^\W{0,3}(?:Neither|Nor|So)\s+(?:is|are|was|were|will|would|does|do|did|"
                       r"can|could|has|have)\b")
_SAME_TERMS = re.compile(r"\b(?:on|under)\s+(?:the\s+)?(?:same|similar|identical)\s+"
                         r"(?:terms|conditions|basis|rules|arrangement)\b", _I)
_SALE_WORDS = re.compile(r"\b(?:sold|sell|sells|ship|ships|shipped|export|exports|exported|"
                         r"offered|supplied|licensed|cleared|allowed|approved)\b", _I)


# "expects to ask for permission to sell X under the same arrangement": not granted yet.
_REQUEST = re.compile(r"\b(?:ask\w*|seek\w*|sought|appl(?:y|ies|ied|ying))\s+(?:for\s+)?"
                      r"(?:permission|approval|a\s+licen[cs]e|licen[cs]es)\b|"
                      r"\b(?:expects?|expected|plans?|planned|hopes?|hoped|intends?|wants?)\s+to\b", _I)


# A rule's scope: "new rules covering its MI308", "the rules ... cover the NXT:2000i systems".
_SCOPE = re.compile(r"\b(?:(?:the|these|those|its|new|updated|revised|same)\s+){0,2}"
                    r"(?:rules|measures|restrictions|controls|regulations|requirements)\s+"
                    r"(?:[\w’'.:-]+\s+){0,8}?(?:cover|covers|covering|will\s+cover|also\s+cover)\b"
                    r"(?!\s+(?:by|only\s+by|the\s+cost|costs|losses))", _I)


def _scope(text: str, sentence: Span, facts: list[Fact], context: "_Context") -> list[Fact]:
    """A rule's scope takes the action of the last restriction named shortly before."""
    s_text = sentence.text
    m = _SCOPE.search(s_text)
    if not m:
        return []
    bases = [f for f in facts if f.action in ("ban_export", "require_approval")
             and sentence.start - 800 <= f.char_end <= sentence.start]
    if not bases:
        return []
    base = bases[-1]
    chips = [c for c in context.chips_of(s_text) if c.start >= m.end()]
    if chips:
        end = sentence.start + chips[-1].end
    else:
        stop = re.search(r"[,;:]\s", s_text[m.end():])
        end = sentence.start + (m.end() + stop.start() if stop else len(s_text))
    span = tight(text, sentence.start + m.start(), end)
    if not span.text:
        return []
    out: list[Fact] = []
    for c in (chips or [None]):
        if c is not None and any(o.chip == c.chip for o in out):
            continue
        out.append(replace(base, chip=c.chip if c else None, quote=span.text,
                           char_start=span.start, char_end=span.end, metric="other", value=None,
                           unit=None, extra=dict(base.extra)))
    return out


def _inherited(text: str, sentence: Span, facts: list[Fact], context: "_Context") -> list[Fact]:
    """A sentence that only points back ("Neither is X") takes the previous fact's action."""
    s_text = sentence.text
    scoped = _scope(text, sentence, facts, context)
    if scoped:
        return scoped
    ellipsis = _ELLIPSIS.match(s_text)
    same = None if ellipsis else _SAME_TERMS.search(s_text)
    if not (ellipsis or same):
        return []
    chips = [c for c in context.chips_of(s_text)]
    if not chips:
        return []
    if ellipsis:
        base = facts[-1]
        if base.char_end < sentence.start - 400:
            return []
        action = base.action
    else:
        if not _SALE_WORDS.search(s_text[:same.start()]) or _REQUEST.search(s_text[:same.start()]):
            return []
        allows = [f for f in facts if f.action == "allow_export"]
        if not allows:
            return []
        base, action = allows[-1], "allow_export"
    end = sentence.end
    comma = s_text.find(",", chips[-1].end)
    if comma > 0:
        end = sentence.start + comma
    span = tight(text, sentence.start, end)
    out: list[Fact] = []
    seen: set[str] = set()
    for c in chips:
        if c.chip in seen:
            continue
        seen.add(c.chip)
        out.append(replace(base, chip=c.chip, action=action, quote=span.text,
                           char_start=span.start, char_end=span.end, metric="other" if
                           base.metric in ("fee_percent", "revenue_share") else base.metric,
                           value=None if base.metric in ("fee_percent", "revenue_share")
                           else base.value, extra=dict(base.extra)))
    return out


class _Context:
    """What earlier sentences said, for "the government" and bullet lists."""

    def __init__(self, text: str = "") -> None:
        self.last_state: str | None = None  # "US" or "China", the last state that acted
        self.last_person: str | None = None  # for "he said"
        self.lead_ins: list[Span] = []  # recent non-bullet sentences
        self.chip_counts: dict[str, int] = {}
        self._actors: dict[str, list[ActorMention]] = {}
        self._chips: dict[str, list[ChipMention]] = {}
        self._memo: dict[tuple, object] = {}
        # "the list" means the entity list only where the article has named it.
        self.china_story = bool(re.search(r"\bChin(?:a|ese)\b|\bBeijing\b|中国", text))
        self.names_list = bool(re.search(r"\b(?:entity|trade|export[- ]control)\s+(?:black)?list\b|"
                                         r"\bblacklist", text, _I))
        for c in find_chips(text):
            self.chip_counts[c.chip] = self.chip_counts.get(c.chip, 0) + 1

    def memo(self, key: tuple, compute):  # type: ignore[no-untyped-def]
        """A value computed once per sentence (attribution is the same for all its facts)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def chips_of(self, s_text: str) -> list[ChipMention]:
        """Chip mentions of a sentence, found once."""
        found = self._chips.get(s_text)
        if found is None:
            found = self._chips[s_text] = find_chips(s_text)
        return found

    def actors_of(self, s_text: str) -> list[ActorMention]:
        """Actor mentions of a sentence, found once however often the sentence is read."""
        found = self._actors.get(s_text)
        if found is None:
            found = self._actors[s_text] = find_actors(s_text)
        return found

    def update(self, text: str, sentence: Span) -> None:
        if not _HAS_WORD.search(sentence.text):
            return
        for mention in self.actors_of(sentence.text):
            if mention.subject_ok and mention.actor in ("US", "Trump", "Commerce", "BIS",
                                                        "White House", "Congress"):
                self.last_state = "US"
            elif mention.subject_ok and mention.actor in ("China", "MOFCOM", "CAC", "MIIT",
                                                          "NDRC", "SAMR"):
                self.last_state = "China"
            if mention.subject_ok and mention.kind == "person":
                self.last_person = mention.actor
        if not _is_bullet(text, sentence):
            self.lead_ins = (self.lead_ins + [sentence])[-3:]


def _sentence_chips(s_text: str, context: _Context) -> list[ChipMention]:
    """Chips named in a sentence, with family descriptors resolved or dropped."""
    out: list[ChipMention] = []
    for c in context.chips_of(s_text):
        if _DESCRIPTOR_AFTER.match(s_text[c.end:]):
            members = [m for m in _FAMILIES.get(c.chip, ()) if context.chip_counts.get(m)]
            if not members:
                continue
            best = max(members, key=lambda m: context.chip_counts[m])
            if context.chip_counts.get(c.chip, 0) <= context.chip_counts[best]:
                # "Hopper-class" in an H200 story is the H200; in a story that is mostly
                # about the family itself ("Blackwell-based products"), it stays the family.
                c = ChipMention(best, c.vendor, c.start, c.end)
        out.append(c)
    return out


def _is_bullet(text: str, sentence: Span) -> bool:
    line_start = text.rfind("\n", 0, sentence.start) + 1
    return bool(_BULLET_LINE.match(text[line_start:sentence.start + 1]))


def _sentence_facts(text: str, sentence: Span, sentences: list[Span], index: int,
                    context: _Context) -> list[Fact]:
    s_text = sentence.text
    if len(s_text) < 6 or re.match(r"^(?:URL|OUTLET):", s_text) or not _HAS_WORD.search(s_text):
        return []
    japanese = bool(_JA_CHARS.search(s_text))
    chips = _sentence_chips(s_text, context)
    actors = context.actors_of(s_text)
    candidates: list[_Candidate] = []
    lower = s_text.lower()
    present = {h for h in _ALL_EN_HINTS if h in lower}
    triggers = [t for t, hints in zip(_EN_RE, _EN_HINT_SETS) if not hints.isdisjoint(present)]
    if japanese:
        triggers += _JA_RE
    masked = _URL.sub(lambda u: " " * len(u.group(0)), s_text)
    previous = sentences[index - 1].text if index > 0 else ""
    on_topic = japanese or bool(context.chips_of(s_text)) or bool(_TOPIC.search(s_text)) or bool(
        previous and "\n\n" not in text[sentences[index - 1].end:sentence.start]
        and (context.chips_of(previous) or _TOPIC.search(previous)))
    merger_context = bool(_MERGER_WORDS.search(previous) or _MERGER_WORDS.search(s_text))
    examined = 0
    for mode, pattern in triggers:
        if mode == "ban_list" and not context.names_list:
            continue
        for m in pattern.finditer(masked):
            examined += 1
            if len(candidates) >= 3 * _MAX_CANDIDATES or examined > 10 * _MAX_CANDIDATES:
                break  # a run-on "sentence" of trigger words: bounded work, not every match
            cand = _candidate(mode, m, s_text, sentence, actors, chips, merger_context,
                              context.china_story)
            if cand is not None and (on_topic or (mode not in _GATED_MODES
                                                  and not _WEAK_TRIGGER.search(m.group(0)))):
                candidates.append(cand)
    candidates.extend(_fee_candidates(s_text, sentence, context))
    sentence_quantities: list[Quantity] | None = None
    if (candidates or _RULE_WORDS.search(s_text)) and _HAS_NUMBER.search(s_text):
        sentence_quantities = _quantities(s_text)
        known = {c.value_span for c in candidates if c.value_span}
        candidates.extend(c for c in _spec_bound_candidates(s_text, sentence, sentence_quantities)
                          if not any(k[0] <= c.trig_start < k[1] for k in known))
    if not candidates:
        return []
    # A "sentence" with dozens of triggers is a list or garbage; keep it bounded.
    candidates = sorted(candidates, key=lambda c: c.trig_start)[:_MAX_CANDIDATES]
    _adopt_threshold_actions(candidates)
    facts: list[Fact] = []
    for cand in candidates:
        for chip in cand.chips:
            fact = _build_fact(text, sentence, cand, chip, actors, chips, context, japanese)
            if fact is None:
                continue
            _merge_into(facts, fact)
    if japanese:
        facts = _join_alternatives(facts, s_text, sentence)
    if sentence_quantities:
        _attach_values(facts, s_text, sentence, sentence_quantities, candidates)
        if japanese:
            _attach_conditions(facts, s_text, sentence, sentence_quantities)
    return facts


def _join_alternatives(facts: list[Fact], s_text: str, sentence: Span) -> list[Fact]:
    """「取り外すか、購入計画を取り消す」: two alternatives of one requirement are one fact."""
    out: list[Fact] = []
    for f in sorted(facts, key=lambda x: x.char_start):
        prev = out[-1] if out else None
        if prev is not None and prev.action == f.action and prev.chip == f.chip and \
                prev.value is None and f.value is None and prev.quote.endswith("か") and \
                re.fullmatch(r"[、,\s]*", s_text[prev.char_end - sentence.start:
                                                 f.char_start - sentence.start]):
            prev.char_end = f.char_end
            prev.quote = s_text[prev.char_start - sentence.start:prev.char_end - sentence.start]
            continue
        out.append(f)
    return out


_JA_CONDITION = re.compile(r"\s*(未満|以下|以上|超)?[^、。]{0,12}?(?:では|には|の場合は?|なら)、")


def _attach_conditions(facts: list[Fact], s_text: str, sentence: Span,
                       quantities: list[Quantity]) -> None:
    """「進捗が30%未満の案件では、…必要がある」: the threshold of a conditional clause is the
    rule's parameter; the quote widens to take the condition in."""
    for q in quantities:
        cond = _JA_CONDITION.match(s_text, q.end)
        if q.unit != "%" or not cond or not (cond.group(1) or re.search(r"(?:未満|以下|以上|超)$",
                                                                        q.text)):
            continue
        for f in facts:
            rel = f.char_start - sentence.start
            if f.value is None and f.action not in ("fee", "revenue_share") and \
                    0 <= rel - cond.end() <= 2:
                start = s_text.rfind("、", 0, q.start) + 1
                f.char_start = sentence.start + start
                f.quote = s_text[start:f.char_end - sentence.start]
                f.value, f.unit = q.value, q.unit


_VALUE_UNITS = ("%", "months")
_HAS_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                         r"\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
                         r"half|quarter)\b|[一二三四五六七八九十百千万]", _I)
# "notify 25 days before sending them": a notice period, not a date.
_LEAD_TIME = re.compile(r"\s*(?:days|weeks)?['’]?\s*(?:before|ahead\s+of|prior\s+to)\s+"
                        r"(?:each|any|every|a|an|\w+ing)\b", _I)
_BARE_PERIOD = re.compile(r"\s*(days|weeks)\b", _I)
_RELATIVE_TIME = re.compile(r"\s*(?:days|weeks)?\s*(?:later|ago|earlier|after|before|on|afterwards|"
                            r"into)\b", _I)


def _attach_values(facts: list[Fact], s_text: str, sentence: Span,
                   quantities: list[Quantity], candidates: list[_Candidate]) -> None:
    """A rule's own figure ("apply 30 days in advance", "deny licences for 30 months").

    Fees and thresholds carry their figure already; other facts take the nearest share or
    period inside their quote. Money, specs and plain counts ("80 companies") are not
    parameters of a rule and are left alone.
    """
    taken = {c.value_span for c in candidates if c.value_span}
    for f in facts:
        if f.value is not None or f.action in ("fee", "revenue_share"):
            continue
        trig = f.extra.get("trigger", (f.char_start, f.char_end))[0] - sentence.start
        best: tuple[int, Quantity, str] | None = None
        for q in quantities:
            if (q.start, q.end) in taken:
                continue
            if not (f.char_start <= sentence.start + q.start and
                    sentence.start + q.end <= f.char_end):
                continue
            unit = q.unit
            if unit is None:
                period = _BARE_PERIOD.match(s_text[q.end:q.end + 8])
                unit = period.group(1).lower() if period else None
            if unit not in _VALUE_UNITS and unit not in ("days", "weeks"):
                continue  # specs ("6 TB/s of bandwidth") describe a chip, not the rule
            if unit in ("months", "days", "weeks") and _RELATIVE_TIME.match(s_text[q.end:q.end + 20]) \
                    and not _LEAD_TIME.match(s_text[q.end:q.end + 40]):
                continue  # "three months later": when, not how long a rule runs
            dist = abs(q.start - trig)
            if best is None or dist < best[0]:
                best = (dist, q, unit)
        if best is not None:
            f.value, f.unit = best[1].value, best[2]
            f.extra["attached_value"] = True


_SECOND_CLAUSE = re.compile(r"(?:,|;)\s+(?:and|but|while)\s+(?P<neg>no|none|not)\b", _I)


def _merge_into(facts: list[Fact], fact: Fact) -> None:
    """Add a sentence's fact unless it restates one already there.

    Same action and chip in overlapping clauses is one statement; the version with a figure
    wins. Different figures ("TPP of 4,800 ... 600 GB/s") and clauses that do not overlap
    ("placed 140 entities on the list, and tightened controls on memory") are kept apart.
    """
    t_new = fact.extra.get("trigger", (fact.char_start, fact.char_end))
    for i, prior in enumerate(facts):
        if prior.action != fact.action or prior.chip != fact.chip:
            continue
        if prior.value is not None and fact.value is not None and prior.value != fact.value:
            continue
        t_old = prior.extra.get("trigger", (prior.char_start, prior.char_end))
        if 0 <= fact.char_start - prior.char_end <= 2 and re.match(r"\w+ing\b", fact.quote) \
                and t_new[0] == fact.char_start:
            return  # "barred its exports, cutting off carmakers ...": the same measure again
        if not (prior.char_start <= t_new[0] < prior.char_end
                or fact.char_start <= t_old[0] < fact.char_end):
            continue  # each trigger outside the other's clauses: two statements
        second = None
        if t_old[1] <= t_new[0] and not (prior.char_start <= t_new[0] < prior.char_end) and \
                fact.char_start <= t_old[1]:
            second = _SECOND_CLAUSE.search(
                fact.quote[t_old[1] - fact.char_start:t_new[0] - fact.char_start])
        if second:
            # "remain off limits, and no licences will be granted for them": two refusals;
            # the second quote starts at its own clause.
            cut = t_old[1] - fact.char_start + second.start("neg")
            fact = replace(fact, quote=fact.quote[cut:],
                                       char_start=fact.char_start + cut)
            continue
        if prior.value is None and fact.value is not None:
            facts[i] = fact
        return
    facts.append(fact)


# ------------------------------------------------------------------ triggers -> candidates

def _domain(s_text: str, start: int, end: int) -> str | None:
    """'export' or 'purchase': what the permission or prohibition is about."""
    right = s_text[end:end + 110]
    cut = re.search(r"[;—–]|\s--\s|\b(?:while|but|although|though|whereas)\b", right)
    if cut:
        right = right[:cut.start()]
    exp = _EXPORT_WORDS.search(right)
    pur = _PURCHASE_WORDS.search(right)
    if exp or pur:
        if exp and pur:
            return "export" if exp.start() < pur.start() else "purchase"
        return "export" if exp else "purchase"
    left = s_text[max(0, start - 110):start]
    exp_l = list(_EXPORT_WORDS.finditer(left))
    pur_l = list(_PURCHASE_WORDS.finditer(left))
    if exp_l or pur_l:
        last_e = exp_l[-1].end() if exp_l else -1
        last_p = pur_l[-1].end() if pur_l else -1
        return "export" if last_e >= last_p else "purchase"
    return None


def _chip_object(chips: list[ChipMention], s_text: str, end: int) -> bool:
    """A chip right after a permission verb is what it permits ("allow a Blackwell chip"),
    unless an infinitive follows ("allows the H200 to run larger models")."""
    for c in chips:
        if 0 <= c.start - end <= 25 and not re.search(r"[,;.]", s_text[end:c.start]):
            return not re.match(r"\s*(?:\S+\s+){0,3}?to\s+\w+", s_text[c.end:c.end + 30], _I)
    return False


def _chip_near(chips: list[ChipMention], start: int, end: int, window: int) -> bool:
    return any(c.start < end + window and c.end > start - window for c in chips)


def _candidate(mode: str, m: re.Match[str], s_text: str, sentence: Span,
               actors: list[ActorMention], chips: list[ChipMention],
               merger_context: bool = False, china_story: bool = False) -> _Candidate | None:
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
    if (_COUNTERFACTUAL_MODAL.search(before[-50:]) or re.search(r"\b(?:could|would|might)\b",
                                                                 m.group(0), _I)) and _COUNTERFACTUAL_IF.match(s_text[end:end + 90]):
        return None  # "could sell the H200 if it wanted to": a possibility, not a rule
    if mode in ("allow", "ban", "allow_fixed", "ban_fixed") and _OPINION.search(before[-45:]):
        return None  # "accused Washington of abusing controls to block ...": a charge, no rule
    if mode == "allow_fixed" and re.match(r"issu", m.group(0), _I) and \
            re.search(r",\s+which\s+(?:will|would|is\s+to)\s+$", before[-30:], _I):
        return None  # "the Commerce Department, which will issue the licences": its role
    if mode in ("allow", "allow_fixed") and re.search(
            r"\b(?:ban\w*|bar|bars|barred|barring|block\w*|prohibit\w*|stop\w*|prevent\w*)\s+"
            r"(?:[\w’'.-]+\s+){0,4}?from\s+$", before[-60:], _I):
        return None  # "would bar Commerce from approving licences": the bar is the rule
    if mode in ("allow", "allow_fixed") and re.search(
            r"\b(?:before|until|unless)\s+(?:\w+\s+){0,1}$", before[-20:], _I):
        return None  # "notify Congress before granting any licence": a condition, no grant
    if mode == "allow_fixed" and re.search(r"\b(?:only\s+)?(?:after|once)\s+$",
                                           before[-16:], _I):
        cand = _Candidate(action="require_approval", trig_start=start, trig_end=end,
                          sentence=sentence)
        cand.chips = _chips_for(cand, chips, s_text)
        return cand  # "shipments would start only after licences were issued": a licence duty
    if mode == "ban" and re.match(r"(?:cap|caps|capped|capping|limited|limiting)$", m.group(0), _I) \
            and re.match(r"\s+(?:sales|exports|shipments)\s+(?:to\s+China\s+)?at\s+", s_text[end:end + 30], _I):
        cand = _Candidate(action="allow_export", trig_start=start, trig_end=end, sentence=sentence)
        cand.chips = _chips_for(cand, chips, s_text)
        return cand  # "rules that capped sales at the cut-down H20": the H20 was the ceiling
    plea_m = _PLEA.search(before[-120:])
    plea = bool(plea_m)  # "pressed the administration to ...": asked for
    if plea_m and _FOREIGN_PLEADER.search(before[-120:][:plea_m.start()][-80:]):
        return None  # "Beijing urged Washington to lift restrictions": a demand, not a measure
    if mode in ("allow", "ban") and _PURPOSE.search(before[-30:]):
        return None  # "part of an effort to curb the industry": a motive, not a measure
    negated = bool(_NEGATION_BEFORE.search(before[-40:]) or _SUBJECT_NEGATED.search(clause_left))
    if _MENTION_FRAME.search(clause_left[-120:]) and not re.search(
            r"\b(?:said|says|told|announced|confirmed)\b", clause_left[-60:], _I):
        return None  # "asked Nvidia for comment on the licence requirement": named, not stated
    if re.search(r"\b(?:no|few|none\s+of\s+the)\s+(?:such\s+)?$", before[-18:], _I):
        negated = True  # "no applications for the B30A had been approved"
    word0 = m.group(0).lower()
    if mode in ("allow", "ban", "allow_fixed") and word0.endswith("ing") and \
            not clause_left.strip() and re.search(r"\b(?:would|could|might)\b", s_text[end:end + 80], _I):
        return None  # "Allowing the H200 would give Chinese labs a jump": an argument
    if mode in ("allow", "allow_fixed") and re.search(r"\bif\s+(?:[\w’'-]+\s+){0,2}$", before[-30:], _I):
        return None  # "if Beijing allowed it": a condition of someone's estimate
    if re.search(r"(?:requirements?|rules?|ban|controls|restrictions|curbs)$", word0) and (
            re.search(r"\b(?:before|after|since|until|ahead\s+of)\s+(?:the\s+|its\s+|"
                      r"(?:this|last)\s+year['’]s\s+)?(?:[\w’'-]+\s+){0,2}$", before[-40:], _I)
            or (re.search(r"(?:^|\s)the\s+(?:[A-Z][a-z]+\s+)?(?:\d{4}\s+)?(?:[\w-]+\s+)?$", before[-40:])
                and re.match(r"\s+and\s+the\b", s_text[end:end + 10]))):
        return None  # "before this year's licence requirement": a time mark, not a rule
    if re.match(r"(?:limited|restricted|constrained|capped|bound|held\s+back|bottlenecked)$",
                m.group(0), _I) and re.match(r"\s+(?:mostly\s+|largely\s+|mainly\s+)?by\b",
                                            s_text[end:end + 20], _I) and not any(
            end < a.start <= end + 30 for a in actors):
        return None  # "limited by memory bandwidth": a technical bound, no one's rule
    cand = _Candidate(action="other", trig_start=start, trig_end=end, sentence=sentence)
    if mode == "allow":
        if re.search(r"\b(?:must|required\s+to|have\s+to|has\s+to)\s+$", before[-14:], _I):
            return None  # "each buyer must allow inspectors": a duty, not a permission
        if re.search(r"\b(?:licen[cs]es?|permits?|applications?)\s+(?:\w+\s+)?$", before[-30:], _I):
            return None  # "a licence approved in advance" asks for approval, grants nothing
        if re.match(r"\s*(?:on\s+)?(?:each|every|all|individual|the)\s+(?:[\w-]+\s+)?(?:buyers?|"
                    r"customers?|purchasers?|clients?|end[- ]users?)\b", s_text[end:end + 40], _I):
            cand.action = "require_approval"  # "will sign off on each buyer": vets who may buy
            cand.chips = _chips_for(cand, chips, s_text)
            return cand
        if m.group(0).lower() in ("permit", "permits") and re.match(
                r"\s+(?:are|were|is|was|have\s+been|has\s+been|will\s+be)\s+(?:issued|granted)\b",
                s_text[end:end + 30], _I):
            return None  # "permits were issued": the noun, stated by the issuing trigger
        if m.group(0).lower().startswith("permit") and _NOUN_BEFORE.search(before[-20:]):
            return None  # "apply for the permit": a document, not a permission
        if _REDUCED_RELATIVE.search(before[-80:]):
            return None  # "the models Nvidia is permitted to sell": describes the models
        word = m.group(0).lower()
        if word in ("approved", "authorised", "authorized", "permitted", "cleared", "okayed",
                    "approval") and _APPROVED_PARTY.match(s_text[end:end + 60]):
            return None  # "approved customers": who may buy, stated by the approval trigger
        if word in ("approved", "authorised", "authorized", "licensed", "permitted", "cleared") \
                and re.search(r"\b(?:an|a|the|its|their|this|that|any|every|each)\s+$", before[-8:],
                              _I):
            return None  # "not on an approved list": an adjective, not a permission
        if merger_context and re.search(r"\b(?:which|that)\s+(?:[\w’'-]+\s+){0,4}$", before[-60:]) \
                and _MERGER_WORDS.search(before[-140:]):
            cand.action = "other"  # "the takeover, which regulators cleared in 2020"
            cand.chips = [None]
            return cand
        if _MERGER_OBJECT.match(s_text[end:end + 60]) or (
                merger_context and _DEAL_OBJECT.match(s_text[end:end + 60])):
            cand.action = "other"  # a merger approval is a competition ruling
            cand.chips = [None]
            return cand
        domain = _domain(s_text, start, end)
        if re.match(r"\s+(?:China|Beijing|Chinese\s+\w+)\s+(?:have|get|obtain|receive|access|"
                    r"acquire)\b", s_text[end:end + 40], _I):
            domain = "export"  # "would not let China have our best chips": supply to China
        if domain is None and china_story and _chip_object(chips, s_text, end):
            domain = "export"  # "might allow a Blackwell chip" in a story about China
        if domain is None and not (_chip_near(chips, start, end, 60)
                                   and re.search(r"\bChin|Beijing", s_text)):
            return None
        if domain == "purchase":
            window = s_text[max(0, start - 30):end + 60]
            if not negated and word.startswith(("approv", "authori", "clear", "sign")) and \
                    (_PURCHASE_OBJECT.match(s_text[end:end + 50]) or re.match(
                        r"\s+(?:on\s+)?(?:[\w-]+\s+){0,5}?(?:purchases|imports|orders)\b",
                        s_text[end:end + 60], _I)):
                cand.action, cand.default_actor = "require_approval", "China"
                cand.chips = _chips_for(cand, chips, s_text)
                return cand  # "regulators approved purchases of the H200": a buyer's approval
            if not negated and re.search(r"\b(?:deals?|agreements?|accords?|arrangements?)\s+"
                                         r"(?:\w+\s+)?$", before[-30:], _I) and \
                    not re.search(r"\bChin|Beijing", s_text):
                cand.action = "allow_export"  # "the deals allow G42 to buy ...": supply let through
                cand.chips = _chips_for(cand, chips, s_text)
                return cand
            if negated:
                cand.action, cand.negated = "restrict_purchase", True  # "will not let them buy"
                cand.chips = _chips_for(cand, chips, s_text)
                return cand
            if not _LIMITING.search(window) and not re.search(r"\bonly\b", clause_left, _I):
                return None
            cand.action = "restrict_purchase"
        elif negated:
            cand.action, cand.negated = "ban_export", True
        else:
            cand.action = "allow_export"
    elif mode == "ban":
        word = m.group(0).lower()
        verb_form = word in ("restricts", "prohibits", "forbids", "outlaws") or (
            word.endswith("s") and re.match(r"\s+(?:[A-Z][\w-]*\d\w*\s+|the\s+|its\s+)?"
                                            r"(?:sales|exports|shipments)\b(?!\s+(?:of\s+)?(?:is|are|was|were|has|have|fell|rose)\b)",
                                            s_text[end:end + 40]))
        if not word.endswith(("ed", "ing")) and " " not in word and not verb_form and re.search(
                r"(?:\b(?:the|a|an|its|this|that|any|new|total|outright|blanket|such|these|"
                r"those|export|trade|chip|sales|US|American|Chinese|their|his|her|our|"
                r"recent|latest|current|existing|previous|earlier|tough|tougher|tighter|upper|lower|"
                r"Western|allied|own|similar|foreign|"
                r"hard|soft|annual|overall|numerical|volume|quantity|"
                r"strict|stricter|sweeping|partial|temporary|de\s+facto|further|more|fresh|"
                r"additional|possible|future|oppose|opposes|opposed|opposing|support|supports|"
                r"supported|impose|imposes|imposed|lift|lifts|lifted|ease|eased|face|faces|"
                r"faced|on|of|with|without|against|no)|U\.S\.|[’']s)\s+"
                r"(?:[A-Z][\w-]*\d\w*\s+)?$",
                before[-24:], _I):
            return None  # "the ban", "a limit": a noun, not a statement of its own
        if re.match(r"\s+(?:\w+\s+)?(?:taxes|tariffs|duties|fees|levies)\b", s_text[end:end + 30], _I):
            return None  # "the Constitution bars taxes on exports": about money, not goods
        if _TO_VETTED.match(s_text[end:end + 90]):
            return None  # "limited to vetted customers": the approval trigger states it
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
        if re.match(r"\s+(?:\w+\s+)?(?:buyers|purchasers|purchases|importers|imports)\b",
                    s_text[end:end + 30], _I) and re.search(r"\bChin|Beijing", s_text):
            domain = "purchase"  # "Beijing limits buyers": who may buy, not what ships
        if _COMPANY_FROM_USE.match(s_text[end:end + 80]) and any(
                actor_family(a.actor) == "China" and a.end <= start for a in actors):
            domain = "purchase"  # "China bars Micron from key networks": its buyers may not use it
        passive = _PASSIVE_BEFORE.search(before[-25:])
        if domain is None and word.startswith(("cut", "choke")):
            domain = "export"  # "cut Chinese fabs off from US tools": supply is what is cut
        if domain is None:
            if passive and (_SUBJECT_GOODS.search(before[-60:])
                            or _chip_near(chips, start - 30, start, 10)):
                domain = "export"
            elif _chip_near(chips, end, end + 1, 25) and re.search(r"\bChin|Beijing", s_text):
                domain = "export"
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
                    passive and re.search(r"\b(?:shipments?|sales|exports?|orders?|deliveries)"
                                          r"\b", before[-60:], _I)):
                return None
        cand.action = "ban_export" if domain == "export" else "restrict_purchase"
        if cand.action == "restrict_purchase" and any(
                a.end <= start and a.subject_ok and actor_family(a.actor) == "US" for a in actors) \
                and not any(actor_family(a.actor) == "China" for a in actors):
            cand.action = "ban_export"  # "the diffusion rule capped what countries could buy"
        if _ATTEMPT.search(before[-40:]):
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
        if not chips or re.search(r"\b(?:applications?|requests?|permission|licen[cs]es?|"
                                  r"seek\w*|sought|ask\w*|hop\w*|want\w*|push\w*|lobb\w*)\s+"
                                  r"(?:\w+\s+)?to\s+$", before[-40:], _I):
            return None
        if m.group(0).lower().startswith(("resuming", "restarting")) and re.match(
                r"[^,;.]{0,50}?\b(?:was|is|were|are|would\s+be|will\s+be)\b", s_text[end:end + 60], _I):
            return None
        cand.action, cand.negated = ("ban_export", True) if negated else ("allow_export", False)
    elif mode == "allow_fixed":
        if negated and re.search(r"\bnot\s+yet\b|\byet\s+to\b", before[-40:], _I):
            return None  # "has not yet received licences": pending, neither grant nor ban
        if negated:
            cand.action, cand.negated = "ban_export", True
        else:
            cand.action = "allow_export"
    elif mode == "extend":
        if negated:
            return None
        cand.action, cand.chip_free = "allow_export", True
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
                        tail, _I)))):
            return None
        cand.action = "restrict_purchase"
    elif mode == "purchase_fixed":
        cand.action = "restrict_purchase"
        if re.search(r"violat|breach|break", m.group(0), _I):
            cand.default_actor = "US"  # using a listed chip breaks US controls: Washington's rule
    elif mode == "review":
        if negated:
            return None
        if re.search(r"\b(?:failed|fails|failing|passed|passes|flunked|cleared)\s+(?:a|an|the|its)\s+$",
                     before[-20:], _I):
            return None  # "products had failed a security review": the outcome, stated elsewhere
        if _CUSTOMER_BEFORE.search(before[-20:]) and re.match(r"(?:vetted|screened|approved)",
                                                               m.group(0), _I):
            return None  # "customers vetted by Commerce": who may buy, an approval rule
        if re.match(r"(?:to\s+)?be\s+(?:vetted|screened|approved)", m.group(0), _I) and re.search(
                r"\b(?:customers|buyers|clients|end[- ]users|purchasers)\s+(?:will|would|must|shall)\s+"
                r"(?:have|need)\s+$|\b(?:customers|buyers|clients|end[- ]users|purchasers)\s+"
                r"(?:must|will|would|shall)\s+$", before[-40:], _I):
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
        if negated:
            return None
        if re.match(r"(?:\s+\w+){0,2}?\s+(?:that|which)\s+(?:[\w’'-]+\s+){0,3}?(?:will|would)\s+"
                    r"(?:\w+\s+)?be\s+(?:\w+ly\s+)?(?:denied|rejected|refused)\b", s_text[end:end + 80], _I):
            return None  # "need a licence that will be denied": a ban, which the denial states
        if re.match(r"(?:required|needed|necessary)\b", m.group(0), _I) and re.search(
                r"\b(?:the|a|an|any|its|their|all)\s+$", before[-8:], _I):
            return None  # "withheld the required licence": names the licence, requires nothing
        if re.match(r"[^.;]{0,60}?\bcertify\s+that\s+(?:US|U\.S\.|American|domestic)\s+"
                    r"(?:buyers|customers)\b", s_text[end:end + 120], _I):
            return None  # applicants certifying that US buyers came first: a bill's duty
        cand.action = "require_approval"
        if re.search(r"\b(?:justify|explain|prove|demonstrat\w*|show)\b", m.group(0), _I) and \
                re.search(r"\b(?:domestic|local|homegrown|Chinese-made)\b",
                          m.group(0) + s_text[end:end + 60], _I):
            cand.default_actor = "China"  # justify buying foreign over domestic: Beijing's test
    elif mode == "other_gov":
        cand.action = "other"
    elif mode == "other":
        cand.action = "other"
        if re.search(r"domestic|local|homegrown|indigenous|Chinese-made|国産", m.group(0), _I):
            cand.default_actor = "China"  # buy-domestic policies are Beijing's
        elif re.search(r"\b(?:keep|hold)\b", m.group(0), _I):
            cand.default_actor = "US"  # "must keep the chips away from ...": an export condition
    elif mode == "threshold":
        return _threshold(m, s_text, sentence, cand)
    elif mode == "limit_value":
        return _limit_value(m, s_text, sentence, cand)
    cand.chips = _chips_for(cand, chips, s_text)
    if _GAPPED_VERB.fullmatch(m.group(0)):
        # "the H200 can go, the Blackwell cannot": each half is about the chip just before it
        near = [c for c in chips if 0 <= start - c.end <= 12]
        cand.chips = near[-1:] if near else [None]
    if plea:
        cand.status_override = "proposed"
        if cand.action == "allow_export" and re.search(
                r"\b(?:stop|cease|end|halt)\s+$", before[-8:], _I):
            cand.action = "ban_export"  # "to stop granting such licences": asked for a ban
    elif cand.action == "ban_export" and (undone := _FORMER_RULE.search(before[-120:])):
        cand.former_start = len(before) - len(before[-120:]) + undone.start()
        cand.status_override = "enacted"  # the rule being undone was in force
    return cand


# "reversing a policy that had kept ...", "scrapped a Biden-era rule that capped ...": the
# relative clause tells the rule being undone, a past ban of the government's.
_FORMER_RULE = re.compile(
    r"\b(?:revers\w*|scrap(?:s|ped|ping)?|rescind\w*|repeal\w*|overturn\w*|undo(?:es|ing)?|"
    r"undid|end(?:s|ed|ing)|lift(?:s|ed|ing)?|replac\w*|abandon\w*|revok\w*|drop(?:s|ped|ping)?)"
    r"\s+(?:a|an|the|its|their|this|that)\s+(?:[\w’'-]+\s+){0,3}?(?:policy|rule|regulation|"
    r"ban|order|restrictions?|curbs?|controls?|framework|measure)\s+(?:that|which)\s+"
    r"(?:had\s+|has\s+|have\s+)?(?:long\s+|effectively\s+)?$", _I)


_GAPPED_VERB = re.compile(r"(?:can|may|will)\s+go|cannot|can['’]t|may\s+not|will\s+not|won['’]t", _I)


# A negated subject makes the clause deny what its verb grants: "Neither the B300 nor the
# B30A is licensed", "no applications for the B30A had been approved".
_SUBJECT_NEGATED = re.compile(
    r"(?:^|\b(?:that|and|but|said|says)\s+)\s*(?:neither\b[^,;]*?\bnor\b|none\s+of\b|"
    r"no\s+(?:[\w-]+\s+){0,1}?(?:applications?|licen[cs]es?|permits?|approvals?|requests?|"
    r"chips?|exports?|shipments?|sales|waivers?|exemptions?)\b)[^,;]*$", _I)
# A policy named inside a request or a time phrase is a mention, not a statement.
_MENTION_FRAME = re.compile(
    r"\b(?:for\s+comment|comment(?:ed|ing)?|respond(?:ed)?|questions?|asked)\s+(?:\w+\s+){0,3}?"
    r"(?:on|about|over|regarding)\s+(?:[\w’'-]+\s+){0,5}$", _I)
_MODAL_PASSIVE = re.compile(r"(?:can|could|will|would)\s", _I)
_OBLIGED_BEFORE = re.compile(r"\b(?:must|need|needs|needed|required\s+to|have\s+to|has\s+to|"
                             r"had\s+to|apply|applied|seek|sought|will|would|hop\w*|want\w*)\s+"
                             r"(?:to\s+)?(?:\w+\s+)?$", _I)
_SUBORDINATE_BEFORE = re.compile(r"\b(?:before|until|unless|if|whether|that|which|when|once)\s+"
                                 r"(?:[\w’'-]+\s+){0,3}$", _I)
_GOODS_OF_BUSINESS = re.compile(r"\b(?:orders?|inventory|stock|backlog|units|revenue)\s+"
                                r"(?:[\w’'-]+\s+){0,1}$", _I)


def _clause_form_ok(matched: str, before: str, chips: list[ChipMention], start: int) -> bool:
    """Guards for the broad clause-level forms: who is the subject, and is it a statement."""
    low = matched.lower()
    if low.startswith(("stay", "remain", "kept", "fell", "fall")) and re.search(r"\bto\s+$", before[-5:]):
        return False  # "disabled cores to stay under the thresholds": a design aim
    if low.startswith(("receiv", "won", "obtain", "secur")) and _OBLIGED_BEFORE.search(before[-40:]):
        return False  # "must obtain a licence to export": a requirement, not a grant
    if _MODAL_PASSIVE.match(matched):
        # "the H200 could be sold to approved customers": a permission about a named chip;
        # "before they could be exported", "chips that could be shipped" describe, not rule.
        if " only " in f" {low} " or _SUBORDINATE_BEFORE.search(before[-40:]):
            return False
        if not any(0 <= start - c.end <= 30 for c in chips):
            return False
    if re.search(r"\bnot\s+be\b|cannot", low) and _GOODS_OF_BUSINESS.search(before[-30:]):
        return False  # "orders could not be shipped": a company's backlog, not a rule
    return True


def _clause_left(s_text: str, start: int) -> str:
    """Text from the start of the trigger's clause to the trigger."""
    left = s_text[max(0, start - 300):start]
    cut = max((m.end() for m in re.finditer(r"[;—–]|\s--\s|,\s|、|\b(?:while|but|although|"
                                          r"though|whereas)\b", left)), default=0)
    return left[cut:]


def _threshold(m: re.Match[str], s_text: str, sentence: Span,
               cand: _Candidate) -> _Candidate | None:
    if not re.search(r"\b(?:restrict\w*|controls?|ban\w*|rules?|threshold|limit\w*|"
                     r"licen[cs]\w*|regulation\w*|applicable)\b", s_text, _I):
        return None
    window = s_text[m.end():m.end() + 60]
    for q in _quantities(window):
        gap = window[:q.start]
        bound_after = re.match(r"\s*(?:or\s+(?:above|more|higher|greater)|and\s+above|\+|"
                               r"(?:level|line|mark|threshold|limit|bar|score)\s+(?:above|over|"
                               r"beyond|at)\s+which)", window[q.end:], _I) or re.search(
                                   r"or\s+(?:above|more|higher)", q.text, _I)
        bound_before = re.search(r"(?:reach(?:es|ing)?|above|exceed(?:s|ed|ing)?|over|"
                                 r"greater\s+than|tops|surpass(?:es)?|"
                                 r"at\s+least|beyond|threshold\s+(?:of|at))\s*$", gap, _I) \
            or re.match(r"(?:reaching|above|exceeding|over|greater\s+than|more\s+than|"
                        r"at\s+least|beyond)\b", q.text, _I) \
            or (re.match(r"\s*(?:of|at)\s*$", gap, _I) and re.search(
                r"\b(?:above|exceeding|over|beyond|surpassing)\s+(?:a|an|the)\s+$",
                s_text[:m.start()], _I))  # "chips above a total processing performance of 4800"
        if not (bound_after or bound_before):
            continue
        density = "density" in m.group(0).lower()
        if q.value < (1 if density else 10):
            continue
        cand.action = "ban_export"
        cand.threshold = True
        cand.metric = "performance_density" if density else "tpp"
        cand.value = q.value
        cand.unit = None
        cand.value_span = (m.end() + q.start, m.end() + q.end)
        cand.chips = [None]
        return cand
    return None


def _limit_value(m: re.Match[str], s_text: str, sentence: Span,
                 cand: _Candidate) -> _Candidate | None:
    window = s_text[m.end():m.end() + 80]
    for q in _quantities(window):
        if q.unit in (None, "%") or q.unit in ("months", "USD"):
            continue
        cand.action = "ban_export"
        cand.threshold = True
        cand.metric = "other"
        cand.value = q.value
        cand.unit = q.unit
        cand.value_span = (m.end() + q.start, m.end() + q.end)
        cand.chips = [None]
        return cand
    return None


_RULE_WORDS = re.compile(r"\b(?:restrict\w*|controls?|ban\w*|bar|bars|barred|rules?|threshold|"
                         r"limit\w*|licen[cs]\w*|regulations?|caught|covered|capped|halt\w*|"
                         r"curb\w*|prohibit\w*|block\w*|review\w*)\b", _I)
_SPEC_UNITS = ("GB/s", "TB/s", "nm", "W")
_BOUND_AFTER = re.compile(r"^(?:[\s-]*(?:node|process|chips?|or\s+(?:more|above|higher|greater|"
                          r"below|less|smaller|lower|better|faster)|and\s+(?:above|below)))+", _I)
_BOUND_BEFORE = re.compile(r"(?:at\s+least|above|exceeding|over|greater\s+than|more\s+than|"
                           r"below|under|at\s+or\s+(?:above|below)|beyond)\s*$", _I)


def _own_clause(s_text: str, start: int, end: int) -> str:
    """The clause around a span: cut at ; — and ', while/but/whereas'."""
    cut = re.compile(r"[;—]|,\s+(?:while|but|whereas|although|though)\b", _I)
    left = max((m.end() for m in cut.finditer(s_text, 0, start)), default=0)
    nxt = cut.search(s_text, end)
    return s_text[left:nxt.start() if nxt else len(s_text)]


def _spec_bound_candidates(s_text: str, sentence: Span, quantities: list[Quantity]) -> list[_Candidate]:
    """A rule's technical line: "600 gigabytes per second or more", "16nm or below"."""
    if not _RULE_WORDS.search(s_text):
        return []
    out: list[_Candidate] = []
    for q in quantities:
        if q.unit not in _SPEC_UNITS:
            continue
        own = _own_clause(s_text, q.start, q.end)
        if not _RULE_WORDS.search(own) or (q.unit == "W" and not _EXPORT_WORDS.search(s_text)):
            continue  # "draws up to 700 watts, while the other is limited to 600W": specs
        after = _BOUND_AFTER.match(s_text[q.end:q.end + 30])
        if not ((after and re.search(r"or|and", after.group(0), _I))
                or _BOUND_BEFORE.search(s_text[max(0, q.start - 20):q.start])
                or q.low is not None or q.high is not None):
            continue
        cand = _Candidate(action="ban_export", trig_start=q.start, trig_end=q.end,
                          sentence=sentence, metric="other", value=q.value, unit=q.unit,
                          value_span=(q.start, q.end), threshold=True)
        out.append(cand)
    return out


def _adopt_threshold_actions(candidates: list[_Candidate]) -> None:
    """A figure of a rule belongs to the rule's verb: "TPP of 4,800 ... needs a licence"."""
    rules = [c for c in candidates if not c.threshold and c.value is None
             and c.action in ("ban_export", "require_approval", "require_review")]
    if not rules:
        return
    for c in candidates:
        if c.threshold:
            nearest = min(rules, key=lambda r: min(abs(r.trig_start - c.trig_end),
                                                   abs(c.trig_start - r.trig_end)))
            c.action = nearest.action


def _quantities(s: str) -> list[Quantity]:
    try:
        return find_quantities(s)
    except Exception:  # noqa: BLE001
        return []


def _chip_runs(chips: list[ChipMention], s_text: str) -> list[list[ChipMention]]:
    """Chips written as one coordinated list ("A100, A800 and H100") form one run."""
    runs: list[list[ChipMention]] = []
    for chip in chips:
        if runs:
            prev = runs[-1][-1]
            gap = s_text[prev.end:chip.start]
            if re.fullmatch(r"(?:\s+(?:chips?|GPUs?|processors?|accelerators?|parts?))?,?\s+"
                            r"(?:the|a|an|its|called|dubbed|named)\s+", gap) and \
                    chip.chip in _FAMILIES.get(prev.chip, ()):
                runs[-1][-1] = chip  # "a cut-down Blackwell chip, the B30A": one chip
                continue
            if re.fullmatch(r",\s+(?:a|an|the|its)\s+(?:[\w-]+\s+){0,3}", gap) and \
                    prev.chip in _FAMILIES.get(chip.chip, ()):
                continue  # "the RTX Pro 6000D, a workstation-class Blackwell card": one chip
            if re.fullmatch(r",\s+(?:which|who|that)\b[^;.]{0,140},\s+(?:as\s+well\s+as|along\s+"
                            r"with|plus|and(?:\s+also)?)\s+(?:the\s+|its\s+)?", gap):
                runs[-1].append(chip)  # "the A800 and H800, which ..., as well as the L40S"
                continue
            if _coordinated(gap):
                runs[-1].append(chip)
                continue
        runs.append([chip])
    return runs


def _coordinated(gap: str) -> bool:
    if _JA_CHARS.search(gap):
        return bool(re.fullmatch(r"\s*(?:や|と|、|，|・|及び|および|または|,)\s*", gap))
    if len(gap) > 40 or not re.search(r",|\band\b|\bn?or\b|/|\bas\s+well\s+as\b|&", gap):
        return False
    if re.search(r"[;.]|\b(?:than|is|are|was|were|while|but|which|that|to|from)\b", gap):
        return False
    return len(re.findall(r"[A-Za-z]+", gap)) <= 5


_RUNS_CACHE: dict[tuple[str, tuple[ChipMention, ...]], list[list[ChipMention]]] = {}


def _runs_of(chips: list[ChipMention], s_text: str) -> list[list[ChipMention]]:
    """Chip runs of one sentence, computed once however many triggers it has."""
    key = (s_text, tuple(chips))
    runs = _RUNS_CACHE.get(key)
    if runs is None:
        _RUNS_CACHE.clear()
        runs = _RUNS_CACHE[key] = _chip_runs(chips, s_text)
    return runs


_FRONTED = re.compile(r"(?:When|After|Before|Since|Although|Though|While|Once|Because|Until)\b"
                      r"[^,;.]{0,200},\s")


_LIKE_FRONTED = re.compile(r"\W{0,3}(?:Like|Unlike|As\s+with)\s+[^,;.]{1,60},")


_COPULA_GAP = re.compile(r"^\s*(?:[\w-]+\s+)?(?:stays?|remains?|is|are|was|were|"
                         r"(?:will|would)\s+(?:stay|remain|be)|ha(?:s|ve)\s+been|is\s+still|"
                         r"are\s+still)\s+(?:\w+ly\s+)?$", _I)
_CLAUSE_BREAK = re.compile(r"\b(?:as|while|whereas|but|and|although)\b|[,;]", _I)


_GENERIC_OBJECT = re.compile(r"\s+(?:on|of)\s+(?:the\s+|its\s+|their\s+)?(?:top|advanced|most\s+\w+|"
                             r"cutting-edge|leading|leading-edge|high-end|best|newest|latest|"
                             r"top-end|frontier)\s+(?:[\w-]+\s+)?(?:chips|processors|GPUs|"
                             r"accelerators|semiconductors|models)\b", _I)


_ALTERNATIVE_BEFORE = re.compile(r"\b(?:alternatives?|substitutes?|rivals?|replacements?|"
                                 r"(?:domestic|local|homegrown|home-grown|Chinese-made|Chinese)\s+"
                                 r"(?:chips|processors|GPUs|accelerators|products|options))\s*,?\s+"
                                 r"(?:such\s+as|like|including)\s+(?:[\w’'-]+\s+){0,2}$", _I)


def _chips_for(cand: _Candidate, chips: list[ChipMention], s_text: str) -> list[ChipMention | None]:
    if cand.chip_free or not chips:
        return [None]
    # "domestic alternatives such as Huawei's Ascend 910C": the substitute, not the ruled chip
    chips = [c for c in chips if not _ALTERNATIVE_BEFORE.search(s_text[max(0, c.start - 60):c.start])]
    if not chips:
        return [None]
    fronted = _FRONTED.match(s_text)
    if fronted and cand.trig_start >= fronted.end():
        # "When analysts found a die in an Ascend 910B, Commerce ordered ...": the chip of a
        # scene-setting clause is not what the main clause rules on.
        chips = [c for c in chips if c.start >= fronted.end()]
        if not chips:
            return [None]
    like = _LIKE_FRONTED.match(s_text)
    if like and cand.trig_start >= like.end():
        # "Like the H20, it needed a licence": the compared chip is not the subject.
        chips = [c for c in chips if c.start >= like.end()]
        if not chips:
            return [None]
    if re.match(r"\s+(?:it|them)\b", s_text[cand.trig_end:cand.trig_end + 6]) and \
            chips[0].end <= cand.trig_start and not _FRONTED.match(s_text):
        return [chips[0]]  # "... encouraged to run it": the sentence's own chip
    if _GENERIC_OBJECT.match(s_text[cand.trig_end:cand.trig_end + 80]) and not any(
            cand.trig_end <= c.start <= cand.trig_end + 80 for c in chips) and \
            re.search(r"[,;]", s_text[chips[-1].end:cand.trig_start]):
        return [None]  # "rule on H200 licences, keeps ban on top chips": its own object
    best: list[ChipMention] | None = None
    best_dist = 10 ** 9
    reach = cand.trig_end
    barred_from = _FROM_ING.match(s_text[cand.trig_end:cand.trig_end + 120])
    if barred_from and cand.action == "ban_export":
        reach = cand.trig_end + barred_from.end()  # "bar the agency from approving licences for the H200"
    for run in _runs_of(chips, s_text):
        r_start, r_end = run[0].start, run[-1].end
        if r_end <= cand.trig_start:
            dist = cand.trig_start - r_end
        elif r_start >= reach and re.search(r",\s+(?:which|who)\s", s_text[reach:r_start]):
            continue  # "barred ..., which capped sales at the H20": the relative clause's chip
        elif r_start >= reach:
            dist = r_start - reach
        elif r_start >= cand.trig_end:
            dist = 0
        else:
            dist = 0
        if dist < best_dist:
            best, best_dist = run, dist
    if best is None or best_dist > 90:
        return [None]
    if best[0].start >= cand.trig_end:
        before_runs = [r for r in _runs_of(chips, s_text) if r[-1].end <= cand.trig_start]
        if before_runs and _COPULA_GAP.match(s_text[before_runs[-1][-1].end:cand.trig_start]) \
                and _CLAUSE_BREAK.search(s_text[cand.trig_end:best[0].start]):
            # "Blackwell stays off the table as H200 heads to China": the state belongs to
            # its subject, not to the chip of the next clause.
            best = before_runs[-1]
    members = list(best)
    if chips[0].end <= cand.trig_start:
        same = re.search(r"\b(?:same|similar|identical)\s+(?:[\w-]+\s+){0,3}$",
                         s_text[max(0, cand.trig_start - 40):cand.trig_start], _I)
        for run in _runs_of(chips, s_text):
            if run[0].start < cand.trig_end or run[0].start - cand.trig_end > 80:
                continue
            gap = s_text[cand.trig_end:run[0].start]
            same_as = same and re.match(r"\s*(?:[\w-]+\s+){0,3}?as\s+(?:[\w’'-]+\s+){0,2}$",
                                        gap, _I)
            as_does = re.search(r"\bas\s+(?:does|do|did|is|are|was|were|has|have)\s+"
                                r"(?:the\s+)?$", gap, _I)
            if same_as or as_does:
                # "the MI325X remains off-limits, as does the MI350": both share the predicate.
                members = [chips[0]] + members + [c for c in run if c not in members]
            break
    out: list[ChipMention | None] = []
    seen: set[str] = set()
    for c in members:
        if c.chip not in seen:
            seen.add(c.chip)
            out.append(c)
    return out


# ------------------------------------------------------------------ fees


# "the United States would get a very good share of the money": a charge with no figure.
_FIGURELESS_FEE = re.compile(
    r"\b(?:U\.?S\.?|United\s+States|government|Washington|Treasury|us)\s+(?:will|would|is\s+to|"
    r"should|could)?\s*(?:get|gets|receive|receives|take|takes|collect|collects)\s+[“\"']?"
    r"(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:share|portion|cut|slice|part)[”\"']?\s+of\s+(?:the\s+)?"
    r"(?:[\w-]+\s+)?(?:money|proceeds|revenues?|sales|profits|takings)\b|"
    r"\b(?:pay|pays|paying|give|gives|hand)\s+(?:us|the\s+(?:US|U\.S\.|government|United\s+States))\s+"
    r"(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:share|portion|cut|slice)\b", _I)


def _figureless_fee(s_text: str, sentence: Span, context: _Context) -> list[_Candidate]:
    m = _FIGURELESS_FEE.search(s_text)
    if not m or _HYPOTHETICAL.search(s_text[:m.start()]):
        return []
    cand = _Candidate(action="fee", trig_start=m.start(), trig_end=m.end(), sentence=sentence)
    cand.metric = "other"
    cand.chips = _chips_for(cand, _sentence_chips(s_text, context), s_text)
    return [cand]


def _fee_candidates(s_text: str, sentence: Span, context: _Context) -> list[_Candidate]:
    if not (_FEE_WORDS.search(s_text) or _REVENUE_WORDS.search(s_text)):
        return _figureless_fee(s_text, sentence, context)
    quantities = [q for q in _quantities(s_text) if q.unit == "%"]
    if not quantities:
        return _figureless_fee(s_text, sentence, context)
    if not _GOV_RECEIVER.search(s_text):
        return []
    out: list[_Candidate] = []
    kinds: list[str | None] = []
    for q in quantities:
        after = s_text[q.end:q.end + 60]
        before = s_text[max(0, q.start - 60):q.start]
        kind: str | None = None
        if _FEE_ATTACHED.match(after):
            kind = "fee"
        elif re.match(r"^\W{0,3}\s*(?:\w+\s+){0,1}?(?:cut|share|slice|revenue[- ]share)\b",
                      after, _I):
            # "the 25% cut into a tariff": a tax word, or the story's 25 % charge, is a fee.
            local = s_text[max(0, q.start - 80):q.end + 80]
            kind = "fee" if (re.search(r"\b(?:tax|levy|fee|duty|tariff)\b", local, _I)
                             or abs(q.value - 25) < 0.01) and not re.search(
                r"revenue[- ]share", after[:30], _I) else "revenue_share"
        elif _CUT_ATTACHED.match(after):
            # "25% of the proceeds": a tax word nearby makes it a fee; otherwise the
            # story's own usage decides (the 25% charge is a fee, the 15% deal a share).
            local = s_text[max(0, q.start - 80):q.end + 80]
            if re.search(r"\b(?:tax|levy|fee|duty|tariff)\b|徴収", local, _I):
                kind = "fee"
            else:
                kind = "fee" if abs(q.value - 25) < 0.01 else "revenue_share"
        elif re.search(r"\b(?:fee|levy|tax|tariff|duty|surcharge|charge)\b[^%]{0,50}$", before,
                       _I) and not re.search(r"\d\s*(?:%|percent)", before[-50:], _I):
            kind = "fee"
        elif re.search(r"徴収|手数料|課税|税", after[:30]):
            kind = "fee"
        elif re.search(r"(?:売上|売り上げ|収益|販売額)の?\s*$", before):
            kind = "fee" if abs(q.value - 25) < 0.01 else "revenue_share"  # as in English
        elif _COMPARED.search(before):
            kind = "revenue_share" if any(k == "fee" for k in kinds) else None
        elif re.search(r"\b(?:pay|paid|collect\w*|take|taking|give|hand\s+over)\s+"
                       r"(?:\w+\s+){0,2}$", before, _I):
            kind = "fee" if re.search(r"\bcollect", before, _I) else "revenue_share"
        elif kinds and kinds[-1] == "fee" and re.search(r"\b(?:meant|confirmed|is|was|of)\s*$",
                                                        before, _I):
            kind = "fee"
        kinds.append(kind)
        if kind is None:
            continue
        cand = _Candidate(action=kind, trig_start=q.start, trig_end=q.end, sentence=sentence)
        cand.metric = "fee_percent" if kind == "fee" else "revenue_share"
        cand.value = q.value
        cand.unit = "%"
        cand.value_span = (q.start, q.end)
        out.append(cand)
    chips = _sentence_chips(s_text, context)
    for cand in out:
        cand.chips = _chips_for(cand, chips, s_text)
    return out


# ------------------------------------------------------------------ fact assembly

def _build_fact(text: str, sentence: Span, cand: _Candidate, chip: ChipMention | None,
                actors: list[ActorMention], chips: list[ChipMention], context: _Context,
                japanese: bool) -> Fact | None:
    s_text = sentence.text
    actor, explicit_actor = _actor_for(cand, s_text, actors, context, text, sentence,
                                       japanese)
    attribution = context.memo(("attribution", sentence.start, sentence.end),
                               lambda: _attribution_for(s_text, text, sentence, context))
    status = cand.status_override or _status_for(cand, s_text, text, sentence, context, actor,
                                                 attribution)
    if cand.former_start is not None and actor_family(actor) == "US":
        actor = "US"  # the undone rule was the government's, not the reverser's own act
    quote = _quote_span(text, sentence, cand, chip)
    if quote is None:
        return None
    target = _target_for(s_text, actor)
    fact = Fact(
        kind="policy",
        quote=quote.text,
        char_start=quote.start,
        char_end=quote.end,
        extractor=NAME,
        extractor_version=VERSION,
        chip=chip.chip if chip else None,
        metric=cand.metric or "other",
        value=cand.value,
        unit=cand.unit,
        actor=actor,
        action=cand.action,
        status=status,
        negated=cand.negated,
        target=target,
        attribution=attribution,
    )
    fact.extra["sentence_start"] = sentence.start
    fact.extra["trigger"] = (sentence.start + cand.trig_start, sentence.start + cand.trig_end)
    fact.extra["sentence_times"] = _times(s_text)
    fact.extra["explicit_actor"] = explicit_actor
    if cand.chip_free:
        fact.extra["extension"] = True
    return fact


def _quote_span(text: str, sentence: Span, cand: _Candidate,
                chip: ChipMention | None) -> Span | None:
    base = sentence.start
    points = [(cand.trig_start, cand.trig_end)]
    if cand.former_start is not None:
        # the undone rule's own words: "reversing a policy that had kept the chip out"
        points.append((cand.former_start, cand.former_start + 1))
        if chip is not None and chip.start < cand.former_start:
            chip = None
    if chip is not None and cand.value_span is None and not (
            chip.end < cand.trig_start
            and _ANAPHOR.match(sentence.text[cand.trig_end:cand.trig_end + 40])
            and re.search(r",\s+(?:and|but|while)\s|;", sentence.text[chip.end:cand.trig_start])):
        points.append((chip.start, chip.end))
    if cand.value_span is not None:
        points.append(cand.value_span)
    lo = base + min(p[0] for p in points)
    hi = base + max(p[1] for p in points)
    try:
        parts = _clauses_of(text, sentence)
    except Exception:  # noqa: BLE001
        parts = []
    if not parts:
        span = tight(text, sentence.start, sentence.end)
        return span if span.end > span.start else None
    first = next((p for p in parts if p.end > lo), parts[-1])
    last = next((p for p in reversed(parts) if p.start < hi), parts[0])
    start, end = min(first.start, lo), max(last.end, hi)
    if cand.former_start is not None:
        start = max(start, base + cand.former_start)  # not the reverser's clause
    if _BARE_PREDICATE.match(text, start):
        # "Shipments of the metals, which are used in ..., will need approval": the clause
        # has no subject; the quote starts at the subject before the relative clause.
        i = parts.index(first) if first in parts else 0
        for j in range(i - 1, max(i - 5, 0), -1):
            if _RELATIVE_START.match(parts[j].text):
                start = parts[j - 1].start
                break
    if re.search(r"\bof\s+(?:the\s+)?[\w-]+$", text[start:end].rstrip(" ,")) and \
            _LIST_TAIL.match(text, end):
        # "exports of gallium, germanium and antimony to the US": the comma splits a list;
        # the quote runs to the item joined by "and"/"or".
        for p in parts:
            if p.start >= end:
                end = p.end
                if re.search(r"\b(?:and|or)\b", p.text):
                    break
    aside = _ASIDE.match(text, end)
    if aside and end - start < 400:
        # "explain why domestic processors, such as the Ascend 910C, could not do the job":
        # the example is an aside; the statement goes on after it.
        nxt = next((p for p in parts if p.start >= aside.end() - 1), None)
        end = nxt.end if nxt is not None and nxt.end <= sentence.end else end
    # A clause of one or two words ("In exchange") says nothing alone; widen to the next.
    span = tight(text, start, end)
    if span.end <= span.start:
        return None
    return span


_ASIDE = re.compile(r"\s*,\s+(?:such\s+as|like|including)\s+[^,.;]{1,50},\s+(?=(?:could|can|cannot|"
                    r"would|will|do|does|did|are|is|were|was)\b)", _I)
_BARE_PREDICATE = re.compile(r"\s*(?:will|would|must|shall|need|needs|are|were|is|was)\s", _I)
_RELATIVE_START = re.compile(r"\W{0,3}(?:which|who)\s", _I)
_LIST_TAIL = re.compile(r",?\s*,\s+(?:[\w-]+,\s+){0,4}[\w-]+,?\s+(?:and|or)\s+[\w-]+\b")
# "instructed not to buy the chip": the clause names its chip itself, by reference.
_ANAPHOR = re.compile(r"\s*(?:\w+\s+){0,3}?(?:the|these|those|such)\s+(?:chips?|parts?|"
                      r"processors?|accelerators?|GPUs?|products?)\b|\s+(?:it|them)\b", _I)

_EXPERIENCER = re.compile(r"(?:fac(?:e|es|ed|ing)|subject\s+to|with\s+no|caught)\b", _I)
_COUNTRIES = frozenset({"US", "China", "Japan", "Netherlands", "Taiwan", "South Korea", "EU",
                        "UAE", "Saudi Arabia", "Malaysia", "Singapore"})
_STATE_WORDS = re.compile(r"government|administration|authorit|official|regulator|ministry|"
                          r"agenc|rules|customs|president", _I)
_RECIPIENT_BEFORE = re.compile(r"\b(?:hand|hands|handed|handing|give|gives|gave|giving|pay|pays|"
                               r"paid|paying)\s+(?:the\s+)?$", _I)

_CLAUSES_CACHE: list[tuple[str, int, int, list[Span]]] = []


def _clauses_of(text: str, sentence: Span) -> list[Span]:
    """Clauses of the sentence being read, split once for all of its facts."""
    if _CLAUSES_CACHE:
        c_text, c_start, c_end, parts = _CLAUSES_CACHE[0]
        if c_text is text and c_start == sentence.start and c_end == sentence.end:
            return parts
    parts = clauses(text, sentence)
    _CLAUSES_CACHE[:] = [(text, sentence.start, sentence.end, parts)]
    return parts


_SPEAKER = re.compile(r"\b(?:said|says|stated|states|announced|announces|noted|notes|wrote|"
                      r"writes|told|added|posted|confirmed)\b", _I)
_PRONOUN_SPEAKER = re.compile(r"\b(?:[Hh]e|[Ss]he)\s+(?:also\s+)?(?:said|says|stated|noted|"
                              r"added|wrote|announced)\b")
_PAY_VERBS = re.compile(r"\b(?:pay|pays|paid|paying|agree\w*|hand\w*\s+over|give|share|"
                        r"remit\w*)\b", _I)


def _actor_for(cand: _Candidate, s_text: str, actors: list[ActorMention], context: _Context,
               text: str, sentence: Span, japanese: bool) -> tuple[str | None, bool]:
    """The acting subject and whether the sentence names it (False for a default)."""
    action = cand.action
    trig = cand.trig_start
    chips = context.chips_of(s_text)  # all of the sentence's chips, found once
    trig_text = s_text[trig:cand.trig_end]
    # "China and Russia were barred", "allies faced no limits": the subject undergoes the rule.
    undergoes = bool(_PASSIVE_BEFORE.search(s_text[:trig][-25:]) or _EXPERIENCER.match(trig_text))

    def usable(m: ActorMention) -> bool:
        if not m.subject_ok:
            return False
        if japanese and not _japanese_subject(s_text, m, trig):
            return False
        if undergoes and m.end <= trig and m.actor in _COUNTRIES and \
                not _STATE_WORDS.search(s_text[m.start:m.end]):
            return False
        if m.kind != "company" and _RECIPIENT_BEFORE.search(s_text[max(0, m.start - 20):m.start]):
            return False  # "agreed to hand the U.S. government 15%": the payee
        if m.kind == "company":
            if any(0 <= c.start - m.end < 3 for c in chips):
                return False  # "Nvidia H200": the maker of a chip, not an actor
            if action == "other":
                return True
            if action in ("fee", "revenue_share"):
                return bool(_PAY_VERBS.search(s_text[m.end:max(m.end, trig)]))
            return False
        if action == "restrict_purchase" and m.actor in ("US", "Trump", "Commerce", "BIS",
                                                         "White House"):
            return False
        return True

    if cand.chip_free:
        # "the same approach would apply to AMD": the decider is whoever announced it.
        if _PRONOUN_SPEAKER.search(s_text[:trig]) and context.last_person:
            return context.last_person, True
        for m in actors:
            if m.end <= trig and usable(m) and m.kind != "company" and \
                    _SPEAKER.match(s_text[m.end:m.end + 30].lstrip(" ,")):
                return m.actor, True
    left = [m for m in actors if m.end <= trig and usable(m)]
    # Resolve a bare "the government"/"officials" nearer than any named actor.
    bare = None
    for m in _BARE_GOVERNMENT.finditer(s_text[:trig]):
        if not any(a.start <= m.start() < a.end for a in actors):
            bare = m
    if left and (bare is None or left[-1].end >= bare.end()):
        return left[-1].actor, True
    if bare is not None:
        if "central" in bare.group(0).lower():
            return "China", True
        states = [m for m in left if m.kind == "government"]
        if states and "administration" not in bare.group(0).lower():
            return states[-1].actor, True  # "In Taipei, ... government approval": that state
        return (context.last_state or cand.default_actor or _DEFAULT_ACTOR.get(action)
                or "US"), True
    right = [m for m in actors if m.start >= trig and usable(m)
             and m.kind != "company" and (m.actor not in ("US", "China") or japanese or
                                          re.search(r"\bby\s+(?:the\s+)?$",
                                                    s_text[max(0, m.start - 8):m.start], _I)
                                          or m.possessive)]
    if right and right[0].start - cand.trig_end < 80:
        return right[0].actor, True
    if _PRONOUN_SPEAKER.search(s_text[:trig]) and context.last_person and \
            action != "restrict_purchase":
        return context.last_person, True
    if _is_bullet(text, sentence) or japanese:
        for lead in reversed(context.lead_ins):
            target = _target_for(s_text, None)
            lead_actors = [m for m in context.actors_of(lead.text)
                           if m.subject_ok and is_governmental(m.actor)
                           and actor_family(m.actor) != target
                           and (not _JA_CHARS.search(lead.text)
                                or _japanese_subject(lead.text, m))]
            if lead_actors:
                return lead_actors[0].actor, False
    if action in ("require_approval", "require_review") and \
            _domain(s_text, cand.trig_start, cand.trig_end) == "purchase":
        return "China", False  # approval to buy is asked of buyers, by Beijing
    return cand.default_actor or _DEFAULT_ACTOR.get(action), False


def _japanese_subject(s_text: str, m: ActorMention, trig: int | None = None) -> bool:
    """Japanese marks the subject with a particle: 米国は / 米国政府が; 中国に is an object."""
    after = s_text[m.end:m.end + 4]
    if re.match(r"(?:は|が|も|では|として|側)", after):
        return True
    if after.startswith("の") and trig is not None and 0 <= trig - m.end <= 12:
        return True  # 米政府の安全保障審査: the body that reviews
    return False


def _status_for(cand: _Candidate, s_text: str, text: str, sentence: Span,
                context: _Context, actor: str | None, attribution: str | None) -> str:
    left = s_text[:cand.trig_end]
    clause_left = _clause_left(s_text, cand.trig_start) + s_text[cand.trig_start:cand.trig_end]
    lead = ""
    if _is_bullet(text, sentence):
        lead = " ".join(s.text for s in context.lead_ins[-2:])
    cues = dict(_STATUS_CUES)
    if cues["denied"].search(left) or (lead and cues["denied"].search(lead)):
        return "denied"
    # Modal and planning cues must govern the trigger: its own clause, or a list's lead-in.
    near = clause_left[-80:]
    for name in ("considered", "proposed"):
        if cues[name].search(near) or (lead and cues[name].search(lead)):
            return name
    own_words = attribution is not None and canonical_actor(attribution) is not None and \
        actor_family(canonical_actor(attribution)) == actor_family(actor)
    if (attribution and not own_words) or cues["reported"].search(left) or \
            (lead and cues["reported"].search(lead)):
        return "reported"
    if cues["announced"].search(near) or (lead and cues["announced"].search(lead)):
        return "announced"
    if re.search(r"\b(?:said|says|announced|stated|wrote|noted)\b|according\s+to", s_text, _I) \
            and re.search(r"\b(?:will|would)\b", s_text, _I):
        return "announced"
    return "enacted"


def _attribution_for(s_text: str, text: str, sentence: Span, context: _Context) -> str | None:
    scopes = [s_text]
    if _is_bullet(text, sentence):
        scopes += [s.text for s in reversed(context.lead_ins[-2:])]
    for scope in scopes:
        for pattern in _ATTRIBUTION:
            m = pattern.search(scope)
            if m:
                name = m.group(1).strip().rstrip(".,;:")
                name = re.sub(r"^(?:the|The)\s+", "", name) if name.lower().startswith(
                    "the ") and not name.startswith("The Information") else name
                return name
        if re.search(r"報じ|報道", scope):
            return "報道"
    return None


@lru_cache(maxsize=256)
def _target_for(s_text: str, actor: str | None) -> str | None:
    """The first destination named in the sentence, unless it is the actor itself."""
    if actor in ("China", "MOFCOM", "CAC", "MIIT", "NDRC", "SAMR"):
        return None
    best: tuple[int, str] | None = None
    for pattern, name in _TARGETS:
        m = pattern.search(s_text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


# ------------------------------------------------------------------ document level

def _is_heading(text: str, sentence: Span) -> bool:
    """A headline or section head: a line of its own without closing punctuation."""
    line_start = text.rfind("\n", 0, sentence.start) + 1
    line_end = text.find("\n", sentence.end)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    if not line or line != sentence.text.strip() or len(line) > 250:
        return False
    if line_end < 0 or not text[line_end:].strip():
        return False  # the last line of a cut-off text is not a headline
    return not re.search(r"[.!?。！？\"”’:)]$", line)


_TIME_RE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b|\b(?:19|20)\d\d\b|"
    r"\b(?:last|next|this|earlier\s+this|later\s+this)\s+(?:week|month|year|spring|summer|"
    r"autumn|fall|winter)\b|\b(?:later|earlier|previously|ago|since)\b|"
    r"\d{4}年|\d{1,2}月|以降|昨年|今年|先月", _I)


@lru_cache(maxsize=256)
def _times(s_text: str) -> frozenset[str]:
    """Time words of a sentence: statements set at different times are different facts."""
    return frozenset(m.group(0).lower() for m in _TIME_RE.finditer(s_text))


def _quality(f: Fact) -> int:
    """How fully a sentence states a fact; the best statement of a repeated fact is kept."""
    q = 0
    if f.extra.get("explicit_actor"):
        q += 2
    if f.target and re.search(r"\bChin|Beijing|中国", f.quote):
        q += 1
    if f.extra.get("heading"):
        q -= 3
    return q


def _dedupe_document(facts: list[Fact]) -> list[Fact]:
    """One fact per statement: a fact restated elsewhere in the article is kept once.

    Figures are keyed by action and value ("the 25% fee" again); other facts by action and
    chip when a chip is named. Headlines yield to the body; otherwise the fuller statement
    (explicit actor, destination) wins, and the first on a tie.
    """
    groups: dict[tuple, list[int]] = {}
    for i, f in enumerate(facts):
        family = actor_family(f.actor)
        if f.value is not None and not f.extra.get("attached_value"):
            key: tuple = ("v", f.action, f.value)  # payer and charger state one fact
        elif f.chip is not None:
            key = ("c", family, f.action, f.chip)
        else:
            continue
        groups.setdefault(key, []).append(i)
    drop: set[int] = set()
    for key, members in groups.items():
        sentences = {facts[i].extra.get("sentence_start") for i in members}
        if len(sentences) < 2:
            continue
        best = max(members, key=lambda i: (_quality(facts[i]), -i))
        best_sentence = facts[best].extra.get("sentence_start")
        best_times = facts[best].extra.get("sentence_times", frozenset())
        for i in members:
            times = facts[i].extra.get("sentence_times", frozenset())
            if key[0] == "c" and times and times != best_times and \
                    not facts[i].extra.get("heading"):
                continue  # "In April ... three months later": another event, not a repeat
            if key[0] == "c" and facts[i].actor != facts[best].actor and \
                    not facts[i].extra.get("heading") and not facts[best].extra.get("heading"):
                continue  # the cyberspace regulator's order and the customs checks: two acts
            if facts[i].extra.get("sentence_start") != best_sentence:
                drop.add(i)
    # A headline naming a family yields to a body fact on one of its members
    # ("clears Blackwell shipments" and "authorised the export of GB300 chips").
    body_chips = {(f.action, f.chip) for f in facts if not f.extra.get("heading") and f.chip}
    for i, f in enumerate(facts):
        if f.extra.get("heading") and f.chip in _FAMILIES and any(
                (f.action, member) in body_chips for member in _FAMILIES[f.chip]):
            drop.add(i)
    # A chip-free headline fact yields to any body fact with the same action.
    body_actions = {f.action for f in facts if not f.extra.get("heading")}
    for i, f in enumerate(facts):
        if f.extra.get("heading") and f.chip is None and f.value is None \
                and f.action in body_actions:
            drop.add(i)
    out = [f for i, f in enumerate(facts) if i not in drop]
    for f in out:
        for k in ("sentence_start", "heading", "explicit_actor", "sentence_times", "trigger",
                  "attached_value"):
            f.extra.pop(k, None)
    return out
