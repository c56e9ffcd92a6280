"""QR codes for print: a chapter's address on the district website, as vector SVG.

segno draws the code; the template places the SVG (data, not markup) with the
address printed beneath, so a reader without a phone can type it.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

import segno


def qr_code(url: str | None) -> dict[str, Any] | None:
    """``{url, short, svg}`` for ``url``: the address, the address as printed
    (without ``https://``), and the code as SVG; None without an address."""
    if not url:
        return None
    short = url.split("://", 1)[-1]
    return {"url": url, "short": short, "svg": _qr_svg(url)}


# A chapter's address changes rarely, and segno spends ~5 ms on each code (it
# tries all eight masks in Python): a worker rebuilding a locale after every
# publish draws each chapter's code once.
@lru_cache(maxsize=1024)
def _qr_svg(url: str) -> str:
    # Error correction M survives a smudge or a fold; the quiet zone of four
    # modules is what readers need around the code.
    code = segno.make(url, error="m", micro=False)
    svg = io.BytesIO()
    code.save(svg, kind="svg", scale=1, border=4, xmldecl=False, dark="#000")
    return svg.getvalue().decode()
