"""Name and version of the figures extractor, stored with every fact it makes."""

from __future__ import annotations

NAME = "chip_figures"
VERSION = "42"
