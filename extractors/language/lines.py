"""Lines of an article: list items written with a bullet or a number.

Extractors read a bullet differently from prose (it continues the heading above it), so
the one test of "is this a list item" lives here for every extractor to share.
"""

from __future__ import annotations

import re

# A bullet mark or a short item number, then blanks, and nothing else before the text.
_BULLET_PREFIX_RE = re.compile(r"[ \t]*(?:[-*•·▪‣◦–—]|\d{1,2}[.)])[ \t]+$")


def is_bullet(text: str, start: int) -> bool:
    """True when what precedes `start` on its line is only a bullet mark ("- ", "• ", "2. ")."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_BULLET_PREFIX_RE.match(text[line_start:start]))


# "Memory: 128GB", "Peak FP16 (dense): 752 TFLOPS" - a spec label, a colon, the value.
_LABEL_PREFIX_RE = re.compile(r"[ \t]*[A-Z][\w ()/.,+-]{0,40}:[ \t]")


def is_label_line(text: str, start: int) -> bool:
    """True when `start` opens a short "Label: value" line of a spec list."""
    line_start = text.rfind("\n", 0, start) + 1
    if start != line_start and text[line_start:start].strip():
        return False
    line_end = text.find("\n", start)
    line = text[start:line_end if line_end >= 0 else len(text)]
    return len(line) <= 120 and bool(_LABEL_PREFIX_RE.match(line))
