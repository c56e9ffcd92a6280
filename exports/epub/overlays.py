"""EPUB 3 Media Overlays: the book's text highlighted sentence by sentence while the
audio channel's recording of it plays.

The audio comes through the core (``exports.read_along``): each page's sentences,
as shown, with their times in the page's file. A content document gets every
sentence it shows wrapped in ``<span id="s-<page>-<n>">`` (``n`` counts the page's
spoken sentences, so ids are stable) and a SMIL file with one ``<par>`` per
sentence, in reading order::

    chapter-7.xhtml  … <h1>Kapitel 1: <span id="s-7-1">Ankommen</span></h1> …
    chapter-7.smil   <par><text src="chapter-7.xhtml#s-7-1"/>
                          <audio src="audio/<sha256>.mp3" clipBegin="0.000s"
                                 clipEnd="1.234s"/></par>

Sentences are found by their text in the document's text (compound splits and
white space as the audio channel reads them), in recording order; the ``<par>``s
follow the document's order. One the document does not show (a label the audio
reads differently) is left out rather than guessed.

The audio channel speaks Opus, which EPUB 3.2 reading systems (and epubcheck) do
not accept in Media Overlays (MED-005, even with a manifest fallback): the book
carries MP3 (a core media type), transcoded once per recording with ``opusdec``
and ``lame`` and kept under the channel's root by the recording's sha256.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from exports.artifacts import file_write_atomically
from exports.content.inline import MEDIOPUNKT
from exports.epub.xhtml import EPUB_NS, E
from exports.read_along import SpokenPage, SpokenSentence

SMIL_NS = "http://www.w3.org/ns/SMIL"
SMIL_MEDIA_TYPE = "application/smil+xml"
AUDIO_MEDIA_TYPE = "audio/mpeg"
# The class a reading system puts on the sentence being read (the package names it).
ACTIVE_CLASS = "-epub-media-overlay-active"
ACTIVE_CSS = (
    f".{ACTIVE_CLASS} {{ background-color: #ffe27a; color: #000; "
    "border-radius: 0.15em; }\n"
)
# MP3 for speech: mono, 32 kbit/s (about 0.25 MB a minute).
MP3_BITRATE = 32
# Look this many sentences ahead when deciding whether one is shown out of order.
LOOK_AHEAD = 40

# Elements that start a new run of text: a sentence never spans two of them.
_BLOCKS = frozenset(
    [
        "html",
        "body",
        "main",
        "section",
        "nav",
        "header",
        "footer",
        "article",
        "aside",
        "div",
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ol",
        "ul",
        "li",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "blockquote",
        "table",
        "tr",
        "td",
        "th",
    ]
)
_SEPARATOR = "\x00"


class OverlayFailed(RuntimeError):
    """The recording could not be turned into the book's audio (a missing tool)."""


@dataclass(frozen=True)
class Clip:
    """One ``<par>``: the sentence's element id and where it is heard."""

    element_id: str
    audio: str  # file name inside the EPUB
    start: float
    end: float


# --- Finding and wrapping sentences in a document's element tree --------------------

_Slot = tuple[ET.Element, str]  # (element, "text" | "tail")
_Position = tuple[ET.Element, str, int]


class _FlatText:
    """The text of an element tree as one string, each character's slot known.

    White space is collapsed, compound splits (``·`` between letters, or the
    ``mediopunkt`` spans) are left out, and a separator stands between blocks.
    """

    def __init__(self, root: ET.Element) -> None:
        self.chars: list[str] = []
        self.where: list[_Position | None] = []
        self._walk(root)
        self._drop_splits()
        self.text = "".join(self.chars)

    def _put(self, text: str, element: ET.Element, attr: str) -> None:
        for offset, char in enumerate(text):
            if char.isspace():
                if not self.chars or self.chars[-1] in (" ", _SEPARATOR):
                    continue
                char = " "
            self.chars.append(char)
            self.where.append((element, attr, offset))

    def _separate(self) -> None:
        if self.chars and self.chars[-1] == " ":
            self.chars.pop()
            self.where.pop()
        if self.chars and self.chars[-1] != _SEPARATOR:
            self.chars.append(_SEPARATOR)
            self.where.append(None)

    def _walk(self, element: ET.Element) -> None:
        block = _local(element.tag) in _BLOCKS
        if block:
            self._separate()
        if _local(element.tag) == "br":
            self._put(" ", element, "tail")
        if element.get("class") != "mediopunkt":
            if element.text:
                self._put(element.text, element, "text")
            for child in element:
                self._walk(child)
                if child.tail:
                    self._put(child.tail, child, "tail")
        if block:
            self._separate()

    def _drop_splits(self) -> None:
        keep = [
            i
            for i, char in enumerate(self.chars)
            if not (
                char == MEDIOPUNKT
                and 0 < i < len(self.chars) - 1
                and _is_word(self.chars[i - 1])
                and _is_word(self.chars[i + 1])
            )
        ]
        self.chars = [self.chars[i] for i in keep]
        self.where = [self.where[i] for i in keep]


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _pattern(sentence: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(sentence)}(?!\w)")


