"""The render step's page count: read from the PDF's page tree, as pypdf counts."""

from io import BytesIO

import pikepdf
from pypdf import PdfReader, PdfWriter

from exports.print.render import _page_count


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_page_count_matches_pypdf_for_a_plain_pdf() -> None:
    pdf = _pdf(7)
    assert _page_count(pdf) == len(PdfReader(BytesIO(pdf)).pages) == 7


def test_page_count_of_a_pdf_with_object_streams() -> None:
    # Cross-reference and page tree in compressed streams: not the layout Typst
    # writes, so pypdf counts.
    with pikepdf.open(BytesIO(_pdf(5))) as pdf:
        out = BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"/ObjStm" in out.getvalue()
    assert _page_count(out.getvalue()) == 5
