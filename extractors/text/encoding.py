"""Turn fetched bytes into text without ever failing.

Web pages lie about their encoding often enough (a server header saying ISO-8859-1 over a
UTF-8 body is the classic), so every declared charset is checked by a strict decode before
it is trusted, and the next source of evidence is tried when it does not fit.
"""
from __future__ import annotations

import codecs
import re

__all__ = ["decode_body", "normalise_charset"]

# WHATWG label mapping for the legacy names that matter: browsers decode these labels with
# the superset codec, and so do we (otherwise the extra characters would fail to decode).
_SUPERSETS = {
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "l1": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1252": "cp1252",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "csshiftjis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "windows-949": "cp949",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "iso-8859-9": "cp1254",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)["']""", re.I)
_META_SCAN_BYTES = 65_536  # big <head>s (inline scripts, JSON) push the meta tag far down
_DETECT_SAMPLE = 262_144

_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")

# Encodings that web pages actually use (the WHATWG list, as Python codec names). A detector
# guess outside it (a DOS code page such as cp775 for German text) is taken as a miss.
_WEB_ENCODINGS = {
    "utf-8", "cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "gb18030",
    "gb2312", "gbk", "big5", "big5hkscs", "euc_jp", "euc_jis_2004", "euc_jisx0213", "iso2022_jp",
    "shift_jis", "shift_jis_2004", "shift_jisx0213", "cp932", "euc_kr", "cp949",
    *(f"cp{n}" for n in range(1250, 1259)),
    *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
}


def normalise_charset(label: str | None) -> str | None:
    """Python codec name for a charset label (WHATWG supersets applied), None if unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    if name in ("utf-16", "utf-16le", "utf-16be", "utf-32"):
        # A document that declares UTF-16 inside itself must be ASCII-compatible to have
        # been read at all: browsers treat such declarations as UTF-8.
        return "utf-8"
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def _is_single_byte_western(encoding: str) -> bool:
    return encoding in ("cp1252", "latin-1", "iso8859-1", "ascii", "iso8859-15", "cp1254")


def _has_multibyte_utf8(body: bytes) -> bool:
    return any(b >= 0x80 for b in body[:_DETECT_SAMPLE])


def _from_bom(body: bytes) -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            rest = body[len(bom):]
            text = _strict(rest, encoding)
            if text is None:
                text = rest.decode(encoding, errors="replace")
            return text, encoding
    return None


def _declared_in_document(body: bytes) -> list[str]:
    """Encodings named by <meta charset>, http-equiv or an XML declaration, in that order."""
    head = body[:_META_SCAN_BYTES]
    found: list[str] = []
    match = _META_CHARSET.search(head)
    if match:
        found.append(match.group(1).decode("ascii", "ignore"))
    match = _XML_DECL.search(head)
    if match:
        found.append(match.group(1).decode("ascii", "ignore"))
    return found


def _share(text: str, low: int, high: int) -> float:
    """Share of the non-ASCII characters of text that fall in [low, high]."""
    non_ascii = [ord(ch) for ch in text if ord(ch) >= 0x80]
    if not non_ascii:
        return 0.0
    return sum(1 for code in non_ascii if low <= code <= high) / len(non_ascii)


def _detect_builtin(body: bytes) -> tuple[str, str] | None:
    """Small structural heuristic for when no detector library is installed.

    Western single-byte text has isolated high bytes between ASCII letters; CJK text has
    runs of them. Among CJK codecs, which all decode each other's bytes, the language's
    own script decides: kana for Japanese, Hangul syllables for Korean, else Chinese.
    """
    sample = body[:_DETECT_SAMPLE]
    runs = _NON_ASCII_RUN.findall(sample)
    if not runs:
        return None
    single = sum(1 for run in runs if len(run) == 1) / len(runs)
    if single >= 0.5:
        text = _strict(body, "cp1252")
        if text is not None:
            return text, "cp1252"
    text = _strict(body, "cp932")
    if text is not None and _share(text[:_DETECT_SAMPLE], 0x3040, 0x30FF) >= 0.15:
        return text, "cp932"
    text = _strict(body, "cp949")
    if text is not None and _share(text[:_DETECT_SAMPLE], 0xAC00, 0xD7A3) >= 0.85:
        return text, "cp949"
    for encoding in ("gb18030", "cp1252"):
        text = _strict(body, encoding)
        if text is not None:
            return text, encoding
    return None


def _detect(body: bytes) -> tuple[str, str] | None:
    sample = body[:_DETECT_SAMPLE]
    try:
        from charset_normalizer import from_bytes  # better than our heuristic
    except ImportError:  # a dependency; kept working (the heuristic) if it is ever missing
        return _detect_builtin(body)
    try:
        best = from_bytes(sample).best()
    except Exception:  # the detector is third-party code: never let it break decoding
        best = None
    if best is not None:
        encoding = normalise_charset(best.encoding)
        if encoding in _WEB_ENCODINGS:
            text = _strict(body, encoding)
            if text is not None:
                return text, encoding
    return _detect_builtin(body)


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding_used); never raises.

    Order of evidence: byte-order mark (unambiguous, so it beats a header), Content-Type
    charset, <meta charset>/http-equiv, XML declaration, then detection. A declared charset
    is used only when the body decodes strictly with it; a single-byte Western header over a
    body that is valid UTF-8 is taken as the usual server misconfiguration and UTF-8 wins.
    """
    try:
        if isinstance(body, str):
            return body, "utf-8"
        body = bytes(body or b"")
        if not body:
            return "", "utf-8"
        from_bom = _from_bom(body)
        if from_bom is not None:
            return from_bom
        utf8_text = _strict(body, "utf-8")
        declared: list[str] = []
        if content_type:
            match = _HEADER_CHARSET.search(content_type)
            if match:
                declared.append(match.group(1))
        declared.extend(_declared_in_document(body))
        for label in declared:
            encoding = normalise_charset(label)
            if encoding is None:
                continue
            if encoding == "utf-8":
                if utf8_text is not None:
                    return utf8_text, "utf-8"
                continue
            if _is_single_byte_western(encoding) and utf8_text is not None and _has_multibyte_utf8(body):
                return utf8_text, "utf-8"
            text = _strict(body, encoding)
            if text is not None:
                return text, encoding
        if utf8_text is not None:
            return utf8_text, "utf-8"
        detected = _detect(body)
        if detected is not None:
            return detected
        return body.decode("utf-8", errors="replace"), "utf-8"
    except Exception:  # last resort: the contract is "never raises"
        try:
            return bytes(body).decode("utf-8", errors="replace"), "utf-8"
        except Exception:
            return "", "utf-8"
