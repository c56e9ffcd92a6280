"""Bench-only baseline: the print data rendered as HTML + CSS for WeasyPrint.

Reads the same dict the Typst template reads (exports/print/data.py) and lays it
out the same way: cover, imprint, table of contents with page numbers
(``target-counter``), chapters with running heads (``string-set``) and page
numbers, recommendation and practice boxes, portraits with photos, glossary in two
columns, picture credits. Same fonts (exports/print/fonts), same images. Not used
by the product; it exists so `make bench` compares like with like.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

FONTS = Path(__file__).resolve().parent.parent / "exports" / "print" / "fonts"


def _runs(runs: list[dict[str, Any]]) -> str:
    out = []
    for run in runs:
        if run["text"] == "\n":
            out.append("<br>")
            continue
        piece = escape(run["text"])
        if run.get("bold"):
            piece = f"<strong>{piece}</strong>"
        if run.get("italic"):
            piece = f"<em>{piece}</em>"
        if run.get("term"):
            piece = f'<span class="term">{piece}</span>'
        if run.get("link"):
            piece = f'<a href="{escape(run["link"])}">{piece}</a>'
        out.append(piece)
    return "".join(out)


def _image(img: dict[str, Any] | None, css: str = "") -> str:
    if not img:
        return ""
    return f'<img src="{escape(img["path"])}" alt="{escape(img["alt"])}" class="{css}">'


def _steps(steps: list[dict[str, Any]]) -> str:
    items = "".join(
        f"<li><strong>{escape(s['title'])}</strong>{_blocks(s['text'])}</li>"
        for s in steps
    )
    return f'<ol class="steps">{items}</ol>'


def _contact(c: dict[str, Any] | None, label: str) -> str:
    if not c:
        return ""
    lines = [c["role"], c["organisation"], c["municipality"], c["email"], c["phone"]]
    rest = "".join(f"<br>{escape(x)}" for x in lines if x)
    return (
        f'<div class="contact"><b class="label">{escape(label)}</b><br>'
        f"<strong>{escape(c['name'])}</strong>{rest}</div>"
    )


def _blocks(blocks: list[dict[str, Any]], labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    out = []
    for b in blocks:
        kind = b["kind"]
        if kind == "paragraph":
            out.append(f"<p>{_runs(b['runs'])}</p>")
        elif kind == "heading":
            level = min(b["level"] + 1, 4)
            out.append(f"<h{level}>{_runs(b['runs'])}</h{level}>")
        elif kind == "list":
            tag = "ol" if b["ordered"] else "ul"
            items = "".join(f"<li>{_runs(item)}</li>" for item in b["items"])
            out.append(f"<{tag}>{items}</{tag}>")
        elif kind == "quote":
            who = b.get("attribution") or ""
            cite = f"<footer>— {escape(who)}</footer>" if who else ""
            out.append(f"<blockquote><p>{_runs(b['runs'])}</p>{cite}</blockquote>")
        elif kind == "image":
            caption = escape(b["caption"])
            out.append(
                f"<figure>{_image(b['image'])}<figcaption>{caption}</figcaption>"
                "</figure>"
            )
        elif kind == "tip":
            title = labels.get(b["tone"], "")
            if b["title"]:
                title += ": " + b["title"]
            out.append(
                f'<div class="tip tip-{escape(b["tone"])}"><b>{escape(title)}</b>'
                f"{_blocks(b['blocks'])}</div>"
            )
        elif kind == "steps":
            if b["title"]:
                out.append(f"<h4>{escape(b['title'])}</h4>")
            out.append(_steps(b["steps"]))
        elif kind == "term":
            out.append(
                f'<div class="termbox"><b>{escape(labels.get("term", ""))}: '
                f"{escape(b['term'])}</b><br>{escape(b['explanation'])}</div>"
            )
        elif kind == "contact":
            out.append(_contact(b["contact"], labels.get("contact", "")))
    return "".join(out)


def _lang(part: dict[str, Any]) -> str:
    return f'lang="{escape(part["lang"])}" dir="{escape(part["dir"])}"'


def _css(rtl: bool) -> str:
    faces = "".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f"font-style: {style}; src: url('{(FONTS / file).as_uri()}'); }}\n"
        for family, weight, style, file in [
            ("Noto Sans", 400, "normal", "NotoSans-Regular.ttf"),
            ("Noto Sans", 700, "normal", "NotoSans-Bold.ttf"),
            ("Noto Sans", 400, "italic", "NotoSans-Italic.ttf"),
            ("Noto Sans", 700, "italic", "NotoSans-BoldItalic.ttf"),
            ("Noto Naskh Arabic", 400, "normal", "NotoNaskhArabic-Regular.ttf"),
            ("Noto Naskh Arabic", 700, "normal", "NotoNaskhArabic-Bold.ttf"),
        ]
    )
    fonts = (
        '"Noto Naskh Arabic", "Noto Sans"'
        if rtl
        else '"Noto Sans", "Noto Naskh Arabic"'
    )
    return (
        faces
        + f"""