def sentences_wrap(
    root: ET.Element,
    sentences: Sequence[SpokenSentence],
    *,
    first: int,
    id_prefix: str,
) -> tuple[list[tuple[int, str]], int]:
    """Wrap each of ``sentences[first:]`` that ``root`` shows in a span with an id.

    Returns ``(index, element id)`` of each wrapped sentence in document order,
    and the index of the first sentence this document does not reach (a later
    document of the same page, like the imprint after the cover, goes on from
    there). Sentences are looked for in recording order; one shown earlier than
    the one before it (the imprint shows the funding note after the imprint text,
    the recording reads it first) is found all the same, and its clip jumps back.
    A sentence the document does not show is skipped.
    """
    patterns = [_pattern(s.text) for s in sentences]
    text = _FlatText(root).text
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, int]] = []  # (start, end, sentence index)
    position = 0
    index = first
    while index < len(sentences):
        match = _search(patterns[index], text, position, taken)
        if match is None:
            ahead = patterns[index + 1 : index + 1 + LOOK_AHEAD]
            if not any(_search(p, text, position, taken) for p in ahead):
                break  # nothing more of this page here
            index += 1  # a sentence this document does not show
            continue
        taken.append(match)
        found.append((*match, index))
        position = match[1]
        index += 1
    wrapped: list[tuple[int, str]] = []
    for start, end, number in sorted(found):
        flat = _FlatText(root)  # the same text; its slots moved with each span
        first_char, last_char = flat.where[start], flat.where[end - 1]
        assert first_char is not None and last_char is not None  # never a separator
        element_id = f"{id_prefix}{number + 1}"
        _wrap(root, first_char, (*last_char[:2], last_char[2] + 1), element_id)
        wrapped.append((number, element_id))
    return wrapped, index


