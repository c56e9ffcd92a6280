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
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
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
_CHILD = """
import json, sys
from pathlib import Path
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
                "-c",
                _CHILD,
                str(root),
                json.dumps({**options, "fonts": str(FONTS_DIR)}),
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