@page {{ size: A4; margin: 27mm 22mm 24mm;
  @top-left {{ content: string(handbook); font-size: 8pt; color: #5b6670; }}
  @top-right {{ content: string(chapter); font-size: 8pt; color: #5b6670; }}
  @bottom-center {{ content: counter(page); font-size: 8.5pt; color: #5b6670; }} }}
@page cover {{ margin: 0; @top-left {{ content: none }} @top-right {{ content: none }}
  @bottom-center {{ content: none }} }}
body {{ font-family: {fonts}; font-size: {"11pt" if rtl else "10pt"};
  line-height: 1.45; text-align: justify; hyphens: auto; }}
h1, h2, h3, h4 {{ color: #1d5b66; text-align: start; hyphens: manual;
  break-after: avoid; }}
h1 {{ font-size: 21pt; string-set: chapter content(); break-before: page; }}
h2 {{ font-size: 14pt; }} h3 {{ font-size: 11.5pt; }} h4 {{ font-size: 10.5pt; }}
.cover {{ page: cover; padding: 39mm 22mm 0; }}
.cover .band {{ position: absolute; top: 0; left: 0; right: 0; height: 11mm;
  background: #1d5b66; }}
.cover h1 {{ font-size: 30pt; break-before: auto; string-set: handbook content(); }}
.cover img {{ width: 100%; }}
.toc a {{ color: black; text-decoration: none; }}
.toc a::after {{ content: leader('.') target-counter(attr(href), page); }}
.toc li {{ list-style: none; }} .toc .sub {{ padding-inline-start: 1.5em; }}
.kicker {{ font-weight: bold; color: #5b6670; }}
.term {{ color: #1d5b66; }}
figure {{ text-align: center; margin: 1em 0; }} figure img {{ width: 78%; }}
figcaption {{ font-size: 0.88em; color: #5b6670; }}
blockquote {{ color: #1d5b66; font-style: italic; font-size: 1.12em; }}
.tip {{ background: #e6f0f1; border: 0.6pt solid #1d5b66; padding: 11pt;
  border-radius: 3pt; }}
.termbox {{ background: #f3f4f6; padding: 8pt 10pt; }}
.contact {{ border: 0.5pt solid #5b6670; padding: 8pt 10pt; font-size: 0.92em;
  break-inside: avoid; }}
.recommendation {{ background: #e6f0f1; padding: 12pt 13pt; margin: 1.6em 0;
  border-radius: 3pt; font-size: 0.95em; }}
.practice {{ background: #f8eee4; padding: 12pt 13pt; margin: 1.6em 0;
  border-radius: 3pt; font-size: 0.95em; }}
.practice h2 {{ color: #8c4a17; }}
.label {{ color: #1d5b66; font-size: 0.9em; }}
.portrait {{ margin: 1.8em 0; }}
.portrait img {{ float: inline-start; width: 42mm; height: 52mm; object-fit: cover;
  margin-inline-end: 8mm; }}
.portrait .meta {{ color: #5b6670; font-size: 0.92em; }}
.portrait .story {{ clear: both; }}
.glossary {{ columns: 2; column-gap: 8mm; text-align: start; }}
.glossary div {{ break-inside: avoid; margin-bottom: 1em; }}
"""
    )


def handbook_html(data: dict[str, Any]) -> str:
    """The print data as one HTML document for WeasyPrint."""
    L = data["labels"]
    parts: list[str] = []
    anchors: list[tuple[int, str, str]] = []  # (level, id, title) for the TOC

    def anchor(level: int, title: str) -> str:
        ident = f"h{len(anchors)}"
        anchors.append((level, ident, title))
        return ident

    cover = data.get("cover")
    if cover:
        parts.append(
            f'<section class="cover" {_lang(data["front"])}><div class="band"></div>'
            f'<p class="kicker">{escape(cover["publisher"])}</p>'
            f"<h1>{escape(cover['title'])}</h1><p>{escape(cover['subtitle'])}</p>"
            f"{_image(cover['image'])}<p>{escape(cover['edition'])}</p></section>"
        )
    imprint = data.get("imprint")
    if imprint:
        partners = "<br>".join(
            f"{escape(p['organisation'])} ({escape(p['role'])})"
            for p in imprint["partners"]
        )
        parts.append(
            f'<section {_lang(data["front"])} style="font-size: 9pt">'
            f"<h1>{escape(L['imprint'])}</h1>"
            f'<p><b class="label">{escape(L["publisher"])}</b><br>'
            f"{escape(imprint['publisher'])}</p>"
            f'<p><b class="label">{escape(L["partners"])}</b><br>{partners}</p>'
            f'<b class="label">{escape(L["funding"])}</b>'
            f"{_blocks(imprint['funding'])}{_blocks(imprint['text'])}"
            f"<p>{escape(L['edition'])}: {escape(imprint['edition'])}</p></section>"
        )
    body: list[str] = []
    if data["intro"]:
        ident = anchor(1, data["title"])
        body.append(
            f'<section {_lang(data["front"])}><h1 id="{ident}">'
            f"{escape(data['title'])}</h1><p>{escape(data['subtitle'])}</p>"
            f"{_blocks(data['intro'], L)}</section>"
        )
    for c in data["chapters"]:
        ident = anchor(1, c["title"])
        kicker = (
            f'<p class="kicker">{escape(L["chapter"])} {c["number"]}</p>'
            if c["number"] is not None
            else ""
        )
        chunks = [
            f'<section {_lang(c)}>{kicker}<h1 id="{ident}">{escape(c["title"])}</h1>',
            _blocks(c["intro"], L),
            _blocks(c["body"], L),
        ]
        for r in c["recommendations"]:
            rid = anchor(2, r["title"])
            places = ", ".join(r["municipalities"]) or L["whole_district"]
            chunks.append(
                f'<div class="recommendation" {_lang(r)}><b class="label">'
                f"{escape(L['recommendation'].upper())}</b> · {escape(r['topic'])}"
                f'<h2 id="{rid}">{escape(r["title"])}</h2>'
                f"<p><strong>{_runs(r['summary'])}</strong></p>"
                f'<b class="label">{escape(L["why"])}</b>{_blocks(r["why"])}'
                f'<b class="label">{escape(L["steps"])}</b>{_steps(r["steps"])}'
                f'<b class="label">{escape(L["who_acts"])}</b>{_blocks(r["who_acts"])}'
                f"<p>{escape(L['municipalities'])}: {escape(places)}</p></div>"
            )
        for p in c["practices"]:
            pid = anchor(2, p["title"])
            sections = "".join(
                f'<b class="label">{escape(L[name])}</b>{_blocks(p[name])}'
                for name in ("what", "how", "outcome")
                if p[name]
            )
            chunks.append(
                f'<div class="practice" {_lang(p)}><b class="label">'
                f"{escape(L['practice'].upper())}</b> · {escape(p['municipality'])}"
                f'<h2 id="{pid}">{escape(p["title"])}</h2>{sections}'
                f"{_contact(p['contact'], L['contact'])}</div>"
            )
        chunks.append("</section>")
        body.append("".join(chunks))
    portraits = data.get("portraits")
    if portraits:
        ident = anchor(1, portraits["title"])
        chunks = [
            f'<section {_lang(portraits)}><h1 id="{ident}">'
            f"{escape(portraits['title'])}</h1>{_blocks(portraits['intro'], L)}"
        ]
        for p in portraits["items"]:
            pid = anchor(2, p["name"])
            meta = [f"{L['origin']}: {p['origin']}" if p["origin"] else ""]
            if p["year"]:
                meta.append(f"{L['arrived']}: {p['year']}")
            meta.append(p["municipality"])
            chunks.append(
                f'<div class="portrait" {_lang(p)}><h2 id="{pid}">'
                f"{escape(p['name'])}</h2>{_image(p['photo'])}"
                f'<p class="meta">{"<br>".join(escape(m) for m in meta if m)}</p>'
                f"<blockquote>{escape(p['quote'])}</blockquote>"
                f'<div class="story">{_blocks(p["story"], L)}</div></div>'
            )
        chunks.append("</section>")
        body.append("".join(chunks))
    if data["glossary"]:
        ident = anchor(1, L["glossary"])
        entries = "".join(
            f"<div><strong>{escape(g['term'])}</strong><br>"
            f"{escape(g['explanation'])}</div>"
            for g in data["glossary"]
        )
        body.append(
            f'<section><h1 id="{ident}">{escape(L["glossary"])}</h1>'
            f'<div class="glossary">{entries}</div></section>'
        )
    if data["credits"]:
        ident = anchor(1, L["credits"])
        credits = "".join(f"<p>{escape(c['credit'])}</p>" for c in data["credits"])
        body.append(
            f'<section><h1 id="{ident}">{escape(L["credits"])}</h1>{credits}</section>'
        )
    toc = "".join(
        f'<li class="{"sub" if level == 2 else ""}"><a href="#{ident}">'
        f"{escape(title)}</a></li>"
        for level, ident, title in anchors
    )
    parts.append(f'<section class="toc"><h1>{escape(L["contents"])}</h1><ul>{toc}</ul>')
    parts.append("</section>")
    parts += body
    return (
        f'<!doctype html><html {_lang(data)}><head><meta charset="utf-8">'
        f"<title>{escape(data['title'])}</title>"
        f"<style>{_css(data['dir'] == 'rtl')}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )
