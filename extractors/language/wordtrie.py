"""Many literal words as one pattern shaped like a trie.

Python's regex engine tries the branches of an alternation one by one at every position;
with the words merged by common prefixes, a position costs one step per letter instead of
one test per word. Used to find which of hundreds of hint words occur in a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_source(words: Iterable[str]) -> str | None:
    """Regex source matching exactly the given words, the longest first at each position
    (None for no words). The words are literal text, not patterns."""
    trie: dict[str, dict] = {}
    for word in words:
        if not word:
            raise ValueError("an empty word would match everywhere")
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def branch(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # a word may end here: the longer words are tried first (a greedy optional)
        return f"(?:{body})?" if "" in node else body

    return branch(trie) if trie else None


def longest_first_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern whose findall gives, at every position of a text, the longest of `words`
    that starts there."""
    source = trie_source(words)
    return None if source is None else re.compile(f"(?=({source}))", re.DOTALL)


def any_word_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern whose search finds whether any of `words` occurs in a text."""
    source = trie_source(words)
    return None if source is None else re.compile(source, re.DOTALL)
