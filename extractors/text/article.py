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

import html as html_lib
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from chipwatch.extractors.text.blocks import all_blocks, blocks_text, clean_tree, strip_title
from chipwatch.extractors.text.encoding import decode_body
from chipwatch.extractors.text.metadata import (
    absolute, as_text, authors_of, clean_title, first_date, lang_of, parse_date, parsely_page,
    read_jsonld, read_meta, site_name_of, time_element_date,
)
from chipwatch.extractors.text.prose import (
    CONTROL, WIDE, is_boilerplate_text, join_paragraphs, match_key, normalise_paragraph, visual_len,
)

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


# --------------------------------------------------------------------------- parsing

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)


# The control characters of CONTROL as UTF-8 bytes: ASCII, so each stands for itself in
# the encoded page and deleting the bytes equals deleting the characters.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])


def _prepare(html: str) -> tuple[str, bytes, bool]:
    """The page cut to size, without an XML declaration or control characters, and as
    UTF-8 for the parser (encoded once: the check for control characters is done on the
    bytes, much faster than a scan of the string)."""
    truncated = len(html) > MAX_PARSE_CHARS
    if truncated:
        html = html[:MAX_PARSE_CHARS]
    html = _XML_DECL.sub("", html, count=1)
    data = html.encode("utf-8", errors="replace")
    clean = data.translate(None, _CONTROL_BYTES)
    if len(clean) != len(data):
        html, data = CONTROL.sub("", html), clean
    return html, data, truncated


# Every element gets lxml.html's element class, as lxml.html's own parser gives it, but
# chosen in C: that parser asks a Python method for each element the walk touches. Its
# form classes (form, input, label, ...) differ only in form methods this module never calls.
_CLASS_LOOKUP = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity,
)


def _parse_tree(html: str) -> etree._Element | None:
    return _parse_bytes(html.encode("utf-8", errors="replace"))


