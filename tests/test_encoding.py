"""decode_body and sniff_kind on bytes built here (our own sentences, several encodings)."""
from __future__ import annotations

import codecs
import gzip
import os

import pytest

from chipwatch.extractors.text.article import parse_article
from chipwatch.extractors.text.encoding import decode_body, normalise_charset
from chipwatch.extractors.text.sniff import KINDS, sniff_kind

JA_TITLE = "米国、高性能半導体の対中輸出を条件付きで容認"
JA_BODY = ("米政府は九日、売上高の二十五パーセントを手数料として徴収する条件で、"
           "旧世代のデータセンター向け演算装置の輸出を認めると発表した。最新の製品は引き続き対象外となる。")


def japanese_page(charset_tag: str) -> str:
    return (f"<html><head>{charset_tag}<title>{JA_TITLE}</title></head>"
            f"<body><article><h1>{JA_TITLE}</h1><p>{JA_BODY}</p><p>{JA_BODY}</p></article></body></html>")


# --------------------------------------------------------------------------- decode_body

def test_shift_jis_page_with_only_meta_charset() -> None:
    body = japanese_page('<meta charset="Shift_JIS">').encode("shift_jis")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")  # the test is meaningful only if UTF-8 would fail
    text, encoding = decode_body(body)
    assert encoding == "cp932"  # Shift_JIS label decoded with its Windows superset, as browsers do
    assert JA_BODY in text
    article = parse_article(body)
    assert article.title == JA_TITLE
    assert JA_BODY in article.text


def test_http_equiv_meta_charset() -> None:
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr"></head>'
            "<body><p>반도체 수출 규정이 바뀌었다.</p></body></html>")
    text, encoding = decode_body(html.encode("euc-kr"))
    assert encoding == "cp949"
    assert "반도체 수출 규정이 바뀌었다." in text


def test_bom_page_without_any_declaration() -> None:
    html = "<html><body><p>Exportgebühr für Beschleuniger – bestätigt.</p></body></html>"
    text, encoding = decode_body(codecs.BOM_UTF8 + html.encode("utf-8"))
    assert encoding == "utf-8"
    assert text == html  # BOM removed, nothing else touched


def test_utf16_bom_beats_header() -> None:
    html = "<html><body><p>Zoll auf Chips: fünfundzwanzig Prozent.</p></body></html>"
    body = codecs.BOM_UTF16_LE + html.encode("utf-16-le")
    text, encoding = decode_body(body, "text/html; charset=iso-8859-1")
    assert encoding == "utf-16-le"
    assert text == html


def test_header_charset_used_when_it_fits() -> None:
    html = "<html><body><p>Caf\u00e9 owners welcomed the r\u00e8gle.</p></body></html>"
    text, encoding = decode_body(html.encode("cp1252"), "text/html; charset=windows-1252")
    assert encoding == "cp1252"
    assert "Café owners welcomed the règle." in text


def test_wrong_latin1_header_over_utf8_body() -> None:
    html = "<html><body><p>Nvidia’s chip — “approved” for export, 25 % fee.</p></body></html>"
    text, encoding = decode_body(html.encode("utf-8"), "text/html; charset=ISO-8859-1")
    assert encoding == "utf-8"
    assert "Nvidia’s chip — “approved”" in text
    assert "â€" not in text  # the mojibake a literal reading of the header would give


def test_wrong_utf8_header_over_shift_jis_body() -> None:
    body = japanese_page('<meta charset="shift_jis">').encode("shift_jis")
    text, encoding = decode_body(body, "text/html; charset=utf-8")
    assert encoding == "cp932"
    assert JA_TITLE in text


def test_wrong_meta_falls_through_to_detection() -> None:
    # declares UTF-8 but is really Shift_JIS and has no other hint
    body = japanese_page('<meta charset="utf-8">').encode("shift_jis")
    text, encoding = decode_body(body)
    assert JA_BODY in text
    assert encoding in ("cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213")


def test_undeclared_shift_jis_detected() -> None:
    body = japanese_page("").encode("shift_jis")
    text, _ = decode_body(body)
    assert JA_BODY in text


def test_xml_declaration() -> None:
    xml = "<?xml version='1.0' encoding='iso-8859-15'?><rss><channel><title>Zoll \u20ac</title></channel></rss>"
    text, encoding = decode_body(xml.encode("iso-8859-15"))
    assert encoding == "iso8859-15"
    assert "Zoll €" in text


def test_invalid_utf8_never_raises_and_replaces() -> None:
    body = b"<html><body><p>valid start \xff\xfe\xfa broken \xc3 end</p></body></html>"
    text, encoding = decode_body(body, "text/html; charset=utf-8")
    assert isinstance(text, str)
    assert "valid start" in text and "end" in text
    assert encoding


