"""The open pages' pictures, from the same figures as their tables: the flow of money from
funder to stream to project to kind of spending, and spending per month. Drawn on the server
(`charts`), so they show without JavaScript, each with a text alternative."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from budgets import explain
from budgets.transparency import selectors
from budgets.transparency.charts import Bar, Flow, Node, bars_svg, sankey_svg

NOT_ALLOCATED = "not_allocated"


def _formatter(currency: str):
    return lambda value: explain.money(value, currency)


def flow(picture: selectors.Money, slug: str, *, with_funders: bool = True) -> dict:
    """The flow picture of an open page and the table beside it, from one reckoning of the
    flows: `flow_svg` and `flow_rows`."""
    nodes, found = flows(picture, slug, with_funders=with_funders)
    return {
        "flow_svg": _flow_svg(nodes, found, picture.currency, with_funders=with_funders),
        "flow_rows": _flow_rows(nodes, found),
    }


def flow_rows(picture: selectors.Money, slug: str, *, with_funders: bool = True) -> list[dict]:
    """The flows of the picture as rows for the table beside it: from, to, amount."""
    return _flow_rows(*flows(picture, slug, with_funders=with_funders))


def _flow_rows(nodes, found) -> list[dict]:
    labels = {node.key: node.label for node in nodes}
    return [
        {"source": labels[flow.source], "target": labels[flow.target], "amount": flow.value}
        for flow in found
    ]


def flows(picture: selectors.Money, slug: str, *, with_funders: bool = True):
    """The picture's nodes (funders, streams, projects, kinds of spending) and the flows of
    money between them, positive amounts only."""
    names = selectors.category_names()
    nodes: dict[str, Node] = {}
    lines: list[Flow] = []

    def node(key, label, column, href=""):
        nodes.setdefault(key, Node(key=key, label=label, column=column, href=href))
        return key

    offset = 0 if with_funders else 1
    for source in picture.sources:
        if source.stream is not None:
            stream = node(
                f"stream:{source.stream.pk}",
                source.name,
                1 - offset,
                reverse("budgets:open_stream", args=[slug, source.stream.pk]),
            )
            if with_funders:
                partner = source.stream.funder
                funder = node(
                    f"funder:{partner.pk}",
                    partner.name,
                    0,
                    reverse("budgets:open_funder", args=[slug, partner.pk]),
                )
                lines.append(Flow(funder, stream, source.received))
        else:
            stream = node("reserve", source.name, 1 - offset)
        if source.in_fund > 0:
            lines.append(
                Flow(
                    stream, node(NOT_ALLOCATED, _("Not decided on yet"), 2 - offset), source.in_fund
                )
            )
        for project in source.projects:
            proposal = project.proposal
            target = node(
                f"project:{proposal.number}",
                proposal.title,
                2 - offset,
                reverse("budgets:open_project", args=[slug, proposal.number]),
            )
            lines.append(Flow(stream, target, project.allocated))
            for kind, amount in project.by_kind.items():
                lines.append(Flow(target, node(kind, names[kind], 3 - offset), amount))
            if project.left > 0:
                lines.append(
                    Flow(
                        target,
                        node(selectors.NOT_SPENT, names[selectors.NOT_SPENT], 3 - offset),
                        project.left,
                    )
                )
    return list(nodes.values()), [line for line in lines if line.value > 0]


def _flow_svg(nodes, found, currency: str, *, with_funders: bool) -> str:
    columns = [_("Funder"), _("Funding stream"), _("Project"), _("Spent on")]
    if not with_funders:
        columns = columns[1:]
    return sankey_svg(
        nodes,
        found,
        title=_("Where the money went"),
        description=_(
            "From each funder to its funding streams, from there to the projects residents "
            "decided on, and what each project spent. The table below has the same numbers."
        ),
        columns=columns,
        format_value=_formatter(currency),
        id_prefix="flow",
    )


def months_svg(rows, currency: str) -> str:
    bars = [Bar(label=date_format(start, "M Y"), value=amount) for start, amount in rows]
    if not any(bar.value for bar in bars):
        return ""
    return bars_svg(
        bars,
        title=_("Spending per month"),
        description=_(
            "What the projects spent in each of the last twelve months. "
            "The table below has the same numbers."
        ),
        format_value=_formatter(currency),
        id_prefix="months",
    )
