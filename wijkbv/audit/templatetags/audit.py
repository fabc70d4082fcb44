"""{% load audit %}: {{ event.action|action_name }} writes an action code in plain words."""

from django import template

from wijkbv.audit.actions import action_name as _action_name

register = template.Library()


@register.filter
def action_name(code: str) -> str:
    return _action_name(code)
