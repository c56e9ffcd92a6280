"""QR codes for print: a chapter's address on the district website, as vector SVG.

zxing-cpp draws the code (its writer is Zint, in C++); the template places the SVG
(data, not markup) with the address printed beneath, so a reader without a phone
can type it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import zxingcpp


def qr_code(url: str | None) -> dict[str, Any] | None:
    """``{url, short, svg}`` for ``url``: the address, the address as printed
    (without ``https://``), and the code as SVG; None without an address."""
    if not url:
        return None
    short = url.split("://", 1)[-1]
    return {"url": url, "short": short, "svg": _qr_svg(url)}


# Drawing a code takes about half a millisecond (segno, in Python, took 9 ms, most
# of it choosing the mask: 90 ms for the ten chapters of a 200-page handbook). A
# worker rebuilding a locale after every publish still draws each address once.
@lru_cache(maxsize=1024)
def _qr_svg(url: str) -> str:
    # Error correction M survives a smudge or a fold; the quiet zone (four modules,
    # the writer's default) is what readers need around the code. One unit per
    # module: the template scales the code to its printed size.
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return code.to_svg(scale=1, add_hrt=False, add_quiet_zones=True)
