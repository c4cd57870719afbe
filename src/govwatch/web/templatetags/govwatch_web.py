from django import template

from govwatch.monitoring.models import Finding

register = template.Library()
_STATES = dict(Finding.State.choices)


@register.filter
def state_label(value):
    return _STATES.get(value, value or "新建")
