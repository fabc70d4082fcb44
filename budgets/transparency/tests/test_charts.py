"""The open pages' pictures, read back as XML: what a browser and a screen reader would get."""

import random
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from budgets.transparency.charts import Bar, Flow, Node, bars_svg, sankey_svg

SVG = "{http://www.w3.org/2000/svg}"
COLUMNS = ["Funders", "Streams", "Decisions", "Spending"]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def draw(nodes, flows, **kwargs):
    options = {"title": "Where the money went", "description": "From funder to spending"}
    options.update(kwargs)
    return sankey_svg(nodes, flows, columns=COLUMNS, format_value=str, **options)


def parse(svg):
    return ET.fromstring(svg)


def node_rects(root):
    """Each node's rect by its hover text's label (the part before ': amount')."""
    rects = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "sankey-node":
            label = group.find(f"{SVG}title").text.rsplit(": ", 1)[0]
            rect = group.find(f"{SVG}rect")
            rects[label] = (float(rect.get("y")), float(rect.get("height")))
    return rects


def bands(root):
    """Each band as (source label, target label, y and width where it leaves, y and width
    where it arrives), read from its path: M x0 y0 C .. .. x1 y1 L x1 y1' C .. .. x0 y0' Z."""
    found = []
    for path in root.iter(f"{SVG}path"):
        hover = path.find(f"{SVG}title").text
        ends, _amount = hover.rsplit(": ", 1)
        source, target = ends.split(" → ")
        n = [float(x) for x in NUMBER.findall(path.get("d"))]
        found.append((source, target, n[1], n[15] - n[1], n[7], n[9] - n[7]))
    return found


def texts(root):
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def chain():
    """A funder gives 300 to one stream and 100 to another; the streams fund two decisions."""
    nodes = [
        Node("funder:1", "City", 0),
        Node("stream:1", "Green", 1),
        Node("stream:2", "Care", 1),
        Node("decision:1", "Garden", 2),
        Node("decision:2", "Meals", 2),
    ]
    flows = [
        Flow("funder:1", "stream:1", Decimal("300")),
        Flow("funder:1", "stream:2", Decimal("100")),
        Flow("stream:1", "decision:1", Decimal("200")),
        Flow("stream:2", "decision:1", Decimal("50")),
        Flow("stream:2", "decision:2", Decimal("50")),
    ]
    return nodes, flows


def test_it_is_well_formed_svg_named_by_its_title_and_description():
    root = parse(draw(*chain(), id_prefix="open-flow"))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "open-flow-title open-flow-desc"
    assert root.find(f"{SVG}title").get("id") == "open-flow-title"
    assert root.find(f"{SVG}title").text == "Where the money went"
    assert root.find(f"{SVG}desc").get("id") == "open-flow-desc"
    assert root.find(f"{SVG}desc").text == "From funder to spending"


def test_it_scales_with_the_page_instead_of_having_a_fixed_size():
    root = parse(draw(*chain(), width=800))

    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert root.get("viewBox").split()[:3] == ["0", "0", "800"]
    assert root.get("preserveAspectRatio")


def test_node_heights_are_proportional_to_the_larger_of_inflow_and_outflow():
    rects = node_rects(parse(draw(*chain())))

    city = rects["City"][1]
    # Garden takes 250 in and gives nothing on; City gives 400; Care takes and gives 100.
    assert rects["Green"][1] / city == pytest.approx(0.75, abs=0.001)
    assert rects["Care"][1] / city == pytest.approx(0.25, abs=0.001)
    assert rects["Garden"][1] / city == pytest.approx(0.625, abs=0.001)
    assert rects["Meals"][1] / city == pytest.approx(0.125, abs=0.001)


