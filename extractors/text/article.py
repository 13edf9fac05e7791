"""HTML (or plain text) -> one article: metadata plus the main text.

The text is what facts are quoted from, so it has to be stable: paragraphs joined with a
blank line, whitespace collapsed, NFC, and the same bytes always give the same string.

Main text comes from our own block extractor (boilerplate removed by tag and class, then
the smallest element holding most of the prose is chosen); JSON-LD ``articleBody`` is used
when the page markup yields less, and trafilatura is the fallback for pages where neither
finds enough. Site metadata (JSON-LD, OpenGraph, parsely/sailthru, <time>) gives title,
dates, canonical URL, authors and language.
"""
from __future__ import annotations

import email.utils
import html as html_lib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from chipwatch.extractors.text.encoding import decode_body

__all__ = [
    "Article", "parse_article", "parse_text", "parse_date", "clean_title", "normalise_paragraph",
    "VERSION", "NAME", "MAX_PARSE_CHARS",
]

NAME = "article"
VERSION = "2"  # 2: container choice, teaser lists, CJK, htmldate dates (bench/article_eval.py)
EXTRACTOR = f"{NAME}/{VERSION}"

# Longer inputs are cut before parsing (Article.truncated says so). Real article pages are
# well under 1 MB; the limit only protects against runaway bodies.
MAX_PARSE_CHARS = 4_000_000
# Text shorter than this from the markup means "not found" and triggers the fallbacks.
MIN_GOOD_TEXT = 400
# trafilatura is much slower than our walk on pathological markup: only small pages get it.
MAX_FALLBACK_CHARS = 1_500_000
# The fallback replaces our text when it has this many more characters (and a quarter more):
# a short developing story's second sentence is about this long.
_FALLBACK_MIN_GAIN = 40


@dataclass
class Article:
    title: str | None
    text: str
    published: str | None = None
    updated: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    lang: str | None = None
    authors: list[str] = field(default_factory=list)
    description: str | None = None
    extractor: str = EXTRACTOR
    truncated: bool = False
    method: str = "none"  # where the text came from: blocks | jsonld | trafilatura | all | text | none


# --------------------------------------------------------------------------- text helpers

_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_paragraph(text: str) -> str:
    """One paragraph: NFC, invisible characters dropped, whitespace runs -> one space."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACE.sub(" ", text).strip()


def _join(paragraphs: list[str]) -> str:
    return "\n\n".join(p for p in paragraphs if p)


def _key(text: str | None) -> str:
    """Comparison form: case and punctuation do not matter when matching titles."""
    return re.sub(r"\W+", " ", (text or "").casefold()).strip()


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

_BOILERPLATE_TEXT = re.compile(
    r"""^(?:
        advertisement|advertising|sponsored(?:\ links|\ content)?|
        related(?:\ articles|\ stories|\ coverage|\ content|\ news|\ topics)?\s*:?|
        more\s*:|more\ from\b|read\ more\b|read\ next\b|see\ also\b|also\ read\b|read\ also\b|
        recommended(?:\ for\ you|\ stories)?|trending(?:\ on\b.*|\ now|\ stories)?|
        most\ (?:read|popular|viewed|shared)\b|
        share\ (?:this|on|via|the\ article)\b|share$|follow\ us\b|
        sign\ up\b|subscribe\b|get\ (?:our|the)\ .{0,40}newsletter|
        click\ here\b|tap\ here\b|our\ standards\s*:|all\ quotes\ delayed|
        ©|\(c\)\ \d{4}|copyright\ (?:©\ ?)?\d{4}|all\ rights\ reserved|
        we\ use\ cookies|this\ (?:site|website)\ uses\ cookies|by\ continuing\ to\ (?:use|browse)|
        accept\ (?:all\ )?cookies|cookie\ (?:policy|settings|preferences)|
        skip\ to\ (?:main\ )?content|back\ to\ top|report\ (?:an\ )?error|
        photo\s*:|image\s*:|credit\s*:|
        opens\ new\ tab$|full\ article$|learn\ more$|
        (?:[a-z]+\ )?newsletter\b
    )""",
    re.I | re.X,
)
_BOILERPLATE_ANYWHERE = re.compile(
    r"(?:full article|full coverage|continue reading|read the full story|read more|learn more)\W*$|"
    r"sign up (?:for|to) (?:our|the) .{0,60}(?:newsletter|brief|briefing)|"
    r"(?:newsletter|briefing)s? (?:in|to) your inbox|"
    r"all rights reserved|we use cookies",
    re.I,
)
_TERMINAL = re.compile(r"""[.!?:;"'”’)\]…。！？」』）]$""")
# Han, kana and hangul carry a word or more per character: they count three times when a
# length stands for "how much text" (a 15-character Japanese sentence is a full sentence).
_WIDE = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")


