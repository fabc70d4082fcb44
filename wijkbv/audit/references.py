"""How people and objects are named in the audit chain: by reference, never by name.

"member:17" is member number 17 of the cooperative whose chain it is, "user:5" someone who is not
a member of it (site staff), "system" nobody (a management command, a webhook, a scheduled task).
"""

_CACHE_ATTRIBUTE = "_audit_member_numbers"


def actor_reference(user, cooperative) -> str:
    """'member:17' for a member of this cooperative, 'user:5' for anyone else, 'system' for None.

    A member number never changes once given, so it is remembered on the user object: a request
    that appends several events asks the database once."""
    if user is None:
        return "system"
    known = user.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    number = known.get(cooperative.pk)
    if number is None:
        from members.models import Membership

        number = (
            Membership.objects.filter(user=user, cooperative=cooperative)
            .values_list("member_number", flat=True)
            .first()
        )
        if number is None:
            return f"user:{user.pk}"
        known[cooperative.pk] = number
    return f"member:{number}"


def subject_reference(subject) -> str:
    """A model instance as "app_label.model:pk"; a string as it is; None as ""."""
    if subject is None:
        return ""
    if isinstance(subject, str):
        return subject
    return f"{subject._meta.label_lower}:{subject.pk}"