def _parse_bytes(data: bytes) -> etree._Element | None:
    if not data.strip():
        return None
    # huge_tree: without it libxml2 drops everything below 256 levels of nesting (real pages
    # built from nested templates get there); the input is already cut at MAX_PARSE_CHARS.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False,
                              huge_tree=True)
    parser.set_element_class_lookup(_CLASS_LOOKUP)
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
            return join_paragraphs(all_blocks(fragment))
    paragraphs = [normalise_paragraph(p) for p in re.split(r"\n\s*\n|\r?\n", body)]
    return join_paragraphs([p for p in paragraphs if p and not is_boilerplate_text(p)])


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
    return join_paragraphs([p for p in paragraphs if p and not is_boilerplate_text(p)])


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
    html, data, truncated = _prepare(html)
    root = _parse_bytes(data)
    if root is None:
        return _empty(truncated)
    meta = read_meta(root)
    jsonld = read_jsonld(root)

    og_url = absolute(meta.get("og:url"), url)
    base = absolute(url, None) or og_url
    canonical = None
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels:
            canonical = absolute(link.get("href"), base)
            if canonical:
                break
    canonical = canonical or og_url
    if not canonical:
        main_entity = jsonld.get("mainEntityOfPage")
        canonical = absolute(as_text(jsonld.get("url")) or as_text(main_entity), base)
    canonical = canonical or absolute(url, None)

    site_name = site_name_of(jsonld, meta, canonical or url)
    parsely = parsely_page(meta.get("parsely-page"))
    title_el = root.find(".//title")
    page_title = title_el.text_content() if title_el is not None else None
    h1 = next((normalise_paragraph(h.text_content()) for h in root.iter("h1") if h.text_content().strip()), None)
    if page_title and h1 and len(match_key(h1)) >= 10 and match_key(page_title).startswith(match_key(h1)):
        page_title = h1  # "Headline | Section | Site": the on-page headline shows where it ends
    title = None
    for candidate in (meta.get("og:title"), as_text(jsonld.get("headline")), meta.get("twitter:title"),
                      page_title, h1):
        cleaned = clean_title(candidate, site_name, canonical or url)
        if cleaned and match_key(cleaned) != match_key(site_name):
            title = cleaned
            break

    published = first_date(
        as_text(jsonld.get("datePublished")), meta.get("article:published_time"),
        meta.get("og:published_time"), meta.get("datepublished"), meta.get("parsely-pub-date"),
        meta.get("sailthru.date"), meta.get("dc.date.issued"), meta.get("dcterms.created"),
        meta.get("dc.date"), meta.get("pubdate"), meta.get("publishdate"), meta.get("date"),
        meta.get("og:article:published_time"), as_text(parsely.get("pub_date")),
        as_text(jsonld.get("dateCreated")), time_element_date(root),
    )
    updated = first_date(
        as_text(jsonld.get("dateModified")), meta.get("article:modified_time"),
        meta.get("og:updated_time"), meta.get("og:article:modified_time"), meta.get("datemodified"),
        meta.get("dcterms.modified"), meta.get("last-modified"), meta.get("revision_date"),
    )
    if not published and len(html) <= MAX_FALLBACK_CHARS:
        published = _htmldate(html, canonical or url)
    description = meta.get("og:description") or meta.get("description") or as_text(jsonld.get("description"))

    article = Article(
        title=title,
        text="",
        published=published,
        updated=updated,
        canonical_url=canonical,
        site_name=normalise_paragraph(site_name) if site_name else None,
        lang=lang_of(root, meta, jsonld),
        authors=authors_of(jsonld, meta),
        description=description,
        truncated=truncated,
    )

    body = root.find("body")
    if body is None:
        body = root
    clean_tree(body)
    text = blocks_text(body, title)
    method = "blocks" if text else "none"

    ld_text = _jsonld_body(jsonld)
    if ld_text and not ld_text.endswith(("…", "...")) and len(ld_text) > 1.3 * len(text):
        text, method = join_paragraphs(strip_title(ld_text.split("\n\n"), title)), "jsonld"
    if len(text) < MIN_GOOD_TEXT and len(html) <= MAX_FALLBACK_CHARS:
        fallback = _trafilatura_text(html)
        # clearly more, not just other spacing: a quarter more and at least a short sentence
        if len(fallback) > max(1.25 * len(text), len(text) + _FALLBACK_MIN_GAIN):
            text, method = join_paragraphs(strip_title(fallback.split("\n\n"), title)), "trafilatura"
    if not text:
        # Nothing looked like an article (a stub page, a bare fragment): keep what is there
        # rather than nothing, so short notices still reach the fact extractors.
        text = join_paragraphs(strip_title(all_blocks(body), title))
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
    return bool(WIDE.match(line.lstrip()[:1]) and WIDE.match(previous.rstrip()[-1:]))


def _join_wrapped(lines: list[str]) -> str:
    """Wrapped lines joined: with a space, but not between two CJK characters."""
    out = lines[0].strip()
    for line in lines[1:]:
        line = line.strip()
        glue = "" if WIDE.match(out[-1:]) and WIDE.match(line[:1]) else " "
        out = f"{out}{glue}{line}"
    return out


def _looks_like_headline(line: str) -> bool:
    """A short line without closing punctuation, in any script: a Japanese sentence ending
    in 。 is a sentence, and 200 characters of kanji are far longer than a headline."""
    return visual_len(line) <= 200 and not re.search(r"[.!?:;。！？．]$", line)


def parse_text(text: str) -> Article:
    """Article from plain text: optional 'URL:'/'OUTLET:' header block, else line 1 is the title."""
    try:
        return _parse_text(text)
    except Exception:
        return _empty()


def _parse_text(text: str | bytes) -> Article:
    if isinstance(text, (bytes, bytearray)):
        text, _ = decode_body(bytes(text))
    text = CONTROL.sub("", text or "").lstrip("\ufeff")
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
        text=join_paragraphs(paragraphs),
        published=parse_date(headers.get("PUBLISHED") or headers.get("DATE")),
        updated=parse_date(headers.get("UPDATED")),
        canonical_url=absolute(url, None),
        site_name=headers.get("OUTLET") or None,
        lang=(headers.get("LANG") or None),
        authors=[a.strip() for a in re.split(r",|;| and ", headers.get("AUTHOR", "")) if a.strip()],
        description=None,
        truncated=truncated,
        method="text",
    )
