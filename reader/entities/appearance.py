"""How each kind of name looks, on screen and on paper: one table for both.

Hex colours and names only (no Qt), so the reading view, the legend, the welcome page,
printing and the HTML export all draw from the same place. The underline colours come from
the Okabe-Ito palette (safe for the common colour-vision deficiencies), and each kind has
an underline pattern of its own so kinds stay apart in greyscale and on paper.
"""

from __future__ import annotations

from reader.entities.kinds import Kind

UNDERLINE_COLOURS: dict[Kind, str] = {
    Kind.PERSON: "#0072b2",
    Kind.PLACE: "#d55e00",
    Kind.ORGANIZATION: "#a4407c",
    Kind.OTHER: "#5f5f5f",
}
UNDERLINE_NAMES: dict[Kind, str] = {
    Kind.PERSON: "solid underline",
    Kind.PLACE: "dashed underline",
    Kind.ORGANIZATION: "dotted underline",
    Kind.OTHER: "dash-dot underline",
}
NOTE_COLOUR = "#009e73"  # Okabe-Ito bluish green: a hue no kind of name uses
