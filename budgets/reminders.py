"""E-mail reminders for agreements: who does what, by when, for an adopted proposal.

Run once a day (`manage.py send_agreement_reminders`, from cron). Each open agreement that is due
within a week, or overdue, gets one reminder to the person responsible, in the language they chose.
`reminded_on` records that it went out, so running again, or twice on one day, sends nothing new.

Sending a reminder decides nothing for the cooperative, so it appends no audit event: it is a
note that an e-mail went out, like a last login. The agreement itself and its completion are in
the chain (`budgets.services.add_agreement` and `complete_agreement`).
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from budgets.models import Agreement
from members.models import MembershipStatus

DAYS_BEFORE = 7

logger = logging.getLogger(__name__)


def agreements_to_remind(*, today: datetime.date, days_before: int = DAYS_BEFORE):
    """Open agreements due by `today + days_before` (overdue ones included) that have not been
    reminded, whose person responsible is still an active member with an e-mail address."""
    return (
        Agreement.objects.filter(
            done_on__isnull=True,
            reminded_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=days_before),
            responsible__status=MembershipStatus.ACTIVE,
            responsible__user__is_active=True,
            responsible__user__email__isnull=False,
        )
        .exclude(responsible__user__email="")
        .order_by("due_on", "pk")
    )


def send_agreement_reminders(*, today: datetime.date | None = None, days_before=DAYS_BEFORE) -> int:
    """Send each agreement due soon its one reminder; return how many were sent.

    Each agreement is locked, checked again, mailed and marked in its own transaction: two runs
    at once send one reminder, and a mail server that refuses one address does not stop the rest
    (that agreement is tried again on the next run)."""
    if isinstance(days_before, bool) or not isinstance(days_before, int) or days_before < 0:
        raise ValueError("days_before is a whole number of days, zero or more")
    today = timezone.localdate() if today is None else today
    sent = 0
    for pk in list(
        agreements_to_remind(today=today, days_before=days_before).values_list("pk", flat=True)
    ):
        try:
            with transaction.atomic():
                agreement = (
                    Agreement.objects.select_for_update(of=("self",))
                    .select_related("proposal__cooperative", "responsible__user")
                    .filter(pk=pk, done_on__isnull=True, reminded_on__isnull=True)
                    .first()
                )
                if agreement is None:
                    continue  # done or reminded since the list was read
                _send(agreement, today=today)
                Agreement.objects.filter(pk=pk).update(reminded_on=today)
        except (smtplib.SMTPException, OSError):
            logger.exception("The reminder for agreement %s could not be sent", pk)
            continue
        sent += 1
    return sent


def _send(agreement: Agreement, *, today: datetime.date) -> None:
    user = agreement.responsible.user
    proposal = agreement.proposal
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        due = date_format(agreement.due_on, "DATE_FORMAT")
        subject = _("Reminder: %(what)s, by %(date)s") % {"what": agreement.what, "date": due}
        if agreement.due_on < today:
            when = _("We agreed it would be done by %(date)s, and that date has passed.") % {
                "date": due
            }
        else:
            when = _("We agreed it would be done by %(date)s.") % {"date": due}
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % {"name": user.full_name},
                _('You agreed to do this for the project "%(project)s" of %(cooperative)s:')
                % {"project": proposal.title, "cooperative": proposal.cooperative.name},
                f"    {agreement.what}",
                when,
                _(
                    "When it is done, mark the agreement as done on the site. If it is not "
                    "going to work out, tell the board or a coordinator, so someone can help."
                ),
                _("You get this reminder once for each agreement."),
            ]
        )
    send_mail(subject, body + "\n", None, [user.email])
