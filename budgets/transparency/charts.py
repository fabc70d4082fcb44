"""Pictures for the open pages, drawn on the server as inline SVG: a Sankey flow and a bar chart.

Plain Python with no Django import. The open pages work without JavaScript and are read on cheap
phones, so a picture is a few kilobytes of SVG that scales with the page, drawn in milliseconds
(ADR 0060). Callers pass translated text and a function that formats an amount; every string
that comes from data is escaped here, and a link is kept only when it stays on this site.

Every picture carries a title and a description that name it for a screen reader; the page shows
the same numbers in a table beside it. When a picture holds links it is a labelled group instead
of an image, because an image's parts are hidden from assistive technology and a link inside one
could not be reached.

Invariants: a node's height is proportional to the larger of what flows in and what flows out;
the bands leaving (or entering) a node add up to its height; the same input always gives the
same output, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

__all__ = ["Bar", "Flow", "Node", "bars_svg", "sankey_svg"]

INK = "#1b1f24"  # the site's text colour: 16:1 on white
MUTED = "#4a5260"  # 7.9:1 on white
HALO = "#ffffff"
BAR_FILL = "#0b5d3b"  # the site's accent: 7.4:1 on white
# Dark enough to stand out 3:1 against white (non-text contrast), told apart by people with
# the common kinds of colour blindness where possible. Labels carry the meaning, not colour.
PALETTE = (
    "#0b5d3b",
    "#1f5fa8",
    "#a34700",
    "#7a3b8f",
    "#0e7c86",
    "#b0306a",
    "#6b5d00",
    "#4a5260",
)
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
FONT_SIZE = 13
CHAR_WIDTH = 0.56 * FONT_SIZE  # a little wider than a sans-serif letter on average
LINE = 18  # the height a line of text needs
ELLIPSIS = "…"

_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Characters XML 1.0 does not allow, even escaped: a label holding one would break the page.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    column: int
    href: str = ""


@dataclass(frozen=True)
class Flow:
    source: str
    target: str
    value: Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    href: str = ""


def _default_format(value) -> str:
    return f"{value:.2f}"


# --- shared pieces -----------------------------------------------------------------------------


def _text(value: str) -> str:
    """Escape text (or an attribute value) from data for XML and HTML alike."""
    return escape(_NOT_XML.sub("", str(value)), quote=True)


def _safe_href(href: str) -> str:
    """A link that stays on this site, or "": a path ("/c/...") or a fragment ("#...").

    "//host" and "/\\host" are read by browsers as another host, so they are dropped too."""
    if not href or _NOT_XML.search(href) or any(c.isspace() for c in href):
        return ""
    if href.startswith("#"):
        return href
    if href.startswith("/") and not href.startswith(("//", "/\\")):
        return href
    return ""


def _num(x: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros, the same on every machine."""
    text = f"{x:.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    elif text.endswith("0"):
        text = text[:-1]
    return "0" if text == "-0" else text


def _shorten(text: str, max_chars: int) -> str:
    text = " ".join(str(text).split())
    if len(text) <= max_chars:
        return text
    return text[: max(1, max_chars - 1)].rstrip() + ELLIPSIS


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _check_id_prefix(id_prefix: str) -> None:
    if not _ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be letters, digits, '-' or '_': {id_prefix!r}")


def _open_svg(
    *,
    id_prefix: str,
    width: float,
    height: float,
    title: str,
    description: str,
    kind: str,
    has_links: bool,
) -> list[str]:
    # An image's children are presentational: links inside one would be unreachable (axe:
    # nested-interactive). A picture with links is a labelled group, its labels read as text.
    role = "group" if has_links else "img"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" role="{role}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}">',
        f'<title id="{id_prefix}-title">{_text(title)}</title>',
        f'<desc id="{id_prefix}-desc">{_text(description)}</desc>',
    ]


def _label(
    x: float, y: float, text: str, *, anchor: str = "start", transform: str = "", fill: str = INK
) -> str:
    """A line of text with a white halo, so it stays readable where it crosses a coloured band."""
    extra = f' transform="{transform}"' if transform else ""
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" dy="0.35em" text-anchor="{anchor}" fill="{fill}" '
        f'stroke="{HALO}" stroke-width="3" stroke-linejoin="round" paint-order="stroke"{extra}>'
        f"{_text(text)}</text>"
    )


def _linked(markup: str, href: str) -> str:
    return f'<a href="{_text(href)}">{markup}</a>' if href else markup


# --- Sankey ------------------------------------------------------------------------------------

SANKEY_MARGIN = 8
SANKEY_HEADING = 30  # room above the columns for their headings
SANKEY_HEIGHT = 360  # the fullest column's money is drawn at least this tall
NODE_WIDTH = 12
NODE_GAP = 6
MIN_BAND = 1.0  # a tiny flow is drawn at least this wide, so it stays visible
BAND_OPACITY = "0.4"
LABEL_PAD = 5


