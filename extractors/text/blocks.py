"""The main text of an HTML page: boilerplate removed by tag, role and class, the page cut
into blocks as a browser renders them, and the element holding the article's prose chosen.

The choice weighs prose (not links, not teaser cards of other stories), descends into the
element holding most of it, and takes back lead paragraphs that sit beside that element.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from chipwatch.extractors.language.wordtrie import any_word_pattern
from chipwatch.extractors.text.prose import (
    TERMINAL, is_boilerplate_text, join_paragraphs, match_key, normalise_paragraph, visual_len,
)

__all__ = ["clean_tree", "blocks_text", "all_blocks", "strip_title", "attr_words"]

# --------------------------------------------------------------------------- boilerplate

_REMOVE_ALWAYS = {
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "video", "audio", "picture", "map", "button", "input", "select", "textarea", "option",
    "figcaption", "dialog", "link", "meta", "head", "title",
}
# Layout landmarks: removed unless they hold most of the page text (some sites wrap the
# whole page in <header> or <form>).
_REMOVE_LANDMARKS = {"nav", "aside", "footer", "header", "form", "menu"}

# Class/id words that mark non-article parts. Substrings catch compounds such as
# "relatedPhoto" or "socialShareBar"; whole tokens are used for short or ambiguous words.
_BAD_SUBSTRINGS = (
    "related", "share", "social", "newsletter", "subscribe", "signup", "sign-up", "cookie",
    "consent", "gdpr", "advert", "sponsor", "outbrain", "taboola", "promo", "trending",
    "caption", "breadcrumb", "sidebar", "navbar", "navigation", "menu", "footer", "masthead",
    "popular", "mostread", "most-read", "recirc", "byline", "slideshow", "carousel",
    "gallery", "toolbar", "modal", "popup", "recommend", "readmore", "read-more",
    "more-stories", "morestories", "see-also", "visually-hidden", "sr-only",
    "screen-reader", "author-bio", "skip-link", "jump-link", "editors-pick", "hawk-",
)
_BAD_TOKENS = {
    "nav", "header", "comment", "comments", "credit", "credits", "tags", "tag", "keywords",
    "ad", "ads", "adv", "adslot", "adunit", "dfp", "banner", "overlay", "hidden", "skip",
    "follow", "meta", "pagination", "pager", "topics", "disclaimer-ad", "print", "author",
    "widget-ad", "subnav", "login", "register", "rating", "poll",
}
# Whole class/id words that name the article itself. WordPress puts "tag-china author-jane"
# on the post element and themes add modifiers ("modal-enabled", "entry-content-read-more"):
# an element named like this that holds a good part of the page text is not a side part.
_ARTICLE_TOKENS = {"article", "post", "hentry", "entry", "content", "story", "main", "body", "text", "articlebody"}
_ARTICLE_SHARE = 0.15
_BAD_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search", "menu", "menubar"}
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")


def attr_words(el: etree._Element) -> str:
    parts = [el.get("class") or "", el.get("id") or "", el.get("data-testid") or "", el.get("data-component") or ""]
    return " ".join(parts).lower()


def _words_of(attrs: dict[str, str]) -> str:
    """attr_words from an element's attributes already read."""
    parts = [attrs.get("class") or "", attrs.get("id") or "", attrs.get("data-testid") or "",
             attrs.get("data-component") or ""]
    return " ".join(parts).lower()


def _looks_like_boilerplate_element(el: etree._Element) -> bool:
    return _boilerplate_reason(el) is not None


