"""Typst rendering: a JSON content tree in, PDF bytes out.

The template never sees editor text as markup. ``print_render`` writes the data as
``data.json`` into a fresh build folder, copies the template and the images it names
beside it, and compiles with that folder as the Typst root: ``read()``/``image()``
cannot reach anything outside it, and only the fonts shipped in ``fonts/`` are used.

Each compilation runs in a short-lived child process. Typst memoizes layout work
for the life of its process and typst-py never evicts it: in one long-lived
process, memory grew by about 150 MB with every 200-page build (bench/print.py
measured it), which a Celery worker would carry until it is killed. A child costs
about 15 ms to start, returns its memory when it exits, and can be stopped at a
time limit without taking the worker down.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.util import find_spec
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypdf import PdfReader

if TYPE_CHECKING:
    from exports.print.data import PrintSource

PRINT_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PRINT_DIR / "templates"
FONTS_DIR = PRINT_DIR / "fonts"
# A build that takes longer is stopped: even 2,000 pages take well under a minute.
RENDER_TIMEOUT_SECONDS = 300

# The child: compile main.typ in the build folder, write each output file (one PDF,
# or one PNG per page) as out-00000, out-00001 … beside it; exit 3 with Typst's
# message on stderr if Typst refuses the document.
#
# It starts isolated and without ``site`` (``python -I -S``): it needs only the
# standard library and typst, whose folder it is given, so it skips the site
# packages' path files and the environment (a few ms of every build).
_CHILD = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import typst
root, options = Path(sys.argv[1]), json.loads(sys.argv[2])
try:
    result = typst.compile(
        root / "main.typ", root=root, font_paths=[options.pop("fonts")],
        ignore_system_fonts=True, **options,
    )
except typst.TypstError as error:
    sys.stderr.write(error.message)
    sys.exit(3)
for n, output in enumerate([result] if isinstance(result, bytes) else result):
    (root / f"out-{n:05d}").write_bytes(output)
"""


def _typst_path() -> str:
    """The folder typst is installed in (the child's only import path)."""
    spec = find_spec("typst")
    if spec is None or spec.origin is None:
        raise ImportError(
            "typst is not installed; it renders print (pip install typst)"
        )
    return str(Path(spec.origin).parent.parent)


_TYPST_PATH = _typst_path()


class PrintRenderError(RuntimeError):
    """Typst refused the document; the message says where and why."""


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    page_count: int


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_TABLE = re.compile(rb"xref\s+0\s+(\d+)\s+")
_ROOT = re.compile(rb"/Root\s*(\d+)\s+0\s+R")
_PAGES = re.compile(rb"/Pages\s*(\d+)\s+0\s+R")
_COUNT = re.compile(rb"/Count\s*(\d+)")


def _page_count(pdf: bytes) -> int:
    """How many pages ``pdf`` has.

    Read from the page tree's root (its ``/Count``), found through the trailer and
    the cross-reference table as Typst writes them: a few objects instead of the
    whole file (pypdf reads every cross-reference entry and page, 10–25 ms for a
    40-page book). Any other file layout is counted by pypdf.
    """
    try:
        return _page_tree_count(pdf)
    except (ValueError, IndexError):
        return len(PdfReader(BytesIO(pdf)).pages)


def _page_tree_count(pdf: bytes) -> int:
    """``/Count`` of the root page tree node; ValueError if the file is not laid
    out as expected (one classic cross-reference section)."""
    xref = int(_found(_STARTXREF.search(pdf, len(pdf) - 64)).group(1))
    table = _found(_XREF_TABLE.match(pdf, xref))
    size = int(table.group(1))
    trailer = pdf[table.end() + 20 * size :]
    if not trailer.startswith(b"trailer"):
        raise ValueError("not one classic cross-reference section")

    def body(number: int) -> bytes:
        if not 0 < number < size:
            raise ValueError(f"object {number} is outside the table")
        entry = table.end() + 20 * number  # entries are 20 bytes each
        offset = int(pdf[entry : entry + 10])
        start = pdf.index(b"obj", offset, offset + 32)
        if int(pdf[offset:start].split()[0]) != number:
            raise ValueError(f"object {number} is not at its offset")
        return pdf[start : pdf.index(b"endobj", start)]

    catalog = body(int(_found(_ROOT.search(trailer)).group(1)))
    pages = body(int(_found(_PAGES.search(catalog)).group(1)))
    if b"/Type/Pages" not in pages.replace(b" ", b""):
        raise ValueError("the catalog's /Pages is not a page tree node")
    return int(_found(_COUNT.search(pages)).group(1))


def _found(match: re.Match[bytes] | None) -> re.Match[bytes]:
    if match is None:
        raise ValueError("not a PDF as Typst writes it")
    return match


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
        (pdf,) = _compile(root, format="pdf", pdf_standards="ua-1")
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
        return _compile(root, format="png", ppi=ppi)


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


def _compile(root: Path, **options: Any) -> list[bytes]:
    """Compile ``main.typ`` in ``root`` (Typst's file boundary) in a child process.

    Returns the output files: one PDF, or one PNG per page.
    """
    try:
        child = subprocess.run(
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                _CHILD,
                str(root),
                json.dumps({**options, "fonts": str(FONTS_DIR)}),
                _TYPST_PATH,
            ],
            capture_output=True,
            timeout=RENDER_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise PrintRenderError(
            f"Typst took longer than {RENDER_TIMEOUT_SECONDS} s and was stopped"
        ) from error
    message = child.stderr.decode(errors="replace").strip()
    if child.returncode == 3:
        raise PrintRenderError(f"Typst: {message}")
    if child.returncode != 0:
        raise PrintRenderError(
            f"The Typst process failed (exit code {child.returncode}): "
            f"{message[-2000:]}"
        )
    return [path.read_bytes() for path in sorted(root.glob("out-*"))]