def _search(
    pattern: re.Pattern[str], text: str, position: int, taken: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """Where ``pattern`` is in ``text``: after ``position`` if it is, else anywhere
    else not yet taken by another sentence."""
    for start in (position, 0):
        at = start
        while (match := pattern.search(text, at)) is not None:
            if not any(match.start() < e and s < match.end() for s, e in taken):
                return match.start(), match.end()
            at = match.start() + 1
    return None


def _get(element: ET.Element, attr: str) -> str:
    return (element.text if attr == "text" else element.tail) or ""


def _set(element: ET.Element, attr: str, value: str) -> None:
    if attr == "text":
        element.text = value or None
    else:
        element.tail = value or None


def _parents(root: ET.Element) -> dict[ET.Element, ET.Element]:
    return {child: parent for parent in root.iter() for child in parent}


def _container(
    position: _Position, parents: dict[ET.Element, ET.Element]
) -> ET.Element:
    element, attr, _offset = position
    return element if attr == "text" else parents[element]


def _ancestors(
    element: ET.Element, parents: dict[ET.Element, ET.Element]
) -> list[ET.Element]:
    chain = [element]
    while chain[-1] in parents:
        chain.append(parents[chain[-1]])
    return chain


def _split(
    element: ET.Element, position: _Position, parents: dict[ET.Element, ET.Element]
) -> ET.Element:
    """Split ``element`` at ``position`` (one of its own slots); the part after it
    becomes a copy (without the id) right after it, which is returned."""
    at, attr, offset = position
    rest = ET.Element(
        element.tag, {k: v for k, v in element.attrib.items() if k != "id"}
    )
    text = _get(at, attr)
    rest.text = text[offset:] or None
    _set(at, attr, text[:offset])
    children = list(element)
    moved = children if attr == "text" else children[children.index(at) + 1 :]
    for child in moved:
        element.remove(child)
        rest.append(child)
    rest.tail, element.tail = element.tail, None
    parent = parents[element]
    parent.insert(list(parent).index(element) + 1, rest)
    parents[rest] = parent
    for child in rest:
        parents[child] = rest
    return rest


def _wrap(root: ET.Element, start: _Position, end: _Position, element_id: str) -> None:
    """Wrap the text from ``start`` to ``end`` (exclusive) in a span with the id,
    splitting inline elements that a sentence starts or ends inside."""
    parents = _parents(root)
    start_chain = _ancestors(_container(start, parents), parents)
    end_chain = _ancestors(_container(end, parents), parents)
    common = next(e for e in start_chain if e in end_chain)
    # The end first: what follows it moves, and the start is never after it.
    while (container := _container(end, parents)) is not common:
        _split(container, end, parents)
        end = (container, "tail", 0)
    while (container := _container(start, parents)) is not common:
        rest = _split(container, start, parents)
        if end[0] is container and end[1] == "tail":
            end = (rest, "tail", end[2])
        start = (container, "tail", 0)
    span = ET.Element("span", {"id": element_id})
    children = list(common)
    first = 0 if start[1] == "text" else children.index(start[0]) + 1
    if start[:2] == end[:2]:
        text = _get(start[0], start[1])
        span.text = text[start[2] : end[2]]
        span.tail = text[end[2] :] or None
        _set(start[0], start[1], text[: start[2]])
    else:
        text = _get(start[0], start[1])
        span.text = text[start[2] :] or None
        _set(start[0], start[1], text[: start[2]])
        last = children.index(end[0])
        tail = end[0].tail or ""
        span.tail = tail[end[2] :] or None
        end[0].tail = tail[: end[2]] or None
        for child in children[first : last + 1]:
            common.remove(child)
            span.append(child)
    common.insert(first, span)


# --- The SMIL file and the audio ----------------------------------------------------


def clock(seconds: float) -> str:
    """A SMIL full clock value (``0:01:02.345``), as ``media:duration`` wants."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def smil_document(*, document: str, clips: Sequence[Clip]) -> bytes:
    """The Media Overlay of the content document ``document``."""
    smil = E(
        "smil",
        {"xmlns": SMIL_NS, "xmlns:epub": EPUB_NS, "version": "3.0"},
        E(
            "body",
            None,
            *(
                E(
                    "par",
                    {"id": f"par-{number}"},
                    E("text", {"src": f"{document}#{clip.element_id}"}),
                    E(
                        "audio",
                        {
                            "src": clip.audio,
                            "clipBegin": f"{clip.start:.3f}s",
                            "clipEnd": f"{clip.end:.3f}s",
                        },
                    ),
                )
                for number, clip in enumerate(clips, start=1)
            ),
        ),
    )
    markup = ET.tostring(smil, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + markup + "\n").encode()


def overlay_audio(page: SpokenPage, *, cache: Path) -> bytes:
    """The page's recording as MP3, transcoded once and kept by its sha256."""
    target = cache / f"{page.sha256}.mp3"
    if target.exists():
        return target.read_bytes()
    for tool, package in (("opusdec", "opus-tools"), ("lame", "lame")):
        if shutil.which(tool) is None:
            raise OverlayFailed(
                f"{tool} is not installed: run `make system-deps` (Debian {package})."
            )
    decoded = subprocess.run(
        ["opusdec", "--quiet", "--force-wav", str(page.path), "-"],
        capture_output=True,
        timeout=300,
    )
    if decoded.returncode != 0:
        raise OverlayFailed(
            f"opusdec failed on {page.path.name}: "
            f"{decoded.stderr.decode(errors='replace').strip()}"
        )
    encoded = subprocess.run(
        ["lame", "--quiet", "-m", "m", "-b", str(MP3_BITRATE), "-", "-"],
        input=decoded.stdout,
        capture_output=True,
        timeout=300,
    )
    if encoded.returncode != 0:
        raise OverlayFailed(
            f"lame failed: {encoded.stderr.decode(errors='replace').strip()}"
        )
    file_write_atomically(target, encoded.stdout)
    return encoded.stdout
