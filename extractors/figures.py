"""Chip figures and chip comparisons (first stub; the full extractor follows)."""

from __future__ import annotations

from chipwatch.extractors.facts import Fact

NAME = "chip_figures"
VERSION = "0"


def extract_figures(text: str) -> list[Fact]:
    return []
