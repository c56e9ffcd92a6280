"""Offline translation files: PO and XLIFF 2.0, written and read without the DB.

A file carries one *bundle*: a target page (or a chapter: the page and its
descendants) in one locale, made of *parts* (one wagtail-localize Translation each)
and *units* (one string segment each). The header names the page, the locale, the
scope and, for every part, the translation's id and the time its German source was
last extracted, so that an upload can be checked against what is current before
anything is written.

PO: metadata ``X-Wegweiser-*``; ``msgctxt`` is ``<part>:<segment path>``; machine
translations are marked ``fuzzy`` (to be reviewed). XLIFF 2.0: one ``<file>`` per
part with the header in ``<notes>``; ``<unit name>`` is the segment path; machine
translations have ``state="initial"``. Rich-text segments keep their inline HTML
as escaped text in both formats.
"""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Literal

import polib
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

Scope = Literal["page", "chapter"]
SCOPES: tuple[Scope, ...] = ("page", "chapter")

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NOTE_PAGE = "x-wegweiser-page"
NOTE_SCOPE = "x-wegweiser-scope"
NOTE_TRANSLATION = "x-wegweiser-translation"
NOTE_SOURCE_UPDATED = "x-wegweiser-source-updated"
NOTE_CREATED = "x-wegweiser-created"
NOTE_TITLE = "x-wegweiser-title"


class OfflineFileError(ValueError):
    """An uploaded file cannot be read or does not belong here.

    The message says what is wrong and what to do, in the active language (the
    translator's admin language when raised in a request).
    """


@dataclass(frozen=True)
class OfflinePart:
    """One wagtail-localize Translation inside a file."""

    translation_uuid: str
    # TranslationSource.last_updated_at (ISO 8601) when the file was made.
    source_updated: str
    title: str


@dataclass(frozen=True)
class OfflineUnit:
    """One string segment: where it is, its German text and its translation."""

    part: int  # 1-based index into OfflineBundle.parts
    path: str
    source: str
    target: str = ""
    # Machine translation not yet reviewed (PO fuzzy, XLIFF state="initial").
    needs_review: bool = False


@dataclass
class OfflineBundle:
    """Everything one offline file holds."""

    page_id: int
    locale: str
    source_locale: str
    scope: Scope
    parts: list[OfflinePart] = field(default_factory=list)
    units: list[OfflineUnit] = field(default_factory=list)
    # When the file was made (ISO 8601, to the microsecond); "" if unknown. A
    # translation stored after this moment is newer than the file's.
    created_at: str = ""


# --- PO -------------------------------------------------------------------------------


def bundle_to_po(bundle: OfflineBundle, *, created_at: str) -> str:
    """The bundle as a PO file (passes ``msgfmt --check``)."""
    po = polib.POFile(wrapwidth=78)
    po.metadata = {
        "Project-Id-Version": f"Wegweiser page {bundle.page_id}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created_at,
        "PO-Revision-Date": created_at,
        "Last-Translator": "",
        "Language-Team": bundle.locale,
        "Language": bundle.locale.replace("-", "_"),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Wegweiser-Page": str(bundle.page_id),
        "X-Wegweiser-Locale": bundle.locale,
        "X-Wegweiser-Source-Locale": bundle.source_locale,
        "X-Wegweiser-Scope": bundle.scope,
        "X-Wegweiser-Created": bundle.created_at,
        "X-Wegweiser-Parts": " ".join(
            f"{n}={p.translation_uuid}@{p.source_updated}"
            for n, p in enumerate(bundle.parts, start=1)
        ),
    }
    written: set[tuple[str, str]] = set()
    for unit in bundle.units:
        msgctxt = f"{unit.part}:{unit.path}"
        if (msgctxt, unit.source) in written:
            # Same text, same field: one message (see offline_bundle_for).
            continue
        written.add((msgctxt, unit.source))
        entry = polib.POEntry(
            msgctxt=msgctxt,
            msgid=unit.source,
            msgstr=po_target(unit.source, unit.target),
            comment=bundle.parts[unit.part - 1].title,
        )
        if unit.needs_review and unit.target:
            entry.flags.append("fuzzy")
        po.append(entry)
    return str(po)


def po_target(source: str, target: str) -> str:
    """``target`` with the line breaks at its ends made to match ``source``'s.

    ``msgfmt --check`` refuses a message whose msgid and msgstr differ in a
    leading or trailing newline; in a segment of HTML-ish text such a newline is
    only layout, so the file carries the translation without the difference.
    """
    if not target:
        return target
    core = target.strip("\n")
    if source.startswith("\n"):
        core = "\n" + core
    if source.endswith("\n"):
        core += "\n"
    return core


