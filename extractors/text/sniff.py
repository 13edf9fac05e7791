"""Decide what a body is before choosing a parser.

Bytes are trusted over labels: servers send HTML as text/plain and feeds as text/html, and
local files have arbitrary extensions, so magic bytes and the first markup tag decide, and
the Content-Type header and the file name only settle what the bytes leave open.
"""
from __future__ import annotations

import re
import zlib

__all__ = ["sniff_kind", "KINDS"]

KINDS = ("html", "text", "feed", "warc", "pdf", "image", "binary")

_SAMPLE = 4096

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"\x00\x00\x01\x00",  # .ico
)
_BINARY_MAGIC = (
    b"PK\x03\x04",
    b"\x7fELF",
    b"MZ",
    b"\xca\xfe\xba\xbe",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",  # zstd
    b"SQLite format 3\x00",
    b"OggS",
    b"fLaC",
    b"ID3",
    b"\x1aE\xdf\xa3",  # matroska / webm
    b"wOFF",
    b"wOF2",
)

# Tags that open an HTML document in practice (the WHATWG sniffing list plus a few).
_HTML_START = re.compile(
    rb"<(!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|meta|link|!--|section|article|main|span|header|nav)[\s>/]",
    re.I,
)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]", re.I)
_HTML_ANYWHERE = re.compile(rb"<(html|body|head)[\s>]", re.I)

_EXTENSIONS = {
    "html": "html", "htm": "html", "xhtml": "html", "shtml": "html", "php": "html", "asp": "html", "aspx": "html",
    "txt": "text", "text": "text", "md": "text",
    "rss": "feed", "atom": "feed",
    "warc": "warc", "arc": "warc",
    "pdf": "pdf",
    "json": "data", "jsonl": "data", "ndjson": "data", "csv": "data", "tsv": "data",
    "png": "image", "jpg": "image", "jpeg": "image", "gif": "image", "webp": "image", "svg": "image",
    "avif": "image", "bmp": "image", "tif": "image", "tiff": "image", "ico": "image",
}


def _strip_bom(sample: bytes) -> bytes:
    for bom, codec in ((b"\xef\xbb\xbf", None), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if sample.startswith(bom):
            rest = sample[len(bom):]
            if codec is None:
                return rest
            # Re-encode UTF-16 as ASCII-ish bytes so the markup checks below still work.
            return rest.decode(codec, errors="ignore").encode("utf-8", errors="ignore")
    return sample


def _from_magic(sample: bytes) -> str | None:
    if sample.startswith(b"%PDF-"):
        return "pdf"
    if sample.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    if sample.startswith(b"\x1f\x8b"):
        try:
            inner = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(sample, 64)
        except zlib.error:
            inner = b""
        return "warc" if inner.startswith(b"WARC/") else "binary"
    if sample.startswith(_IMAGE_MAGIC):
        return "image"
    if sample[:4] == b"RIFF" and sample[8:12] == b"WEBP":
        return "image"
    if sample[4:12] in (b"ftypavif", b"ftypheic", b"ftypmif1"):
        return "image"
    if sample.startswith(_BINARY_MAGIC):
        return "binary"
    return None


def _from_markup(sample: bytes) -> str | None:
    head = sample.lstrip()
    if head.startswith(b"<?xml"):
        if _FEED_ROOT.search(head):
            return "feed"
        if re.search(rb"<svg[\s>]", head, re.I):
            return "image"
        if _HTML_ANYWHERE.search(head):
            return "html"
        return None
    if _FEED_ROOT.match(head):
        return "feed"
    if re.match(rb"<svg[\s>]", head, re.I):
        return "image"
    if _HTML_START.match(head):
        return "html"
    return None


def _from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime in ("text/html", "application/xhtml+xml"):
        return "html"
    if mime in ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"):
        return "feed"
    if mime in ("application/warc", "application/x-warc"):
        return "warc"
    if mime == "application/pdf":
        return "pdf"
    if mime in ("application/json", "application/x-ndjson", "text/csv"):
        return "data"
    if mime.startswith("image/"):
        return "image"
    if mime.startswith("text/"):
        return "text"
    return None


def _from_filename(filename: str | None) -> str | None:
    if not filename:
        return None
    name = filename.lower().rsplit("/", 1)[-1]
    if name.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    if name.endswith(".gz"):
        name = name[:-3]
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    return _EXTENSIONS.get(ext)


# Structured data (JSON documents, JSON lines) is text, but not an article.
_JSON_START = re.compile(rb'\s*(\{\s*"|\[\s*[\[{"\d]|\[\s*\])')


def _looks_textual(sample: bytes) -> bool:
    if not sample:
        return True
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a multibyte character cut by the sample end
            return True
    controls = sum(1 for b in sample if b < 0x09 or 0x0E <= b < 0x20)
    return controls / len(sample) < 0.02


def sniff_kind(body: bytes, content_type: str | None = None, filename: str | None = None) -> str:
    """'html' | 'text' | 'feed' | 'warc' | 'pdf' | 'image' | 'data' | 'binary'; never raises."""
    try:
        if isinstance(body, str):
            body = body.encode("utf-8", errors="ignore")
        sample = bytes(body[:_SAMPLE]) if body else b""
        kind = _from_magic(sample)
        if kind:
            return kind
        sample = _strip_bom(sample)
        kind = _from_markup(sample)
        if kind:
            return kind
        labelled = _from_content_type(content_type) or _from_filename(filename)
        textual = _looks_textual(sample)
        if labelled in ("pdf", "image", "warc") and not textual:
            return labelled
        if not textual:
            return "binary"
        if labelled in ("html", "feed", "data"):
            return labelled
        if _JSON_START.match(sample):
            return "data"
        if sample.lstrip().startswith(b"<") and re.search(rb"</[a-z][a-z0-9]*>", sample, re.I):
            return "html"
        return "text"
    except Exception:
        return "binary"