def _visual_len(text: str) -> int:
    return len(text) + 2 * len(_WIDE.findall(text))


# Markup shown as text: a <noscript> tracking pixel the parser left as a string.
# (Lower-case tag names with attributes: "<The Palace: Tale of Jang Noksu>" is a title.)
_MARKUP_TEXT = re.compile(r"^(?:</?(?:img|a|div|span|iframe|script|p|br|link|meta|noscript|source|input|style)(?:\s+[\w:-]+=[^<>]*)?\s*/?>\s*)+$")


def _is_boilerplate_text(text: str) -> bool:
    if len(text) > 300:
        return False
    if text.startswith("<") and _MARKUP_TEXT.match(text):
        return True
    return bool(_BOILERPLATE_TEXT.match(text) or _BOILERPLATE_ANYWHERE.search(text))


def _attr_words(el: etree._Element) -> str:
    parts = [el.get("class") or "", el.get("id") or "", el.get("data-testid") or "", el.get("data-component") or ""]
    return " ".join(parts).lower()


def _looks_like_boilerplate_element(el: etree._Element) -> bool:
    return _boilerplate_reason(el) is not None


def _boilerplate_reason(el: etree._Element) -> str | None:
    """'markup' (role, hidden) or 'words' (class/id words), None for neither."""
    role = (el.get("role") or "").lower()
    if role in _BAD_ROLES:
        return "markup"
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return "markup"
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return "markup"
    if "clip:rect(0" in style or "clip-path:inset(50%)" in style or ("height:1px" in style and "overflow:hidden" in style):
        return "markup"  # the "visually hidden" idiom for screen-reader-only words
    words = _attr_words(el)
    if not words.strip():
        return None
    if any(s in words for s in _BAD_SUBSTRINGS):
        return "words"
    if any(tok in _BAD_TOKENS for tok in _TOKEN_SPLIT.split(words) if tok):
        return "words"
    return None


def _has_article_words(el: etree._Element) -> bool:
    return any(tok in _ARTICLE_TOKENS for tok in _TOKEN_SPLIT.split(_attr_words(el)) if tok)


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


def _clean_tree(body: etree._Element) -> None:
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
    removed: set[etree._Element] = set()
    for el in nodes:
        if not isinstance(el.tag, str) or el is body:
            continue
        reason = "landmark" if el.tag in _REMOVE_LANDMARKS else _boilerplate_reason(el)
        if reason is None or any(anc in removed for anc in el.iterancestors()):
            continue
        if sizes.get(el, 0) > 0.5 * total:
            continue  # a wrapper around the page, not a side part
        if reason == "words" and sizes.get(el, 0) > _ARTICLE_SHARE * total and _has_article_words(el):
            continue
        removed.add(el)
        _drop(el)


# --------------------------------------------------------------------------- block walk

_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "wbr", "img", "label", "big", "tt", "strike", "ins", "del", "nobr", "acronym", "ruby",
    "rt", "rp",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
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

    def walk(self, el: etree._Element, depth: int = 0, in_link: bool = False) -> None:
        in_link = in_link or el.tag == "a"
        if el.tag == "tr" and self._row(el):
            return
        if depth > _MAX_DEPTH:
            text = normalise_paragraph(el.text_content())
            if text:
                self.blocks.append(_Block(el, "para", text, 0))
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
        length = float(_visual_len(block.text))
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
            and (len(block.text.split()) >= 4 or _visual_len(block.text) >= 24))


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
            chars[node] = chars.get(node, 0) + _visual_len(block.text)
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
            if len(items) >= 3 and 2 * len(items) > sizes.get(parent, 0) for item in items]


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
    size = _visual_len(block.text)
    if size < 50 and not (size >= 15 and _TERMINAL.search(block.text)):
        return 0
    if _is_boilerplate_text(block.text):
        return 0
    return size


