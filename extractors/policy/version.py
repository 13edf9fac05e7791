"""Name and version of the policy extractor; a changed version makes `chipwatch reextract`
run it again over stored snapshots.
"""

from __future__ import annotations

NAME = "policy"


VERSION = "35"  # bump whenever the facts produced for a text can change