@pytest.mark.parametrize(
    "body",
    [b"", b"\x00" * 10, os.urandom(4096), b"\xef\xbb\xbf", b"\xff\xfe\x00", bytearray(b"plain")],
)
@pytest.mark.parametrize("content_type", [None, "", "text/html; charset=", "text/html; charset=no-such-codec", "garbage;;;="])
def test_decode_never_raises(body: bytes, content_type: str | None) -> None:
    text, encoding = decode_body(body, content_type)
    assert isinstance(text, str)
    assert isinstance(encoding, str) and encoding


def test_normalise_charset() -> None:
    assert normalise_charset("ISO-8859-1") == "cp1252"
    assert normalise_charset("Shift_JIS") == "cp932"
    assert normalise_charset("GB2312") == "gb18030"
    assert normalise_charset("UTF8") == "utf-8"
    assert normalise_charset("utf-16") == "utf-8"  # in-document UTF-16 declarations cannot be true
    assert normalise_charset("x-unknown-thing") is None
    assert normalise_charset(None) is None


# --------------------------------------------------------------------------- sniff_kind

@pytest.mark.parametrize(
    ("body", "content_type", "filename", "expected"),
    [
        (b"<!DOCTYPE html><html><body>x</body></html>", None, None, "html"),
        (b"\n\n  <html lang='en'><p>x</p></html>", "text/plain", "notes.txt", "html"),  # bytes beat labels
        (codecs.BOM_UTF8 + b"<!doctype html><title>t</title>", None, None, "html"),
        (b"<div class='story'><p>fragment</p></div>", None, None, "html"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "text/html", None, "feed"),
        (b'<rss version="2.0" xmlns:content="x"><channel>', None, None, "feed"),  # feed without XML line
        (b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', None, None, "feed"),
        (b"<rdf:RDF xmlns:rdf='x'>", None, None, "feed"),
        (b"WARC/1.0\r\nWARC-Type: response\r\n", None, None, "warc"),
        (gzip.compress(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n\r\n"), None, "crawl.warc.gz", "warc"),
        (gzip.compress(b"just some gzipped bytes"), None, None, "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "text/html", None, "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, None, "image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "text/html", "page.html", "image"),
        (b"GIF89a\x01\x00", None, None, "image"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", None, None, "image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", None, None, "image"),
        (b"PK\x03\x04\x14\x00", None, "report.docx", "binary"),
        (b"URL: https://example.test/a\nOUTLET: Example\n\nText body.", None, "a.txt", "text"),
        ("Plain words about chips and fees.".encode(), None, None, "text"),
        ("日本語のテキストです。".encode("utf-8"), None, None, "text"),
        (b"Words without a label", "text/html; charset=utf-8", None, "html"),
        (b"Words", None, "story.html", "html"),
        (b"", None, None, "text"),
        (os.urandom(2048).replace(b"\x00", b"\x01") + b"\x00\x00", None, None, "binary"),
    ],
)
def test_sniff_kind(body: bytes, content_type: str | None, filename: str | None, expected: str) -> None:
    assert sniff_kind(body, content_type, filename) == expected


def test_sniff_never_raises_and_returns_known_kind() -> None:
    for body in (b"", b"\x1f\x8b", b"\x1f\x8b\x08\x00garbage", os.urandom(10), "<p>str input</p>"):
        assert sniff_kind(body, "weird/type; x", "a.b.c") in KINDS  # type: ignore[arg-type]


UNDECLARED = [
    (JA_BODY * 3, "shift_jis", "cp932"),
    ("美国允许向中国出口部分高性能芯片，但需缴纳百分之二十五的费用。" * 3, "gb18030", "gb18030"),
    ("미국은 중국에 대한 일부 반도체 수출을 허용하기로 했다." * 3, "euc-kr", "cp949"),
    ("Gebühr für Ausfuhren: fünfundzwanzig Prozent, bestätigt am Dienstag. Café, naïve, façade." * 3, "cp1252", "cp1252"),
]


@pytest.mark.parametrize(("text", "codec", "expected"), UNDECLARED)
def test_undeclared_legacy_encodings_with_installed_detector(text: str, codec: str, expected: str) -> None:
    body = f"<html><body><p>{text}</p></body></html>".encode(codec)
    decoded, _ = decode_body(body)
    assert text in decoded


@pytest.mark.parametrize(("text", "codec", "expected"), UNDECLARED)
def test_builtin_heuristic_without_charset_normalizer(monkeypatch: pytest.MonkeyPatch, text: str, codec: str, expected: str) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "charset_normalizer", None)  # import now raises ImportError
    body = f"<html><body><p>{text}</p></body></html>".encode(codec)
    decoded, encoding = decode_body(body)
    assert encoding == expected
    assert text in decoded
