"""Template filters of the workbench: masking for lists that show names to every role."""

from django import template

from sscard.applications.constants import State
from sscard.identity import mask_name

register = template.Library()


@register.filter
def masked_name(name: str) -> str:
    """``张三丰`` → ``张**``."""
    return mask_name(name or "")


@register.filter
def state_label(code: str) -> str:
    """A state code in the staff's words (``reviewing`` → ``审核中``)."""
    return State(code).label if code in State.values else code


@register.filter
def actor_label(actor: str) -> str:
    """Who did it, as the event stored it: ``staff:reviewer1`` → ``工作人员 reviewer1``."""
    kind, _, who = (actor or "").partition(":")
    return {"staff": f"工作人员 {who}", "citizen": "申领人", "channel": f"渠道 {who}",
            "system": "系统" + (f"（{ACTORS.get(who, who)}）" if who else "")}.get(kind, actor)


ACTORS = {"auto-review": "机器审核"}
