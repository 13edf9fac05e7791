"""Policy statements: who allows, bans, restricts, reviews, approves or charges what.

The extractor reads one sentence at a time. A *trigger* (a row of rules/triggers_en.toml
or rules/triggers_ja.toml: "allow ... to export", "banned the sale", "security review",
"approved customers", "輸出を認める") gives the action; *guards* (rules/guards.toml) drop
or change what a trigger proposes (hypotheticals, opinions, adjectives, pleas); the
sentence around it gives the chip(s), the actor, the status (hedges of rules/cues.toml),
negation, the attribution and the target country. The quote is the shortest run of
clauses holding the trigger, the chip and the figure.

`negated` is True when the statement was made by negating the opposite ("will not
allow", "neither of which are part of this deal"); `action` already holds the effective
meaning (ban_export), so consumers must not flip it again.

The pipeline, one module per step: extract (sentences -> candidates -> facts), candidates
(a trigger match -> a candidate action), chips_for, actor, status, values (thresholds and
rule figures), fees, quote, japanese, discourse (statements that point back), document
(merging and de-duplicating).
"""

from chipwatch.extractors.policy.extract import extract_policy
from chipwatch.extractors.policy.version import NAME, VERSION

__all__ = ["NAME", "VERSION", "extract_policy"]