def _keep_block(block: _Block) -> bool:
    text = block.text
    density = _link_density(block)
    if density > 0.5:
        return False
    if _is_boilerplate_text(text):
        return False
    if block.kind == "heading":
        return len(text) <= 200
    if block.kind in ("item", "row"):
        return True
    if _visual_len(text) < 40 and not _TERMINAL.search(text) and density > 0:
        return False  # short link-bearing lines: "Read: ...", stray link words
    return True


def _is_pull_quote(el: etree._Element) -> bool:
    for node in (el, el.getparent()):
        if node is not None and (node.tag == "blockquote" or re.search(r"pull|quote", _attr_words(node))):
            return True
    return False


def _blocks_text(body: etree._Element, title: str | None) -> str:
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
    return _join(_strip_title(paragraphs, title))


def _all_blocks(body: etree._Element) -> list[str]:
    walker = _Walker(body)
    walker.walk(body)
    return [b.text for b in walker.blocks if not _is_boilerplate_text(b.text)]


def _strip_title(paragraphs: list[str], title: str | None) -> list[str]:
    """The headline repeated at the top of the body is not article text."""
    key = _key(title)
    while paragraphs and key and _key(paragraphs[0]) == key:
        paragraphs = paragraphs[1:]
    return paragraphs


# --------------------------------------------------------------------------- metadata

_ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "techarticle",
    "scholarlyarticle", "liveblogposting", "report", "socialmediaposting", "webpage",
}


def _json_objects(data: object) -> list[dict]:
    """Flatten JSON-LD: lists and @graph containers into one list of objects."""
    out: list[dict] = []
    stack = [data]
    while stack and len(out) < 200:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            out.append(item)
            graph = item.get("@graph")
            if isinstance(graph, (list, dict)):
                stack.append(graph)
    return out


def _types(obj: dict) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1].lower() for v in values if v}


def _read_jsonld(root: etree._Element) -> dict:
    """The most article-like JSON-LD object on the page ({} if none)."""
    best: dict = {}
    best_rank = 99
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        raw = raw.strip().removeprefix("<!--").removesuffix("-->").strip().rstrip(";")
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        for obj in _json_objects(data):
            types = _types(obj)
            if not types & _ARTICLE_TYPES:
                continue
            rank = 1 if "webpage" in types and len(types) == 1 else 0
            if obj.get("articleBody"):
                rank -= 1
            if rank < best_rank:
                best, best_rank = obj, rank
    return best


def _as_text(value: object) -> str | None:
    if isinstance(value, str):
        value = normalise_paragraph(value)
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and value:
        return _as_text(value[0])
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("@id") or value.get("url"))
    return None


def _read_meta(root: etree._Element) -> dict[str, str]:
    """First content of every <meta> by lower-cased name/property/itemprop."""
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if content is None:
            content = el.get("value")  # seen in re-serialised captures of real pages
        if content is None:
            continue
        content = normalise_paragraph(content)
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (el.get(attr) or "").strip().lower()
            if key and key not in meta:
                meta[key] = content
    return meta


_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%Y%m%d",
    "%Y%m%dT%H%M%S", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y %I:%M %p",
    "%b %d, %Y %I:%M %p", "%a %b %d, %Y %I:%M%p", "%a %b %d, %Y %I:%M %p", "%d %b %Y %H:%M",
    "%A, %B %d, %Y", "%a %b %d %H:%M:%S %Z %Y", "%a %b %d %H:%M:%S %Y",
)


def parse_date(value: str | None) -> str | None:
    """ISO 8601 for a date string in the formats publishers use; UTC when a zone is known."""
    if not value:
        return None
    raw = normalise_paragraph(str(value))[:80]
    if not raw:
        return None
    parsed: datetime | None = None
    date_only = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw))
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00") if raw.endswith("Z") else raw)
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        cleaned = re.sub(r"\s+(?:[A-Z]{2,5}|GMT[+-]\d+)$", "", raw)  # trailing zone names we cannot map
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(cleaned, fmt)
                date_only = "%H" not in fmt and "%I" not in fmt
                break
            except ValueError:
                continue
    if parsed is None or not 1990 <= parsed.year <= 2100:
        return None
    if date_only:
        return parsed.date().isoformat()
    parsed = parsed.replace(microsecond=0)
    if parsed.tzinfo is not None:
        return parsed.astimezone(timezone.utc).isoformat()
    return parsed.isoformat()