def test_bands_leaving_a_node_fill_its_share_of_its_height_and_stay_inside_it():
    root = parse(draw(*chain()))
    rects = node_rects(root)

    # Green takes 300 and passes on 200; the others pass on all they take.
    for label, share in (("City", 1), ("Green", 2 / 3), ("Care", 1)):
        top, height = rects[label]
        leaving = [b for b in bands(root) if b[0] == label]
        assert sum(b[3] for b in leaving) == pytest.approx(height * share, abs=0.05)
        assert all(top - 0.01 <= b[2] and b[2] + b[3] <= top + height + 0.01 for b in leaving)


def test_bands_entering_a_node_fill_its_height_and_stay_inside_it():
    root = parse(draw(*chain()))
    rects = node_rects(root)

    for label in ("Green", "Care", "Garden", "Meals"):
        top, height = rects[label]
        entering = [b for b in bands(root) if b[1] == label]
        assert sum(b[5] for b in entering) == pytest.approx(height, abs=0.05)
        assert all(top - 0.01 <= b[4] and b[4] + b[5] <= top + height + 0.01 for b in entering)


def test_bands_at_a_node_lie_edge_to_edge_from_its_top():
    root = parse(draw(*chain()))
    rects = node_rects(root)

    for label in ("City", "Green", "Care", "Garden"):
        top = rects[label][0]
        for ends in (
            [b[2:4] for b in bands(root) if b[0] == label],
            [b[4:6] for b in bands(root) if b[1] == label],
        ):
            y = top
            for start, width in sorted(ends):
                assert start == pytest.approx(y, abs=0.02)
                y = start + width


def test_a_band_is_as_wide_as_its_share_of_the_money():
    root = parse(draw(*chain()))
    city = node_rects(root)["City"][1]

    widths = {(b[0], b[1]): b[3] for b in bands(root)}
    assert widths[("City", "Green")] / city == pytest.approx(0.75, abs=0.001)
    assert widths[("Care", "Meals")] / city == pytest.approx(0.125, abs=0.001)


def test_each_node_shows_its_label_and_amount():
    assert "City 400" in texts(parse(draw(*chain())))
    assert "Garden 250" in texts(parse(draw(*chain())))


def test_the_column_headings_are_drawn():
    shown = texts(parse(draw(*chain())))

    assert all(heading in shown for heading in COLUMNS[:3])


def test_a_flow_may_skip_a_column():
    nodes = [Node("funder:1", "City", 0), Node("category:1", "Rent", 3)]
    root = parse(draw(nodes, [Flow("funder:1", "category:1", Decimal("80"))]))

    rects = node_rects(root)
    assert rects["City"][1] == pytest.approx(rects["Rent"][1])
    assert [(b[0], b[1]) for b in bands(root)] == [("City", "Rent")]


def test_nodes_without_flows_are_left_out():
    nodes, flows = chain()
    nodes.append(Node("stream:9", "Empty stream", 1))

    svg = draw(nodes, flows)

    assert "Empty stream" not in svg


def test_flows_of_nothing_are_ignored():
    nodes, flows = chain()
    flows += [
        Flow("funder:1", "decision:2", Decimal("0")),
        Flow("stream:1", "decision:2", Decimal("-5")),
    ]

    assert [(b[0], b[1]) for b in bands(parse(draw(nodes, flows)))] == [
        (b[0], b[1]) for b in bands(parse(draw(*chain())))
    ]


def test_without_flows_it_draws_nothing():
    nodes, _flows = chain()

    assert draw(nodes, []) == ""
    assert draw(nodes, [Flow("funder:1", "stream:1", Decimal("0"))]) == ""


def test_two_flows_between_the_same_nodes_are_one_band():
    nodes = [Node("a", "City", 0), Node("b", "Green", 1)]
    flows = [Flow("a", "b", Decimal("10")), Flow("a", "b", Decimal("15"))]

    root = parse(draw(nodes, flows))

    assert len(bands(root)) == 1
    assert "City 25" in texts(root)


