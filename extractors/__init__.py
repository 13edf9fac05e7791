"""From article text to facts: chip figures, chip comparisons and policy statements.

The names below live in `extractors/run.py` and are imported on first use, so that the
modules that only need the fact record or the vocabulary (the store, the configuration,
the command line's `--help`) do not pay for loading every extractor and the model.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["EXTRACTORS", "extract_facts", "rule_facts"]


def __getattr__(name: str) -> Any:
    # Only these names: anything else (a submodule such as `lexicon`) must fail fast so the
    # import system loads that submodule alone.
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module("chipwatch.extractors.run"), name)