def _first_date(*candidates: str | None) -> str | None:
    """First candidate that parses, preferring one with a time zone (it pins the instant)."""
    fallback = None
    for candidate in candidates:
        parsed = parse_date(candidate)
        if not parsed:
            continue
        if parsed.endswith("+00:00"):
            return parsed
        fallback = fallback or parsed
    return fallback


_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|»|/)\s+")
_KNOWN_SITES = {
    "reuters", "reuters com", "al jazeera", "al jazeera english", "aljazeera", "tom s hardware",
    "tomshardware", "quartz", "qz", "qz com", "council on foreign relations", "cfr",
    "institute for progress", "ifp", "reuters india", "reuters uk", "the wider image",
}


def _site_key_variants(site_name: str | None, url: str | None) -> set[str]:
    keys = {k for k in _KNOWN_SITES}
    if site_name:
        keys.add(_key(site_name))
    if url:
        host = urlsplit(url).hostname or ""
        host = re.sub(r"^(?:www|m|amp|uk|in|us)\.", "", host)
        if host:
            keys.add(_key(host))
            keys.add(_key(host.rsplit(".", 1)[0]))
    return {k for k in keys if k}


def _is_site(key: str, sites: set[str]) -> bool:
    """'quartz africa' is a site name because 'quartz' is: editions extend the name."""
    return key in sites or any(key.startswith(site + " ") and len(key) <= len(site) + 20 for site in sites)


def clean_title(title: str | None, site_name: str | None = None, url: str | None = None) -> str | None:
    """Title without a trailing (or leading) ' | Site Name' part."""
    title = normalise_paragraph(title or "")
    if not title:
        return None
    sites = _site_key_variants(site_name, url)
    for _ in range(3):
        parts = _TITLE_SEPARATORS.split(title)
        if len(parts) < 2:
            break
        matches = list(_TITLE_SEPARATORS.finditer(title))
        last = matches[-1]
        suffix = title[last.end():]
        if _is_site(_key(suffix), sites) and len(title[: last.start()]) >= 8:
            title = title[: last.start()].strip()
            continue
        first = matches[0]
        prefix = title[: first.start()]
        if _is_site(_key(prefix), sites) and len(title[first.end():]) >= 8:
            title = title[first.end():].strip()
            continue
        break
    return title or None


def _absolute(href: str | None, base: str | None) -> str | None:
    href = normalise_paragraph(href or "")
    if not href:
        return None
    if base:
        try:
            href = urljoin(base, href)
        except ValueError:
            return None
    if not re.match(r"https?://[^/\s]+", href, re.I):
        return None
    return href


def _site_name(jsonld: dict, meta: dict[str, str], url: str | None) -> str | None:
    """Publisher name; one that matches the host wins, because some pages put the section
    ("U.S.") in og:site_name while the Twitter handle still names the outlet."""
    host = re.sub(r"^(?:www|m|amp)\.", "", urlsplit(url).hostname or "") if url else ""
    labels = host.split(".")
    core = labels[-2] if len(labels) >= 2 else ""
    handle = (meta.get("twitter:site") or "").lstrip("@").strip()
    named = [c for c in (_as_text(jsonld.get("publisher")), meta.get("og:site_name"), meta.get("application-name")) if c]
    if core:
        for candidate in named:
            if core in re.sub(r"[\W_]+", "", candidate.lower()):
                return candidate
        # a handle only replaces a name as short as a section label ("U.S."), not "Quartz"
        if handle and handle.lower() == core and (not named or len(named[0]) <= 5):
            return handle
    return named[0] if named else None


def _authors(jsonld: dict, meta: dict[str, str]) -> list[str]:
    names: list[str] = []
    raw = jsonld.get("author") or jsonld.get("creator")
    items = raw if isinstance(raw, list) else [raw]
    for item in items:
        name = _as_text(item.get("name")) if isinstance(item, dict) else _as_text(item)
        if name:
            names.append(name)
    if not names:
        for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"):
            value = meta.get(key)
            if value and not value.lower().startswith(("http://", "https://")):
                names.extend(re.split(r"\s*(?:,|;|\band\b|&)\s*", value))
                break
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = re.sub(r"^by\s+", "", name, flags=re.I).strip()
        if name and name.casefold() not in seen and len(name) <= 120:
            seen.add(name.casefold())
            out.append(name)
    return out


