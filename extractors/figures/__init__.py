"""Chip figures (a chip's own numbers) and chip comparisons (quantified relations).

Works sentence by sentence over three cheap, precomputed layers: sentence spans, chip
mentions and quantities. A number is attached to the chip its clause is about (nearest
chip that is not the object of "than", "below", "version of"...; "It"/"the chip"
resolved by the salience rule of salience.py), not to the first chip name in the sentence. Percent fees and
revenue shares are policy, never chip figures, and rule thresholds are skipped.

Modules, bottom up (each imports only those before it):
record (name, version) -> doc (the article's layers, span functions) -> measures (metric
words from lexicon/metrics.toml) -> mentions -> japanese -> subjects (subject or object
of a comparison) -> salience (what a reference points to) -> reference (pronouns, makers'
parts, inherited subjects) -> owner -> partners (a bare number's unit from the figure it
pairs with) -> figure, comparisons, lags, lists -> pipeline.
"""

from __future__ import annotations

from chipwatch.extractors.facts import Fact
from chipwatch.extractors.figures import pipeline
from chipwatch.extractors.figures.record import NAME, VERSION

__all__ = ["NAME", "VERSION", "extract_figures"]


def extract_figures(text: str) -> list[Fact]:
    """Chip figures and comparisons of one article text; never raises.

    Facts are stamped here with this module's NAME and VERSION, the pair `chipwatch
    reextract` compares with what is stored.
    """
    facts = pipeline.extract_figures(text)
    for f in facts:
        f.extractor, f.extractor_version = NAME, VERSION
    return facts
