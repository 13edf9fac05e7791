"""Page metadata: JSON-LD, <meta> tags (OpenGraph, parsely, sailthru, Dublin Core), <time>
elements and the title; dates normalised to ISO 8601 in UTC when a zone is known."""
from __future__ import annotations

import email.utils
import json
import re
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from lxml import etree

from chipwatch.extractors.text.prose import match_key, normalise_paragraph

__all__ = [
    "read_jsonld", "read_meta", "as_text", "parse_date", "first_date", "clean_title", "absolute",
    "site_name_of", "authors_of", "parsely_page", "time_element_date", "lang_of",
]

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


def read_jsonld(root: etree._Element) -> dict:
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


def as_text(value: object) -> str | None:
    if isinstance(value, str):
        value = normalise_paragraph(value)
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and value:
        return as_text(value[0])
    if isinstance(value, dict):
        return as_text(value.get("name") or value.get("@id") or value.get("url"))
    return None


def read_meta(root: etree._Element) -> dict[str, str]:
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


def first_date(*candidates: str | None) -> str | None:
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
        keys.add(match_key(site_name))
    if url:
        host = urlsplit(url).hostname or ""
        host = re.sub(r"^(?:www|m|amp|uk|in|us)\.", "", host)
        if host:
            keys.add(match_key(host))
            keys.add(match_key(host.rsplit(".", 1)[0]))
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
        if _is_site(match_key(suffix), sites) and len(title[: last.start()]) >= 8:
            title = title[: last.start()].strip()
            continue
        first = matches[0]
        prefix = title[: first.start()]
        if _is_site(match_key(prefix), sites) and len(title[first.end():]) >= 8:
            title = title[first.end():].strip()
            continue
        break
    return title or None


def absolute(href: str | None, base: str | None) -> str | None:
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


def site_name_of(jsonld: dict, meta: dict[str, str], url: str | None) -> str | None:
    """Publisher name; one that matches the host wins, because some pages put the section
    ("U.S.") in og:site_name while the Twitter handle still names the outlet."""
    host = re.sub(r"^(?:www|m|amp)\.", "", urlsplit(url).hostname or "") if url else ""
    labels = host.split(".")
    core = labels[-2] if len(labels) >= 2 else ""
    handle = (meta.get("twitter:site") or "").lstrip("@").strip()
    named = [c for c in (as_text(jsonld.get("publisher")), meta.get("og:site_name"), meta.get("application-name")) if c]
    if core:
        for candidate in named:
            if core in re.sub(r"[\W_]+", "", candidate.lower()):
                return candidate
        # a handle only replaces a name as short as a section label ("U.S."), not "Quartz"
        if handle and handle.lower() == core and (not named or len(named[0]) <= 5):
            return handle
    return named[0] if named else None


def authors_of(jsonld: dict, meta: dict[str, str]) -> list[str]:
    names: list[str] = []
    raw = jsonld.get("author") or jsonld.get("creator")
    items = raw if isinstance(raw, list) else [raw]
    for item in items:
        name = as_text(item.get("name")) if isinstance(item, dict) else as_text(item)
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


def parsely_page(raw: str | None) -> dict:
    """The JSON blob older pages put in <meta name="parsely-page">."""
    if not raw or not raw.lstrip().startswith("{"):
        return {}
    try:
        data = json.loads(raw, strict=False)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def time_element_date(root: etree._Element) -> str | None:
    for el in root.iter("time"):
        value = el.get("datetime")
        if value and (el.get("pubdate") is not None or el.get("itemprop") == "datePublished"):
            return value
    for el in root.iter("time"):
        if el.get("datetime"):
            return el.get("datetime")
    return None


def lang_of(root: etree._Element, meta: dict[str, str], jsonld: dict) -> str | None:
    candidates = [
        root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("content-language"), meta.get("og:locale"), meta.get("language"),
        as_text(jsonld.get("inLanguage")),
    ]
    for value in candidates:
        value = (value or "").strip().replace("_", "-")
        if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", value):
            primary, *rest = value.split("-")
            return "-".join([primary.lower()] + [r.upper() if len(r) == 2 else r for r in rest])
    return None