def _parsely_page(raw: str | None) -> dict:
    """The JSON blob older pages put in <meta name="parsely-page">."""
    if not raw or not raw.lstrip().startswith("{"):
        return {}
    try:
        data = json.loads(raw, strict=False)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _time_element_date(root: etree._Element) -> str | None:
    for el in root.iter("time"):
        value = el.get("datetime")
        if value and (el.get("pubdate") is not None or el.get("itemprop") == "datePublished"):
            return value
    for el in root.iter("time"):
        if el.get("datetime"):
            return el.get("datetime")
    return None


def _lang(root: etree._Element, meta: dict[str, str], jsonld: dict) -> str | None:
    candidates = [
        root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("content-language"), meta.get("og:locale"), meta.get("language"),
        _as_text(jsonld.get("inLanguage")),
    ]
    for value in candidates:
        value = (value or "").strip().replace("_", "-")
        if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", value):
            primary, *rest = value.split("-")
            return "-".join([primary.lower()] + [r.upper() if len(r) == 2 else r for r in rest])
    return None


# --------------------------------------------------------------------------- parsing

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)


def _prepare(html: str) -> tuple[str, bool]:
    truncated = len(html) > MAX_PARSE_CHARS
    if truncated:
        html = html[:MAX_PARSE_CHARS]
    html = _CONTROL.sub("", _XML_DECL.sub("", html, count=1))
    return html, truncated


def _parse_tree(html: str) -> etree._Element | None:
    data = html.encode("utf-8", errors="replace")
    if not data.strip():
        return None
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False)
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError, TypeError):
        return None
    return root


def _jsonld_body(jsonld: dict) -> str:
    body = jsonld.get("articleBody")
    if not isinstance(body, str):
        return ""
    # articleBody is sometimes HTML, sometimes HTML escaped once more (&lt;p&gt;), sometimes
    # plain text with newlines, sometimes one line
    if "&lt;" in body and re.search(r"&lt;/?(?:p|br|div|span|a)\b", body, re.I):
        body = html_lib.unescape(body)
    if "<" in body and re.search(r"</?(?:p|br|div)\b", body, re.I):
        fragment = _parse_tree(f"<html><body>{body}</body></html>")
        if fragment is not None:
            walker = _Walker(fragment)
            walker.walk(fragment)
            return _join([b.text for b in walker.blocks if not _is_boilerplate_text(b.text)])
    paragraphs = [normalise_paragraph(p) for p in re.split(r"\n\s*\n|\r?\n", body)]
    return _join([p for p in paragraphs if p and not _is_boilerplate_text(p)])


def _htmldate(html: str, url: str | None) -> str | None:
    """Publication date from htmldate when the page's metadata names none (URL patterns,
    visible date lines): without it an old article is dated by its ingest time."""
    try:
        import htmldate
    except ImportError:  # pragma: no cover - installed with trafilatura
        return None
    for extensive in (False, True):  # the quick look finds most; the text scan is slower
        try:
            found = htmldate.find_date(html, url=url, original_date=True, extensive_search=extensive)
        except Exception:  # third-party code on hostile input must not stop the parse
            return None
        if found:
            return parse_date(found)
    return None


def _trafilatura_text(html: str) -> str:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - it is a declared dependency
        return ""
    try:
        raw = trafilatura.extract(
            html, favor_precision=True, include_comments=False, include_tables=True,
            include_images=False, deduplicate=False, output_format="txt",
        )
    except Exception:  # third-party code on hostile input: a fallback must not raise
        return ""
    if not raw:
        return ""
    paragraphs = [normalise_paragraph(line) for line in raw.splitlines()]
    return _join([p for p in paragraphs if p and not _is_boilerplate_text(p)])


def _empty(truncated: bool = False) -> Article:
    return Article(title=None, text="", truncated=truncated)