@dataclass
class _Placed:
    node: Node
    index: int  # position in the caller's list: ties in ordering keep the caller's order
    inflow: Decimal | int
    outflow: Decimal | int
    height: float = 0.0
    slot: float = 0.0
    x: float = 0.0
    y: float = 0.0

    @property
    def centre(self) -> float:
        return self.y + self.height / 2


def sankey_svg(
    nodes: Iterable[Node],
    flows: Iterable[Flow],
    *,
    title: str,
    description: str,
    columns: Sequence[str],
    format_value: Callable[[Decimal], str] = _default_format,
    id_prefix: str = "flow",
    width: int = 960,
) -> str:
    """Draw money flowing from left to right through columns of nodes, as inline SVG.

    Each node is a bar as tall as the larger of its inflow and outflow, with its label and
    formatted amount beside it; each flow is a band whose width is its value on the same scale.
    Flows of zero or less are left out, and so are nodes without flows; with no flows at all the
    answer is "" and the page says so in words. Raises ValueError for a flow to an unknown node
    or one that does not run to a later column.
    """
    _check_id_prefix(id_prefix)
    nodes = list(nodes)
    by_key: dict[str, tuple[int, Node]] = {}
    for index, node in enumerate(nodes):
        if node.key in by_key:
            raise ValueError(f"Two nodes share the key {node.key!r}")
        if node.column < 0:
            raise ValueError(f"Node {node.key!r} has a negative column")
        by_key[node.key] = (index, node)

    merged: dict[tuple[str, str], Decimal | int] = {}
    for flow in flows:
        if not flow.value > 0:
            continue
        for key in (flow.source, flow.target):
            if key not in by_key:
                raise ValueError(f"A flow refers to the unknown node {key!r}")
        if by_key[flow.source][1].column >= by_key[flow.target][1].column:
            raise ValueError(
                f"The flow {flow.source!r} → {flow.target!r} does not run to a later column"
            )
        pair = (flow.source, flow.target)
        merged[pair] = merged.get(pair, 0) + flow.value
    if not merged:
        return ""
    # Sums of floats depend on their order; taking pairs in one order gives the same bytes
    # however the caller listed the flows.
    merged = dict(sorted(merged.items()))

    placed: dict[str, _Placed] = {}
    for (source, target), value in merged.items():
        for key in (source, target):
            if key not in placed:
                index, node = by_key[key]
                placed[key] = _Placed(node=node, index=index, inflow=0, outflow=0)
        placed[source].outflow += value
        placed[target].inflow += value

    column_count = max(len(columns), 1 + max(p.node.column for p in placed.values()))
    in_column: list[list[_Placed]] = [[] for _ in range(column_count)]
    for p in sorted(placed.values(), key=lambda p: p.index):
        in_column[p.node.column].append(p)

    # One scale for the whole picture. A column of many nodes makes the picture tall anyway,
    # one line of text each, so the money then gets most of that height rather than thin bands.
    fullest = max(sum(max(p.inflow, p.outflow) for p in column) for column in in_column if column)
    most_nodes = max(len(column) for column in in_column)
    money_height = max(SANKEY_HEIGHT, 0.75 * most_nodes * (LINE + NODE_GAP))
    scale = money_height / float(fullest)
    band_width = {pair: max(float(value) * scale, MIN_BAND) for pair, value in merged.items()}
    outgoing: dict[str, list[tuple[str, str]]] = {key: [] for key in placed}
    incoming: dict[str, list[tuple[str, str]]] = {key: [] for key in placed}
    for pair in merged:
        outgoing[pair[0]].append(pair)
        incoming[pair[1]].append(pair)
    for key, p in placed.items():
        # Heights are sums of the band widths, so the bands fill a node exactly, also when a
        # tiny band was widened to stay visible.
        p.height = max(
            sum(band_width[pair] for pair in incoming[key]),
            sum(band_width[pair] for pair in outgoing[key]),
        )
        p.slot = max(p.height, LINE)

    column_heights = [
        sum(p.slot for p in column) + NODE_GAP * max(len(column) - 1, 0) for column in in_column
    ]
    plot_height = max(column_heights)
    top = SANKEY_MARGIN + SANKEY_HEADING
    section = (width - 2 * SANKEY_MARGIN) / column_count
    label_room = section - NODE_WIDTH - 3 * LABEL_PAD

    for c, column in enumerate(in_column):
        if c > 0:
            # Each node goes near the money that feeds it (weighted mean of its sources' middles),
            # which keeps bands from crossing; ties keep the caller's order.
            def barycentre(p: _Placed) -> tuple[float, int]:
                pairs = incoming[p.node.key]
                total = sum(band_width[pair] for pair in pairs)
                if not total:
                    return (float("inf"), p.index)
                mean = sum(placed[pair[0]].centre * band_width[pair] for pair in pairs) / total
                return (round(mean, 6), p.index)

            column.sort(key=barycentre)
        y = top + (plot_height - column_heights[c]) / 2
        for p in column:
            p.x = SANKEY_MARGIN + c * section
            p.y = y
            y += p.slot + NODE_GAP

    # Bands enter and leave a node in the order of the other end's height, so they do not cross.
    source_offset: dict[tuple[str, str], float] = {}
    target_offset: dict[tuple[str, str], float] = {}
    for key in placed:
        offset = 0.0
        for pair in sorted(
            outgoing[key], key=lambda pair: (placed[pair[1]].y, -merged[pair], pair[1])
        ):
            source_offset[pair] = offset
            offset += band_width[pair]
        offset = 0.0
        for pair in sorted(
            incoming[key], key=lambda pair: (placed[pair[0]].y, -merged[pair], pair[0])
        ):
            target_offset[pair] = offset
            offset += band_width[pair]

    colour = _origin_colours(in_column, incoming, merged)
    has_links = any(_safe_href(p.node.href) for p in placed.values())
    height = top + plot_height + SANKEY_MARGIN
    out = _open_svg(
        id_prefix=id_prefix,
        width=width,
        height=height,
        title=title,
        description=description,
        kind="sankey",
        has_links=has_links,
    )

    heading_chars = max(4, int((section - LABEL_PAD) / CHAR_WIDTH))
    out.append('<g class="sankey-columns" font-weight="700">')
    for c in range(column_count):
        heading = columns[c] if c < len(columns) else ""
        if heading:
            x = SANKEY_MARGIN + c * section
            out.append(f"<g><title>{_text(heading)}</title>")
            out.append(_label(x, SANKEY_MARGIN + LINE / 2, _shorten(heading, heading_chars)))
            out.append("</g>")
    out.append("</g>")

    out.append(f'<g class="sankey-flows" fill-opacity="{BAND_OPACITY}">')
    ordered_pairs = sorted(merged, key=lambda pair: (-merged[pair], pair))
    for pair in ordered_pairs:
        source, target = placed[pair[0]], placed[pair[1]]
        w = band_width[pair]
        x0, x1 = source.x + NODE_WIDTH, target.x
        y0, y1 = source.y + source_offset[pair], target.y + target_offset[pair]
        xm = (x0 + x1) / 2
        d = (
            f"M{_num(x0)} {_num(y0)}C{_num(xm)} {_num(y0)} {_num(xm)} {_num(y1)} {_num(x1)} {_num(y1)}"
            f"L{_num(x1)} {_num(y1 + w)}C{_num(xm)} {_num(y1 + w)} {_num(xm)} {_num(y0 + w)} "
            f"{_num(x0)} {_num(y0 + w)}Z"
        )
        hover = f"{source.node.label} → {target.node.label}: {format_value(merged[pair])}"
        out.append(
            f'<path class="sankey-flow" d="{d}" fill="{colour[pair[0]]}"><title>{_text(hover)}</title></path>'
        )
    out.append("</g>")

    out.append('<g class="sankey-nodes">')
    for column in in_column:
        for p in column:
            amount = format_value(max(p.inflow, p.outflow))
            label_chars = max(6, int(label_room / CHAR_WIDTH) - len(amount) - 1)
            shown = f"{_shorten(p.node.label, label_chars)} {amount}"
            fill = colour[p.node.key] if p.node.column == 0 else MUTED
            out.append(
                f'<g class="sankey-node"><title>{_text(f"{p.node.label}: {amount}")}</title>'
            )
            out.append(
                f'<rect x="{_num(p.x)}" y="{_num(p.y)}" width="{NODE_WIDTH}" '
                f'height="{_num(p.height)}" fill="{fill}"/>'
            )
            label = _label(p.x + NODE_WIDTH + LABEL_PAD, p.y + p.slot / 2, shown)
            out.append(_linked(label, _safe_href(p.node.href)))
            out.append("</g>")
    out.append("</g></svg>")
    return "".join(out)