def _boilerplate_reason(el: etree._Element) -> str | None:
    """'markup' (role, hidden) or 'words' (class/id words), None for neither."""
    items = el.items()
    if not items:
        return None  # most elements: no role, no style, no class or id to judge
    attrs = dict(items)  # one read of the attributes instead of one call per name
    role = (attrs.get("role") or "").lower()
    if role in _BAD_ROLES:
        return "markup"
    if attrs.get("hidden") is not None or attrs.get("aria-hidden") == "true":
        return "markup"
    style = (attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return "markup"
    if "clip:rect(0" in style or "clip-path:inset(50%)" in style or ("height:1px" in style and "overflow:hidden" in style):
        return "markup"  # the "visually hidden" idiom for screen-reader-only words
    words = _words_of(attrs)
    if not words.strip():
        return None
    if len(words) > _CACHED_WORDS_CHARS:
        return "words" if _bad_words(words) else None
    return "words" if _bad_words_cached(words) else None


_BAD_SUBSTRING_RE = any_word_pattern(_BAD_SUBSTRINGS)


def _bad_words(words: str) -> bool:
    """A bad word inside the class/id words, or one of them a bad token."""
    if _BAD_SUBSTRING_RE is not None and _BAD_SUBSTRING_RE.search(words):
        return True
    return not _BAD_TOKENS.isdisjoint(_TOKEN_SPLIT.split(words))


# A page repeats a few class names thousands of times: each is judged once. Long ones are
# not kept, so the cache stays small whatever a page holds.
_CACHED_WORDS_CHARS = 200
_bad_words_cached = lru_cache(maxsize=4096)(_bad_words)


def _has_article_words(el: etree._Element) -> bool:
    return any(tok in _ARTICLE_TOKENS for tok in _TOKEN_SPLIT.split(attr_words(el)) if tok)


def _drop(el: etree._Element) -> None:
    """Remove an element but keep its tail text (it belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


_POST_EMBED = re.compile(r"embed|tweet|instagram|tiktok|bluesky|mastodon|threads")


def _is_embedded_post(el: etree._Element) -> bool:
    """An embed wrapper around a quoted post: <div class="social-embed"><blockquote>...;
    what an official posts is a statement the article quotes."""
    quote = el
    if el.tag != "blockquote":
        children = [c for c in el if isinstance(c.tag, str)]
        quote = children[0] if len(children) == 1 else None
    if quote is None or quote.tag != "blockquote":
        return False
    return _POST_EMBED.search(attr_words(el) + " " + attr_words(quote)) is not None


def _is_card_header(el: etree._Element) -> bool:
    """<header><h3><a>Title</a></h3></header> inside a story card (not the page's header)."""
    parent = el.getparent()
    if parent is None or parent.tag in ("body", "html"):
        return False
    headings = [h for h in el.iter(*_HEADING_TAGS) if h.find(".//a") is not None]
    return len(headings) == 1 and len(el) <= 3


def clean_tree(body: etree._Element) -> None:
    """Remove, in place, what is never article text and the side parts of the page."""
    for el in list(body.iter(*_REMOVE_ALWAYS)):
        _drop(el)
    for el in list(body.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el)
    # Text sizes bottom-up in one pass: asking each nested candidate for its text_content()
    # would be quadratic on deeply nested markup.
    # Link text (menus, teaser lists) does not count: an article container holding most of
    # the page's other text is never a side part, whatever its class says.
    nodes = list(body.iter())
    sizes: dict[etree._Element, int] = {}
    for el in reversed(nodes):
        size = 0 if el.tag == "a" else len((el.text or "").strip())
        for child in el:
            size += sizes.get(child, 0) + len((child.tail or "").strip())
        sizes[el] = size
    total = sizes.get(body, 0) or 1
    # Elements inside a removed one: `nodes` is in document order, so a parent is settled
    # before its children, and nothing inside a removed part needs judging.
    gone: set[etree._Element] = set()
    for el in nodes:
        if not isinstance(el.tag, str) or el is body:
            continue
        if el.getparent() in gone:
            gone.add(el)
            continue
        reason = "landmark" if el.tag in _REMOVE_LANDMARKS else _boilerplate_reason(el)
        if reason is None:
            continue
        if sizes.get(el, 0) > 0.5 * total:
            continue  # a wrapper around the page, not a side part
        if reason == "words" and sizes.get(el, 0) > _ARTICLE_SHARE * total and _has_article_words(el):
            continue
        if reason == "words" and _is_embedded_post(el):
            continue  # a quoted tweet or post inside the article ("social-media-embed")
        if reason == "landmark" and el.tag == "header" and _is_card_header(el):
            continue  # a teaser card's linked title: kept so the card is recognised as one
        gone.add(el)
        _drop(el)


# --------------------------------------------------------------------------- block walk

_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "wbr", "img", "label", "big", "tt", "strike", "ins", "del", "nobr", "acronym", "ruby",
    "rt", "rp",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HEADING_TAGS = tuple(sorted(_HEADINGS))  # for lxml's iter(*tags)
_MAX_DEPTH = 200


@dataclass
class _Block:
    owner: etree._Element
    kind: str  # "heading" | "item" | "row" | "para"
    text: str
    link_chars: int


def _inline_text(el: etree._Element) -> tuple[str, int]:
    text = el.text_content()
    if el.tag == "a":
        links = len(text.strip())
    else:
        links = sum(len(a.text_content().strip()) for a in el.iter("a"))
    return text, links


def _block_kind(owner: etree._Element) -> str:
    tag = owner.tag
    if tag in _HEADINGS:
        return "heading"
    if tag in ("li", "dd", "dt"):
        return "item"
    return "para"


class _Walker:
    """Cuts the cleaned tree into text blocks in document order, as a browser would render."""

    def __init__(self, root: etree._Element) -> None:
        self.blocks: list[_Block] = []
        self.has_block: set[etree._Element] = set()
        nodes = [el for el in root.iter() if isinstance(el.tag, str)]
        for el in reversed(nodes):
            if el.tag not in _INLINE or el in self.has_block:
                parent = el.getparent()
                if parent is not None:
                    self.has_block.add(parent)

    def _is_block(self, el: etree._Element) -> bool:
        return el.tag not in _INLINE or el in self.has_block

    def _flush(self, owner: etree._Element, parts: list[str], links: int, in_link: bool = False) -> None:
        text = normalise_paragraph("".join(parts))
        if text:
            # a block inside <a> (a teaser card's headline and dek) is link text throughout
            self.blocks.append(_Block(owner, _block_kind(owner), text, len(text) if in_link else links))
        parts.clear()

    def _row(self, tr: etree._Element) -> bool:
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if not cells or any(c in self.has_block for c in cells):
            return False
        texts = [normalise_paragraph(c.text_content()) for c in cells]
        texts = [t for t in texts if t]
        if texts:
            links = sum(len(a.text_content().strip()) for a in tr.iter("a"))
            self.blocks.append(_Block(tr, "row", " | ".join(texts), links))
        return True

    def _flat(self, el: etree._Element, in_link: bool) -> None:
        """Below the recursion limit: each innermost block element is one block (text held
        directly by the wrappers around them is lost, the paragraphs are not)."""
        leaves = [n for n in el.iter() if isinstance(n.tag, str) and self._is_block(n) and n not in self.has_block]
        for node in leaves or [el]:
            text, links = _inline_text(node)
            text = normalise_paragraph(text)
            if text:
                self.blocks.append(_Block(node, _block_kind(node), text, len(text) if in_link else links))

    def walk(self, el: etree._Element, depth: int = 0, in_link: bool = False) -> None:
        in_link = in_link or el.tag == "a"
        if el.tag == "tr" and self._row(el):
            return
        if depth > _MAX_DEPTH:
            self._flat(el, in_link)
            return
        parts: list[str] = [el.text or ""]
        links = 0
        breaks = 0
        for child in el:
            if not isinstance(child.tag, str):
                parts.append(child.tail or "")
                continue
            if child.tag == "br":
                breaks += 1
                if breaks >= 2:
                    self._flush(el, parts, links, in_link)
                    links = 0
                else:
                    parts.append(" ")
                parts.append(child.tail or "")
                if (child.tail or "").strip():
                    breaks = 0
                continue
            breaks = 0
            if self._is_block(child):
                self._flush(el, parts, links, in_link)
                links = 0
                self.walk(child, depth + 1, in_link)
            else:
                text, child_links = _inline_text(child)
                parts.append(text)
                links += child_links
            parts.append(child.tail or "")
        self._flush(el, parts, links, in_link)


def _link_density(block: _Block) -> float:
    return block.link_chars / max(len(block.text), 1)


# A neighbour of the chosen container joins it when this share of its text is prose.
_SIBLING_PROSE_SHARE = 0.75
_SIBLING_LEVELS = 1
# A teaser card (linked title, byline, date, summary) is small.
_CARD_MAX_BLOCKS = 6
_CARD_MAX_CHARS = 800


def _ancestors(node: etree._Element, body: etree._Element):
    """node, its parent, ... up to and including body."""
    while node is not None:
        yield node
        if node is body:
            return
        node = node.getparent()


def _tally(body: etree._Element, blocks: list[_Block], teasers: set[etree._Element]) -> tuple[dict, dict]:
    """Per element: prose credit and all block text (visual length) held below it."""
    credit: dict[etree._Element, float] = {}
    size: dict[etree._Element, float] = {}
    for block in blocks:
        weight = 0.0 if block.owner in teasers else float(_prose_weight(block))
        length = float(visual_len(block.text))
        for node in _ancestors(block.owner, body):
            size[node] = size.get(node, 0.0) + length
            if weight:
                credit[node] = credit.get(node, 0.0) + weight
    return credit, size


def _is_link_title(block: _Block) -> bool:
    if block.kind == "heading":
        return _link_density(block) > 0.5
    # a linked line of a few words or more (a linked author name is not a story title)
    return (block.kind == "para" and len(block.text) <= 150 and _link_density(block) > 0.9
            and (len(block.text.split()) >= 4 or visual_len(block.text) >= 24))


def _teaser_cards(body: etree._Element, blocks: list[_Block]) -> set[etree._Element]:
    """Elements inside teaser cards: the largest small element around a linked title that
    holds no other linked title, when its parent holds several (a list of other stories;
    their summaries are prose but not this article's)."""
    cards: set[etree._Element] = set(_linked_lead_items(blocks))
    titles = [b for b in blocks if _is_link_title(b)]
    if len(titles) < 2:
        return {el for card in cards for el in card.iter() if isinstance(el.tag, str)}
    title_count: dict[etree._Element, int] = {}
    for block in titles:
        for node in _ancestors(block.owner, body):
            title_count[node] = title_count.get(node, 0) + 1
    block_count: dict[etree._Element, int] = {}
    chars: dict[etree._Element, int] = {}
    for block in blocks:
        for node in _ancestors(block.owner, body):
            block_count[node] = block_count.get(node, 0) + 1
            chars[node] = chars.get(node, 0) + visual_len(block.text)
    for block in titles:
        card = block.owner
        while True:
            parent = card.getparent()
            if parent is None or card is body or title_count.get(parent, 0) != 1:
                break
            if block_count.get(parent, 0) > _CARD_MAX_BLOCKS or chars.get(parent, 0) > _CARD_MAX_CHARS:
                break
            card = parent
        parent = card.getparent()
        if card is not block.owner and parent is not None and title_count.get(parent, 0) >= 2:
            cards.add(card)
    return {el for card in cards for el in card.iter() if isinstance(el.tag, str)}


def _leading_link(el: etree._Element) -> etree._Element | None:
    """The <a> an element's text starts with (through wrappers such as <strong>), if any."""
    node = el
    for _ in range(4):
        if (node.text or "").strip():
            return None
        child = next((c for c in node if isinstance(c.tag, str)), None)
        if child is None:
            return None
        if child.tag == "a":
            return child
        node = child
    return None


def _linked_lead_items(blocks: list[_Block]) -> list[etree._Element]:
    """List items shaped "<a>Other story's title</a> its first sentence ...": when most items
    of a list (three or more) look like this, the list is other stories, not this one."""
    by_list: dict[etree._Element, list[etree._Element]] = {}
    sizes: dict[etree._Element, int] = {}
    for block in blocks:
        if block.kind != "item" or block.owner.getparent() is None:
            continue
        parent = block.owner.getparent()
        sizes[parent] = sizes.get(parent, 0) + 1
        link = _leading_link(block.owner)
        if link is None:
            continue
        title = normalise_paragraph(link.text_content())
        if len(title.split()) >= 4 and len(block.text) > len(title) + 40:
            by_list.setdefault(parent, []).append(block.owner)
    return [item for parent, items in by_list.items()
            if len(items) >= 3 and 2 * len(items) > sizes.get(parent, 0) and not _among_paragraphs(parent)
            for item in items]


def _among_paragraphs(el: etree._Element) -> bool:
    """A list set between paragraphs of prose is part of that text (a news roundup whose
    items open with linked headlines), not a rail of other stories."""
    parent = el.getparent()
    if parent is None:
        return False
    for sibling in parent:
        if sibling is not el and sibling.tag == "p":
            text = normalise_paragraph(sibling.text_content())
            if visual_len(text) >= 80 and TERMINAL.search(text):
                return True
    return False


def _choose_container(body: etree._Element, credit: dict, leaves: set[etree._Element]) -> etree._Element:
    """Smallest element that still holds most of the page's prose.

    The descent stops above a single paragraph element: a two-paragraph article whose first
    paragraph is 70 % of the text is still two paragraphs."""
    node = body
    while True:
        own = credit.get(node, 0.0)
        if own <= 0:
            return node
        best, best_credit = None, 0.0
        for child in node:
            if not isinstance(child.tag, str):
                continue
            c = credit.get(child, 0.0)
            if c > best_credit:
                best, best_credit = child, c
        if best is None or best_credit < 0.7 * own or best in leaves:
            return node
        node = best


def _with_prose_siblings(container: etree._Element, body: etree._Element, credit: dict, size: dict) -> list[etree._Element]:
    """The container plus preceding neighbours made of prose: a lead paragraph or an opening
    section often sits beside the element holding the rest of the text."""
    roots = [container]
    node = container
    for _ in range(_SIBLING_LEVELS):
        parent = node.getparent()
        if node is body or parent is None:
            break
        for sibling in parent:
            if sibling is node:
                break  # only what comes before: what follows an article is its page furniture
            if not isinstance(sibling.tag, str):
                continue
            prose = credit.get(sibling, 0.0)
            if prose > 0 and prose >= _SIBLING_PROSE_SHARE * size.get(sibling, 0.0):
                roots.append(sibling)
        node = parent
    return roots


def _prose_weight(block: _Block) -> int:
    """How much a block counts as article prose: its visual length, or 0 for headings,
    link lists, boilerplate and short labels (a short block counts when it ends a sentence)."""
    if block.kind == "heading" or _link_density(block) > 0.35:
        return 0
    size = visual_len(block.text)
    if size < 50 and not (size >= 15 and TERMINAL.search(block.text)):
        return 0
    if is_boilerplate_text(block.text):
        return 0
    return size


# A short line that is a byline or a date stamp, not a label or a subheading.
_DATELINE = re.compile(
    r"^(?:by|von|par|por|di|door|av|przez)\s|\b(?:updated|published|posted|last modified)\b|"
    r"\b\d{1,2}:\d{2}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
    re.I,
)


def _is_linked_item(block: _Block, density: float) -> bool:
    """A list item of whole sentences that opens with a linked headline (a roundup's entry)
    is text; menus and link lists are short or links throughout."""
    return (block.kind == "item" and density < 0.8 and visual_len(block.text) >= 120
            and ". " in block.text and TERMINAL.search(block.text) is not None)


def _is_sentence_with_a_link(block: _Block, density: float) -> bool:
    """A paragraph whose one link covers half of it ("... but was <a>re-opened this year</a>.")
    is a sentence; link lists hold several links."""
    if block.kind != "para" or block.owner.tag != "p" or density >= 0.8 or not TERMINAL.search(block.text):
        return False
    return sum(1 for _ in block.owner.iter("a")) == 1


def _keep_block(block: _Block) -> bool:
    text = block.text
    density = _link_density(block)
    if density > 0.5 and not (_is_linked_item(block, density) or _is_sentence_with_a_link(block, density)):
        return False
    if is_boilerplate_text(text):
        return False
    if block.kind == "heading":
        return len(text) <= 200
    if block.kind in ("item", "row"):
        return True
    if visual_len(text) < 40 and not TERMINAL.search(text):
        if density > 0 or _DATELINE.search(text):
            return False  # short link-bearing lines ("Read: ..."), bylines and datelines
    return True


def _is_pull_quote(el: etree._Element) -> bool:
    for node in (el, el.getparent()):
        if node is not None and (node.tag == "blockquote" or re.search(r"pull|quote", attr_words(node))):
            return True
    return False


def blocks_text(body: etree._Element, title: str | None) -> str:
    walker = _Walker(body)
    walker.walk(body)
    blocks = walker.blocks
    if not blocks:
        return ""
    leaves = {b.owner for b in blocks if b.owner not in walker.has_block}
    teasers = _teaser_cards(body, blocks)
    credit, size = _tally(body, blocks, teasers)
    container = _choose_container(body, credit, leaves)
    inside = {el for root in _with_prose_siblings(container, body, credit, size) for el in root.iter() if isinstance(el.tag, str)}
    paragraphs: list[str] = []
    seen: set[str] = set()
    for block in blocks:
        if block.owner not in inside or block.owner in teasers or not _keep_block(block):
            continue
        if block.text in seen and _is_pull_quote(block.owner):
            continue  # a pull quote repeats a sentence of the body; other repeats are the author's
        seen.add(block.text)
        paragraphs.append(block.text)
    return join_paragraphs(strip_title(paragraphs, title))


def all_blocks(body: etree._Element) -> list[str]:
    walker = _Walker(body)
    walker.walk(body)
    return [b.text for b in walker.blocks if not is_boilerplate_text(b.text)]


def strip_title(paragraphs: list[str], title: str | None) -> list[str]:
    """The headline repeated at the top of the body is not article text."""
    key = match_key(title)
    while paragraphs and key and match_key(paragraphs[0]) == key:
        paragraphs = paragraphs[1:]
    return paragraphs