def parse_article(html: str | bytes, url: str | None = None) -> Article:
    """Article from an HTML document (bytes are decoded first); never raises."""
    try:
        if isinstance(html, (bytes, bytearray, memoryview)):
            html, _ = decode_body(bytes(html))
        if not isinstance(html, str):
            return _empty()
        return _parse_article(html, url)
    except RecursionError:
        return _empty()
    except Exception:
        return _empty()


def _parse_article(html: str, url: str | None) -> Article:
    html, truncated = _prepare(html)
    root = _parse_tree(html)
    if root is None:
        return _empty(truncated)
    meta = _read_meta(root)
    jsonld = _read_jsonld(root)

    og_url = _absolute(meta.get("og:url"), url)
    base = _absolute(url, None) or og_url
    canonical = None
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels:
            canonical = _absolute(link.get("href"), base)
            if canonical:
                break
    canonical = canonical or og_url
    if not canonical:
        main_entity = jsonld.get("mainEntityOfPage")
        canonical = _absolute(_as_text(jsonld.get("url")) or _as_text(main_entity), base)
    canonical = canonical or _absolute(url, None)

    site_name = _site_name(jsonld, meta, canonical or url)
    parsely = _parsely_page(meta.get("parsely-page"))
    title_el = root.find(".//title")
    page_title = title_el.text_content() if title_el is not None else None
    h1 = next((normalise_paragraph(h.text_content()) for h in root.iter("h1") if h.text_content().strip()), None)
    if page_title and h1 and len(_key(h1)) >= 10 and _key(page_title).startswith(_key(h1)):
        page_title = h1  # "Headline | Section | Site": the on-page headline shows where it ends
    title = None
    for candidate in (meta.get("og:title"), _as_text(jsonld.get("headline")), meta.get("twitter:title"),
                      page_title, h1):
        cleaned = clean_title(candidate, site_name, canonical or url)
        if cleaned and _key(cleaned) != _key(site_name):
            title = cleaned
            break

    published = _first_date(
        _as_text(jsonld.get("datePublished")), meta.get("article:published_time"),
        meta.get("og:published_time"), meta.get("datepublished"), meta.get("parsely-pub-date"),
        meta.get("sailthru.date"), meta.get("dc.date.issued"), meta.get("dcterms.created"),
        meta.get("dc.date"), meta.get("pubdate"), meta.get("publishdate"), meta.get("date"),
        meta.get("og:article:published_time"), _as_text(parsely.get("pub_date")),
        _as_text(jsonld.get("dateCreated")), _time_element_date(root),
    )
    updated = _first_date(
        _as_text(jsonld.get("dateModified")), meta.get("article:modified_time"),
        meta.get("og:updated_time"), meta.get("og:article:modified_time"), meta.get("datemodified"),
        meta.get("dcterms.modified"), meta.get("last-modified"), meta.get("revision_date"),
    )
    if not published and len(html) <= MAX_FALLBACK_CHARS:
        published = _htmldate(html, canonical or url)
    description = meta.get("og:description") or meta.get("description") or _as_text(jsonld.get("description"))

    article = Article(
        title=title,
        text="",
        published=published,
        updated=updated,
        canonical_url=canonical,
        site_name=normalise_paragraph(site_name) if site_name else None,
        lang=_lang(root, meta, jsonld),
        authors=_authors(jsonld, meta),
        description=description,
        truncated=truncated,
    )

    body = root.find("body")
    if body is None:
        body = root
    _clean_tree(body)
    text = _blocks_text(body, title)
    method = "blocks" if text else "none"

    ld_text = _jsonld_body(jsonld)
    if ld_text and not ld_text.endswith(("…", "...")) and len(ld_text) > 1.3 * len(text):
        text, method = _join(_strip_title(ld_text.split("\n\n"), title)), "jsonld"
    if len(text) < MIN_GOOD_TEXT and len(html) <= MAX_FALLBACK_CHARS:
        fallback = _trafilatura_text(html)
        # clearly more, not just other spacing: a quarter more and at least a short sentence
        if len(fallback) > max(1.25 * len(text), len(text) + _FALLBACK_MIN_GAIN):
            text, method = _join(_strip_title(fallback.split("\n\n"), title)), "trafilatura"
    if not text:
        # Nothing looked like an article (a stub page, a bare fragment): keep what is there
        # rather than nothing, so short notices still reach the fact extractors.
        text = _join(_strip_title(_all_blocks(body), title))
        method = "all" if text else "none"
    article.text = text
    article.method = method
    return article