def test_a_tiny_flow_stays_visible():
    nodes = [Node("a", "City", 0), Node("b", "Big", 1), Node("c", "Tiny", 1)]
    flows = [Flow("a", "b", Decimal("1000000")), Flow("a", "c", Decimal("0.01"))]

    root = parse(draw(nodes, flows))

    assert node_rects(root)["Tiny"][1] >= 1
    assert [b[3] for b in bands(root) if b[1] == "Tiny"][0] >= 1


def test_labels_of_nodes_with_little_money_do_not_overlap():
    nodes = [Node("a", "City", 0)] + [Node(f"s{i}", f"Stream {i}", 1) for i in range(10)]
    flows = [Flow("a", f"s{i}", Decimal("1")) for i in range(9)] + [
        Flow("a", "s9", Decimal("5000"))
    ]

    root = parse(draw(nodes, flows))

    ys = sorted(
        float(t.get("y"))
        for t in root.iter(f"{SVG}text")
        if "".join(t.itertext()).startswith("Stream")
    )
    assert all(b - a >= 13 for a, b in zip(ys, ys[1:], strict=False))


def test_hostile_labels_are_escaped():
    hostile = "<script>x</script> \"&'"
    nodes = [Node("a", hostile, 0), Node("b", "Green", 1)]

    svg = draw(nodes, [Flow("a", "b", Decimal("5"))], title="</title><script>x</script>")
    root = parse(svg)

    assert "<script" not in svg
    assert not list(root.iter(f"{SVG}script"))
    assert root.find(f"{SVG}title").text == "</title><script>x</script>"
    assert "<script>x</script> \"&' 5" in texts(root)
    assert "<script>x</script> \"&'" in node_rects(root)


def test_characters_xml_cannot_hold_do_not_break_the_picture():
    nodes = [Node("a", "City\x00\x07", 0), Node("b", "Green\x1b", 1)]

    root = parse(draw(nodes, [Flow("a", "b", Decimal("5"))]))

    assert "City 5" in texts(root)


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "https://example.com/",
        "//example.com/",
        "/\\example.com/",
        "data:text/html,x",
    ],
)
def test_a_link_that_leaves_the_site_is_dropped(href):
    nodes = [Node("a", "City", 0, href=href), Node("b", "Green", 1)]

    svg = draw(nodes, [Flow("a", "b", Decimal("5"))])
    root = parse(svg)

    assert not list(root.iter(f"{SVG}a"))
    assert "example.com" not in svg and "alert" not in svg
    assert root.get("role") == "img"


def test_a_link_on_the_site_is_kept_and_the_picture_becomes_a_labelled_group():
    nodes = [
        Node("a", "City", 0, href='/c/oost/open/?stream=1&x="2"'),
        Node("b", "Green", 1, href="#green"),
    ]

    root = parse(draw(nodes, [Flow("a", "b", Decimal("5"))]))

    links = {"".join(a.itertext()): a.get("href") for a in root.iter(f"{SVG}a")}
    assert links == {"City 5": '/c/oost/open/?stream=1&x="2"', "Green 5": "#green"}
    # Links inside an image would be hidden from assistive technology and unreachable.
    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == "flow-title flow-desc"


def test_a_long_label_is_shortened_and_kept_whole_on_hover():
    long_label = "Neighbourhood meals every Friday in the community room of De Linde"
    nodes = [Node("a", "City", 0), Node("b", long_label, 1)]

    root = parse(draw(nodes, [Flow("a", "b", Decimal("5"))]))

    shown = [t for t in texts(root) if t.startswith("Neighbourhood")][0]
    assert "…" in shown and shown.endswith(" 5") and len(shown) < len(long_label)
    assert long_label in node_rects(root)


