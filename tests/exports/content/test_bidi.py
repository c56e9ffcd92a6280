"""Left-to-right runs in right-to-left text: what the tree isolates, and what not."""

from __future__ import annotations

import pytest

from exports.content.bidi import ltr_runs_isolate
from exports.content.inline import Paragraph, RichText, Text, rich_text_html

LRI, PDI = "\u2066", "\u2069"


def marked(text: str) -> str:
    return ltr_runs_isolate(text).replace(LRI, "[").replace(PDI, "]")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0731 000 1004", "[0731 000 1004]"),
        ("اتصل على 0731 000 1004.", "اتصل على [0731 000 1004]."),
        ("راسلوا info@example.org اليوم", "راسلوا [info@example.org] اليوم"),
        (
            "الموقع https://example.org/a?b=1 هنا",
            "الموقع [https://example.org/a?b=1] هنا",
        ),
        ("مكتب Ehingen، و Langenau", "مكتب [Ehingen]، و [Langenau]"),
        ("هاتف: +49 731 000", "هاتف: [+49 731 000]"),
        # A bracket the run opens is closed inside it, never split from its pair.
        (
            "إدارة Alb-Donau-Kreis (Landratsamt Alb-Donau-Kreis)، العنوان",
            "إدارة [Alb-Donau-Kreis (Landratsamt Alb-Donau-Kreis)]، العنوان",
        ),
        ("المقاطعة (Landratsamt)", "المقاطعة ([Landratsamt])"),
        ("نص عربي فقط", "نص عربي فقط"),
        # Typed controls never survive: the override is dropped, then isolated.
        ("ملف\u202egpj.exe", "ملف[gpj.exe]"),
        # Scripts and signs beyond Latin and Arabic (their characters are looked
        # up when text first holds one): a Greek name joins the number after it,
        # a Hebrew word is right to left, a mathematical letter left to right.
        ("فريق Ωμέγα 5 هنا", "فريق [Ωμέγα 5] هنا"),
        ("كلمة שלום و 𝐀𝐁 هنا", "كلمة שלום و [𝐀𝐁] هنا"),
        ("Café ☕ 12 €", "[Café ☕ 12] €"),
    ],
)
def test_runs_are_isolated(text, expected):
    assert marked(text) == expected


def test_isolated_runs_become_bdi_in_html():
    rich = RichText((Paragraph((Text(ltr_runs_isolate("هاتف 0731 000 1004")),)),))
    assert rich_text_html(rich) == '<p>هاتف <bdi dir="ltr">0731 000 1004</bdi></p>'