# --------------------------------------------------------------------------- plain text

_HEADER_LINE = re.compile(r"^([A-Z][A-Z_ -]{1,20}):\s*(.*)$")


_SENTENCE_END = re.compile(r"""[.!?:;"'”’)\]…。！？]\s*$""")
_CONTINUATION = re.compile(r"^\s*[a-z0-9(“\"'‘]")


def _text_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; so does a single newline after a finished sentence
    (extractor output puts one paragraph per line). A line that stops mid-sentence and is
    followed by a lower-case start (or, in Chinese and Japanese, by more of the same script)
    is a hard wrap and is joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n+", text):
        current: list[str] = []
        for line in block.split("\n"):
            if not line.strip():
                continue
            if current and (_SENTENCE_END.search(current[-1]) or not _continues(current[-1], line)):
                paragraphs.append(_join_wrapped(current))
                current = []
            current.append(line)
        if current:
            paragraphs.append(_join_wrapped(current))
    return [p for p in (normalise_paragraph(p) for p in paragraphs) if p]


def _continues(previous: str, line: str) -> bool:
    if _CONTINUATION.match(line):
        return True
    return bool(_WIDE.match(line.lstrip()[:1]) and _WIDE.match(previous.rstrip()[-1:]))


def _join_wrapped(lines: list[str]) -> str:
    """Wrapped lines joined: with a space, but not between two CJK characters."""
    out = lines[0].strip()
    for line in lines[1:]:
        line = line.strip()
        glue = "" if _WIDE.match(out[-1:]) and _WIDE.match(line[:1]) else " "
        out = f"{out}{glue}{line}"
    return out


def _looks_like_headline(line: str) -> bool:
    """A short line without closing punctuation, in any script: a Japanese sentence ending
    in 。 is a sentence, and 200 characters of kanji are far longer than a headline."""
    return _visual_len(line) <= 200 and not re.search(r"[.!?:;。！？．]$", line)


def parse_text(text: str) -> Article:
    """Article from plain text: optional 'URL:'/'OUTLET:' header block, else line 1 is the title."""
    try:
        return _parse_text(text)
    except Exception:
        return _empty()


def _parse_text(text: str | bytes) -> Article:
    if isinstance(text, (bytes, bytearray)):
        text, _ = decode_body(bytes(text))
    text = _CONTROL.sub("", text or "").lstrip("\ufeff")
    truncated = len(text) > MAX_PARSE_CHARS
    if truncated:
        text = text[:MAX_PARSE_CHARS]
    headers: dict[str, str] = {}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and re.match(r"^\s*(URL|OUTLET)\s*:", lines[first]):
        i = first
        while i < len(lines) and lines[i].strip():
            match = _HEADER_LINE.match(lines[i].strip())
            if not match:
                break
            headers[match.group(1).strip().upper()] = match.group(2).strip()
            i += 1
        body = "\n".join(lines[i:])
    else:
        body = "\n".join(lines)
    paragraphs = _text_paragraphs(body)
    title = normalise_paragraph(headers.get("TITLE", "")) or None
    if not headers and paragraphs:
        title = paragraphs[0] if len(paragraphs[0]) <= 200 else paragraphs[0][:200].rsplit(" ", 1)[0]
        if _looks_like_headline(paragraphs[0]) and len(paragraphs) > 1:
            paragraphs = paragraphs[1:]  # the only paragraph is the text, whatever its shape
    elif title is None and paragraphs and _looks_like_headline(paragraphs[0]) and len(paragraphs) > 1:
        # Header-block files hold the text exactly as extracted (quotes are offsets into
        # it), so a leading headline becomes the title but stays in the text.
        title = paragraphs[0]
    url = headers.get("URL") or None
    return Article(
        title=title,
        text=_join(paragraphs),
        published=parse_date(headers.get("PUBLISHED") or headers.get("DATE")),
        updated=parse_date(headers.get("UPDATED")),
        canonical_url=_absolute(url, None),
        site_name=headers.get("OUTLET") or None,
        lang=(headers.get("LANG") or None),
        authors=[a.strip() for a in re.split(r",|;| and ", headers.get("AUTHOR", "")) if a.strip()],
        description=None,
        truncated=truncated,
        method="text",
    )
