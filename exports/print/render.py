"""Typst rendering: a JSON content tree in, PDF bytes out.

The template never sees editor text as markup. ``print_render`` writes the data as
``data.json`` into a fresh build folder, copies the template and the images it names
beside it, and compiles with that folder as the Typst root: ``read()``/``image()``
cannot reach anything outside it, and only the fonts shipped in ``fonts/`` are used.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typst
from pypdf import PdfReader

if TYPE_CHECKING:
    from exports.print.data import PrintSource

PRINT_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PRINT_DIR / "templates"
FONTS_DIR = PRINT_DIR / "fonts"


class PrintRenderError(RuntimeError):
    """Typst refused the document; the message says where and why."""


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    page_count: int


def _page_count(pdf: bytes) -> int:
    from io import BytesIO

    return len(PdfReader(BytesIO(pdf)).pages)


def print_build(source: PrintSource) -> RenderedPdf:
    """Render a ``PrintSource`` (template, data and files) to PDF."""
    return print_render(source.data, template=source.template, files=source.files)


def print_render(
    data: Mapping[str, Any],
    *,
    template: str = "handbook",
    files: Mapping[str, Path] | None = None,
) -> RenderedPdf:
    """Render ``data`` with ``templates/<template>.typ`` as PDF/UA-1.

    ``files`` maps names relative to the build folder (e.g. ``images/12.jpg``) to
    files to copy in, so the template can place them with ``image()``.
    """
    with _build_folder(data, template=template, files=files) as root:
        pdf = _compile(root, format="pdf", pdf_standards="ua-1")
    assert isinstance(pdf, bytes)
    return RenderedPdf(pdf=pdf, page_count=_page_count(pdf))


def print_render_pages(
    data: Mapping[str, Any],
    *,
    template: str = "handbook",
    files: Mapping[str, Path] | None = None,
    ppi: float = 96,
) -> list[bytes]:
    """Render ``data`` like ``print_render``, as one PNG image per page.

    For previews: any browser shows PNGs, and they need no PDF viewer.
    """
    with _build_folder(data, template=template, files=files) as root:
        pages = _compile(root, format="png", ppi=ppi)
    # Typst returns bytes for a one-page document and a list otherwise.
    return [pages] if isinstance(pages, bytes) else list(pages)


@contextmanager
def _build_folder(
    data: Mapping[str, Any], *, template: str, files: Mapping[str, Path] | None
) -> Iterator[Path]:
    """A fresh folder with ``main.typ``, ``data.json`` and the files, removed after."""
    source = TEMPLATES_DIR / f"{template}.typ"
    with tempfile.TemporaryDirectory(prefix="wegweiser-print-") as folder:
        root = Path(folder)
        shutil.copy(source, root / "main.typ")
        (root / "data.json").write_text(
            json.dumps(data, ensure_ascii=False), encoding="utf-8"
        )
        for name, path in (files or {}).items():
            target = (root / name).resolve()
            if not target.is_relative_to(root.resolve()):
                raise PrintRenderError(f"File name leaves the build folder: {name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
        yield root


def _compile(root: Path, **options: Any) -> Any:
    """Compile ``main.typ`` in ``root`` with the root as Typst's file boundary."""
    try:
        return typst.compile(
            root / "main.typ",
            root=root,
            font_paths=[FONTS_DIR],
            ignore_system_fonts=True,
            **options,
        )
    except typst.TypstError as error:
        raise PrintRenderError(f"Typst: {error.message}") from error
