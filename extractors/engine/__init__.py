"""A small rule engine: triggers, guards and cues as data, and the code that runs them.

It knows nothing of the story it serves: a rule table names its patterns, where each
looks and what it does; the extractor that owns the table decides what a mode means.
"""

from chipwatch.extractors.engine.build import RuleError, build_cue, build_expect, build_guard, build_trigger
from chipwatch.extractors.engine.match import TriggerSet
from chipwatch.extractors.engine.records import Cue, Expect, Guard, Trigger

__all__ = ["Cue", "Expect", "Guard", "RuleError", "Trigger", "TriggerSet", "build_cue", "build_expect",
           "build_guard", "build_trigger"]