def bundle_from_po(data: bytes) -> OfflineBundle:
    """Read a PO file made by :func:`bundle_to_po` (and edited by a translator)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OfflineFileError(
            _(
                "the PO file is not UTF-8 (%(detail)s): save it as UTF-8 in your "
                "tool and upload it again"
            )
            % {"detail": exc.reason}
        ) from exc
    # polib reads a *path* when given a string that names an existing file, so the
    # upload goes through a file of its own, never through the string argument.
    fd, path = tempfile.mkstemp(suffix=".po")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        po = polib.pofile(path, encoding="utf-8")
    except (OSError, ValueError) as exc:
        # polib names the temporary file; the translator knows it as theirs.
        detail = str(exc).replace(f" {path}", "")
        raise OfflineFileError(
            _(
                "the PO file cannot be read: %(detail)s. Correct that line in your "
                "tool, or download a new file and copy your translations into it"
            )
            % {"detail": detail}
        ) from exc
    finally:
        os.unlink(path)

    meta = po.metadata
    try:
        page_id = int(meta["X-Wegweiser-Page"])
        locale = meta["X-Wegweiser-Locale"]
        scope = _scope(meta.get("X-Wegweiser-Scope", "page"))
        parts = [_parse_part(item) for item in meta["X-Wegweiser-Parts"].split()]
    except (KeyError, ValueError) as exc:
        raise OfflineFileError(
            _(
                "the PO file has no Wegweiser header (X-Wegweiser-Page, "
                "X-Wegweiser-Locale, X-Wegweiser-Parts): download a file from this "
                "page and translate that one"
            )
        ) from exc
    bundle = OfflineBundle(
        page_id=page_id,
        locale=locale,
        source_locale=meta.get("X-Wegweiser-Source-Locale", ""),
        scope=scope,
        parts=[part for __, part in sorted(parts)],
        created_at=meta.get("X-Wegweiser-Created", ""),
    )
    for entry in po:
        if entry.obsolete:
            continue
        part, __, path = (entry.msgctxt or "").partition(":")
        if not part.isdigit() or not path:
            raise OfflineFileError(
                _(
                    "line %(line)s: the context “%(context)s” is not one of ours "
                    "(expected “<part>:<field>”): keep the msgctxt lines exactly as "
                    "they were in the downloaded file"
                )
                % {"line": entry.linenum, "context": entry.msgctxt or ""}
            )
        bundle.units.append(
            OfflineUnit(
                part=int(part),
                path=path,
                source=entry.msgid,
                target=entry.msgstr,
                needs_review="fuzzy" in entry.flags,
            )
        )
    return bundle


def _parse_part(item: str) -> tuple[int, OfflinePart]:
    number, __, rest = item.partition("=")
    uuid, __, updated = rest.partition("@")
    if not number.isdigit() or not uuid or not updated:
        raise ValueError(item)
    return int(number), OfflinePart(uuid, updated, "")


def _scope(value: str) -> Scope:
    if value not in SCOPES:
        raise ValueError(f"unknown scope {value!r}")
    return value  # type: ignore[return-value]


# --- XLIFF 2.0 ------------------------------------------------------------------------


def _q(tag: str) -> str:
    return f"{{{XLIFF_NS}}}{tag}"


def bundle_to_xliff(bundle: OfflineBundle) -> bytes:
    """The bundle as an XLIFF 2.0 document (one ``<file>`` per part)."""
    ET.register_namespace("", XLIFF_NS)
    root = ET.Element(
        _q("xliff"),
        {"version": "2.0", "srcLang": bundle.source_locale, "trgLang": bundle.locale},
    )
    files = []
    for n, part in enumerate(bundle.parts, start=1):
        file_el = ET.SubElement(
            root, _q("file"), {"id": f"f{n}", "original": part.title or f"part {n}"}
        )
        notes = ET.SubElement(file_el, _q("notes"))
        for category, text in (
            (NOTE_PAGE, str(bundle.page_id)),
            (NOTE_SCOPE, bundle.scope),
            (NOTE_TRANSLATION, part.translation_uuid),
            (NOTE_SOURCE_UPDATED, part.source_updated),
            (NOTE_TITLE, part.title),
            (NOTE_CREATED, bundle.created_at),
        ):
            ET.SubElement(notes, _q("note"), {"category": category}).text = text
        files.append(file_el)
    counters = [0] * len(bundle.parts)
    for unit in bundle.units:
        counters[unit.part - 1] += 1
        unit_el = ET.SubElement(
            files[unit.part - 1],
            _q("unit"),
            {"id": f"u{counters[unit.part - 1]}", "name": unit.path},
        )
        state = "initial" if unit.needs_review or not unit.target else "translated"
        segment = ET.SubElement(unit_el, _q("segment"), {"state": state})
        ET.SubElement(segment, _q("source"), {XML_SPACE: "preserve"}).text = unit.source
        if unit.target:
            ET.SubElement(
                segment, _q("target"), {XML_SPACE: "preserve"}
            ).text = unit.target
    # A file part with no units is invalid XLIFF; every part has at least its title.
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def bundle_from_xliff(data: bytes) -> OfflineBundle:
    """Read an XLIFF 2.0 document made by :func:`bundle_to_xliff`."""
    try:
        root = SafeET.fromstring(data)
    except (ET.ParseError, DefusedXmlException) as exc:
        raise OfflineFileError(
            _(
                "the XLIFF file is not well-formed XML (%(detail)s): export it "
                "again from your tool, or download a new file"
            )
            % {"detail": exc}
        ) from exc
    if root.tag != _q("xliff") or not root.get("version", "").startswith("2."):
        raise OfflineFileError(
            _(
                "the file is not XLIFF 2.0 (expected %(expected)s): export XLIFF 2 "
                "from your tool"
            )
            % {"expected": f'<xliff version="2.0" xmlns="{XLIFF_NS}">'}
        )
    bundle: OfflineBundle | None = None
    for n, file_el in enumerate(root.findall(_q("file")), start=1):
        notes = {
            note.get("category"): (note.text or "")
            for note in file_el.iterfind(f"{_q('notes')}/{_q('note')}")
        }
        try:
            page_id = int(notes[NOTE_PAGE])
            part = OfflinePart(
                notes[NOTE_TRANSLATION],
                notes[NOTE_SOURCE_UPDATED],
                notes.get(NOTE_TITLE, ""),
            )
            scope = _scope(notes.get(NOTE_SCOPE, "page"))
        except (KeyError, ValueError) as exc:
            raise OfflineFileError(
                _(
                    "<file> %(number)s has no Wegweiser notes (x-wegweiser-page, "
                    "x-wegweiser-translation, x-wegweiser-source-updated): download "
                    "a file from this page and translate that one"
                )
                % {"number": n}
            ) from exc
        if bundle is None:
            bundle = OfflineBundle(
                page_id=page_id,
                locale=root.get("trgLang", ""),
                source_locale=root.get("srcLang", ""),
                scope=scope,
                created_at=notes.get(NOTE_CREATED, ""),
            )
        elif page_id != bundle.page_id:
            raise OfflineFileError(
                _(
                    "the <file> elements name different pages: upload the file of "
                    "one page (or chapter) as it was downloaded, not files merged "
                    "together"
                )
            )
        bundle.parts.append(part)
        for unit_el in file_el.iter(_q("unit")):
            # itertext: a tool that wrapped text in inline elements loses nothing.
            source = "".join(
                "".join(el.itertext()) for el in unit_el.iterfind(f".//{_q('source')}")
            )
            targets = list(unit_el.iterfind(f".//{_q('target')}"))
            segment = unit_el.find(_q("segment"))
            state = segment.get("state", "") if segment is not None else ""
            path = unit_el.get("name")
            if not path:
                raise OfflineFileError(
                    _(
                        "<unit id=“%(unit)s”> in <file> %(number)s has no name: keep "
                        "the name attributes of the downloaded file"
                    )
                    % {"unit": unit_el.get("id", ""), "number": n}
                )
            bundle.units.append(
                OfflineUnit(
                    part=n,
                    path=path,
                    source=source,
                    target="".join("".join(el.itertext()) for el in targets),
                    needs_review=state == "initial",
                )
            )
    if bundle is None:
        raise OfflineFileError(
            _(
                "the XLIFF file has no <file> element: download a file from this "
                "page and translate that one"
            )
        )
    return bundle


def bundle_from_upload(data: bytes) -> OfflineBundle:
    """Read either format, telling them apart by their content."""
    head = data.lstrip()[:200]
    if head.startswith(b"<"):
        return bundle_from_xliff(data)
    if not data.strip():
        raise OfflineFileError(
            _("the file is empty: choose the PO or XLIFF file you translated")
        )
    return bundle_from_po(data)