def _origin_colours(
    in_column: list[list[_Placed]],
    incoming: dict[str, list[tuple[str, str]]],
    merged: dict[tuple[str, str], Decimal | int],
) -> dict[str, str]:
    """Each first-column node gets a colour; a later node takes the colour of the node that
    sent it the most money (ties by key), so a funder's colour runs along its money."""
    colour: dict[str, str] = {}
    first = in_column[0] if in_column else []
    for i, p in enumerate(first):
        colour[p.node.key] = PALETTE[i % len(PALETTE)]
    for column in in_column[1:]:
        for p in column:
            pairs = incoming[p.node.key]
            if not pairs:
                colour[p.node.key] = MUTED
                continue
            largest = min(pairs, key=lambda pair: (-merged[pair], pair[0]))
            colour[p.node.key] = colour[largest[0]]
    return colour


# --- bars --------------------------------------------------------------------------------------

BARS_MARGIN = 8
BARS_HEIGHT = 220  # the tallest bar
BAR_SHARE = 0.7  # of each bar's slot; the rest is the gap between bars
ZERO_BAR = 1.5
LABEL_MAX_CHARS = 14  # past this a label under a slanted bar is shortened


def bars_svg(
    bars: Iterable[Bar],
    *,
    title: str,
    description: str,
    format_value: Callable[[Decimal], str] = _default_format,
    id_prefix: str = "bars",
    width: int = 720,
) -> str:
    """Draw vertical bars with each label under its bar and its formatted value above it.

    Bar heights are proportional to the values; a zero is a thin line. Labels too wide for their
    bar are slanted or, when bars are narrow, turned upright (and shortened past
    LABEL_MAX_CHARS); values too wide for their bar are turned upright.
    No bars gives "". Raises ValueError for a negative value.
    """
    _check_id_prefix(id_prefix)
    bars = list(bars)
    if not bars:
        return ""
    for bar in bars:
        if bar.value < 0:
            raise ValueError(f"A bar cannot be negative: {bar.label!r} is {bar.value}")

    amounts = [format_value(bar.value) for bar in bars]
    labels = [" ".join(str(bar.label).split()) for bar in bars]
    left = BARS_MARGIN
    slot = (width - left - BARS_MARGIN) / len(bars)
    label_turn = 0  # degrees: flat under the bar, slanted, or upright
    if max(_text_width(label) for label in labels) > slot - 2:
        labels = [_shorten(label, LABEL_MAX_CHARS) for label in labels]
        # A label slanted at 45 degrees reaches down, and left of its bar, 0.71 of its length;
        # the first bar moves right so that its label is not cut off. Slanted labels lie
        # 0.71 of a bar's width apart, so when that is less than a line they stand upright.
        longest = max(_text_width(label) for label in labels)
        slanted_slot = (width - left - 0.71 * longest - BARS_MARGIN) / len(bars)
        if slanted_slot * 0.71 >= LINE:
            label_turn = -45
            label_room = 0.71 * longest + LINE
            left += 0.71 * longest
            slot = slanted_slot
        else:
            label_turn = -90
            label_room = longest + LINE
    else:
        label_room = LINE + 8
    bar_width = slot * BAR_SHARE
    values_upright = max(_text_width(a) for a in amounts) > slot - 2
    value_room = max(_text_width(a) for a in amounts) + 8 if values_upright else LINE + 4

    baseline = BARS_MARGIN + value_room + BARS_HEIGHT
    height = baseline + label_room + BARS_MARGIN
    largest = max(bar.value for bar in bars)
    has_links = any(_safe_href(bar.href) for bar in bars)
    out = _open_svg(
        id_prefix=id_prefix,
        width=width,
        height=height,
        title=title,
        description=description,
        kind="bars",
        has_links=has_links,
    )
    out.append('<g class="bars">')
    for i, (bar, amount, label) in enumerate(zip(bars, amounts, labels, strict=True)):
        centre = left + slot * (i + 0.5)
        # A bar of nothing is a thin line, so the month still shows.
        bar_height = float(bar.value) / float(largest) * BARS_HEIGHT if bar.value > 0 else ZERO_BAR
        top = baseline - bar_height
        out.append(f'<g class="bar"><title>{_text(f"{bar.label}: {amount}")}</title>')
        out.append(
            f'<rect x="{_num(centre - bar_width / 2)}" y="{_num(top)}" width="{_num(bar_width)}" '
            f'height="{_num(bar_height)}" fill="{BAR_FILL}"/>'
        )
        if values_upright:
            y = top - 4
            out.append(_label(centre, y, amount, transform=f"rotate(-90 {_num(centre)} {_num(y)})"))
        else:
            out.append(_label(centre, top - LINE / 2, amount, anchor="middle"))
        if label_turn:
            y = baseline + 8
            turn = f"rotate({label_turn} {_num(centre)} {_num(y)})"
            text = _label(centre, y, label, anchor="end", transform=turn)
        else:
            text = _label(centre, baseline + LINE / 2 + 4, label, anchor="middle")
        out.append(_linked(text, _safe_href(bar.href)))
        out.append("</g>")
    out.append("</g>")
    out.append(
        f'<line class="axis" x1="{_num(left)}" y1="{_num(baseline + 0.75)}" '
        f'x2="{_num(width - BARS_MARGIN)}" y2="{_num(baseline + 0.75)}" stroke="{INK}" stroke-width="1.5"/>'
    )
    out.append("</svg>")
    return "".join(out)
