"""{% treasurer_desk %}: the treasurer's desk (budgets.desk) on the money page and the pages of
deciding together, for those who keep or check the money; nothing for anyone else."""

from django import template

from budgets.desk import desk

register = template.Library()


@register.inclusion_tag("budgets/_desk.html", takes_context=True)
def treasurer_desk(context):
    request = context["request"]
    cooperative = getattr(request, "cooperative", None)
    membership = getattr(request, "membership", None)
    found = desk(cooperative, membership) if cooperative is not None else None
    return {"desk": found, "cooperative": cooperative}