def test_each_first_column_node_has_its_own_colour_carried_along_its_money():
    nodes = [
        Node("f1", "City", 0),
        Node("f2", "Insurer", 0),
        Node("s1", "Green", 1),
        Node("s2", "Care", 1),
        Node("d1", "Garden", 2),
    ]
    flows = [
        Flow("f1", "s1", Decimal("10")),
        Flow("f2", "s2", Decimal("10")),
        Flow("s1", "d1", Decimal("7")),
        Flow("s2", "d1", Decimal("3")),
    ]
    root = parse(draw(nodes, flows))

    fill = {
        (b[0], b[1]): p.get("fill")
        for b, p in zip(bands(root), root.iter(f"{SVG}path"), strict=True)
    }
    assert fill[("City", "Green")] != fill[("Insurer", "Care")]
    assert fill[("Green", "Garden")] == fill[("City", "Green")]
    assert fill[("Care", "Garden")] == fill[("Insurer", "Care")]


def _luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_text_is_dark_on_a_white_halo_with_enough_contrast():
    for svg in (draw(*chain()), bars_svg([Bar("jan", Decimal("3"))], title="t", description="d")):
        for text in parse(svg).iter(f"{SVG}text"):
            assert text.get("stroke") == "#ffffff" and text.get("paint-order") == "stroke"
            contrast = 1.05 / (_luminance(text.get("fill")) + 0.05)
            assert contrast >= 4.5


def test_it_is_the_same_for_the_same_input_whatever_the_order_of_flows():
    nodes, flows = chain()
    shuffled = flows[:]
    random.Random(7).shuffle(shuffled)

    assert draw(nodes, flows) == draw(nodes, flows)
    assert draw(nodes, shuffled) == draw(nodes, flows)


def test_a_node_goes_near_the_money_that_feeds_it():
    nodes = [
        Node("f1", "City", 0),
        Node("f2", "Insurer", 0),
        Node("s2", "From insurer", 1),
        Node("s1", "From city", 1),
    ]
    flows = [Flow("f1", "s1", Decimal("10")), Flow("f2", "s2", Decimal("10"))]

    rects = node_rects(parse(draw(nodes, flows)))

    assert rects["From city"][0] < rects["From insurer"][0]


@pytest.mark.parametrize(
    ("nodes", "flows", "message"),
    [
        ([Node("a", "A", 0)], [Flow("a", "b", Decimal("1"))], "unknown node 'b'"),
        ([Node("a", "A", 1), Node("b", "B", 1)], [Flow("a", "b", Decimal("1"))], "later column"),
        ([Node("a", "A", 1), Node("b", "B", 0)], [Flow("a", "b", Decimal("1"))], "later column"),
        ([Node("a", "A", 0), Node("a", "B", 1)], [], "share the key 'a'"),
        ([Node("a", "A", -1)], [], "negative column"),
    ],
)
def test_a_flow_or_node_that_makes_no_sense_is_refused(nodes, flows, message):
    with pytest.raises(ValueError, match=message):
        draw(nodes, flows)


def test_an_id_prefix_that_would_break_the_attribute_is_refused():
    with pytest.raises(ValueError, match="id_prefix"):
        draw(*chain(), id_prefix='x" onload="alert(1)')


# --- bars --------------------------------------------------------------------------------------


def bar_rects(root):
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "bar":
            label = group.find(f"{SVG}title").text.rsplit(": ", 1)[0]
            rect = group.find(f"{SVG}rect")
            found[label] = (float(rect.get("y")), float(rect.get("height")))
    return found


def draw_bars(bars, **kwargs):
    options = {"title": "Spending per month", "description": "Money spent each month"}
    options.update(kwargs)
    return bars_svg(bars, format_value=str, **options)


def test_bars_are_well_formed_svg_named_by_their_title_and_description():
    root = parse(draw_bars([Bar("jan 2026", Decimal("10"))], id_prefix="months"))

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "months-title months-desc"
    assert root.find(f"{SVG}title").text == "Spending per month"
    assert root.find(f"{SVG}desc").get("id") == "months-desc"
    assert root.get("width") == "100%" and root.get("height") is None


def test_bar_heights_are_proportional_to_their_values():
    rects = bar_rects(
        parse(
            draw_bars(
                [Bar("jan", Decimal("40")), Bar("feb", Decimal("10")), Bar("mrt", Decimal("25"))]
            )
        )
    )

    assert rects["feb"][1] / rects["jan"][1] == pytest.approx(0.25, abs=0.001)
    assert rects["mrt"][1] / rects["jan"][1] == pytest.approx(0.625, abs=0.001)
    # They stand on one line.
    assert len({round(y + h, 2) for y, h in rects.values()}) == 1


def test_a_zero_bar_is_a_thin_line_on_the_axis():
    root = parse(draw_bars([Bar("jan", Decimal("40")), Bar("feb", Decimal("0"))]))
    rects = bar_rects(root)
    axis = root.find(f"{SVG}line")

    assert 0 < rects["feb"][1] <= 2
    assert rects["feb"][0] + rects["feb"][1] == pytest.approx(rects["jan"][0] + rects["jan"][1])
    assert float(axis.get("y1")) == pytest.approx(rects["jan"][0] + rects["jan"][1], abs=1)


def test_all_zero_bars_are_thin_lines():
    rects = bar_rects(parse(draw_bars([Bar("jan", Decimal("0")), Bar("feb", Decimal("0"))])))

    assert all(0 < h <= 2 for _y, h in rects.values())


def test_each_bar_shows_its_value_above_and_its_label_below():
    root = parse(draw_bars([Bar("jan 2026", Decimal("12.50"))]))
    ((top, height),) = bar_rects(root).values()
    placed = {"".join(t.itertext()): float(t.get("y")) for t in root.iter(f"{SVG}text")}

    assert placed["12.50"] < top
    assert placed["jan 2026"] > top + height


def test_thirty_six_bars_fit_with_labels_turned_and_shortened():
    bars = [
        Bar(f"{month} {year}", Decimal(i * 10))
        for i, (month, year) in enumerate(
            (m, y)
            for y in (2024, 2025, 2026)
            for m in ("January", "February", "September", "December")
            for _ in range(3)
        )
    ]
    root = parse(draw_bars(bars, width=720))

    rects = root.findall(f".//{SVG}rect")
    assert len(rects) == 36
    lefts = sorted(float(r.get("x")) for r in rects)
    assert lefts[0] >= 0 and lefts[-1] + float(rects[0].get("width")) <= 720
    labels = [
        t
        for t in root.iter(f"{SVG}text")
        if "".join(t.itertext()).startswith(("Jan", "Feb", "Sep", "Dec"))
    ]
    assert len(labels) == 36 and all("rotate(" in t.get("transform") for t in labels)


def test_a_long_bar_label_is_shortened_and_kept_whole_on_hover():
    long_label = "The first month of the second year of the garden"
    root = parse(draw_bars([Bar(long_label, Decimal("1")), Bar("feb", Decimal("2"))] * 6))

    assert any("…" in t for t in texts(root))
    assert long_label in bar_rects(root)


def test_hostile_bar_labels_and_links_are_escaped_or_dropped():
    svg = draw_bars(
        [
            Bar("<script>x</script>&", Decimal("1"), href="javascript:x"),
            Bar("ok", Decimal("2"), href="/m/"),
        ]
    )
    root = parse(svg)

    assert "<script" not in svg and "javascript" not in svg
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["/m/"]
    assert root.get("role") == "group"
    assert "<script>x</script>&" in texts(root)


def test_no_bars_draws_nothing():
    assert draw_bars([]) == ""


def test_a_negative_bar_is_refused():
    with pytest.raises(ValueError, match="negative"):
        draw_bars([Bar("jan", Decimal("-1"))])


def test_bars_are_the_same_for_the_same_input():
    bars = [Bar(f"m{i}", Decimal(i)) for i in range(20)]

    assert draw_bars(bars) == draw_bars(list(bars))
