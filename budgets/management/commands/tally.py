"""`manage.py tally FILE.pb --rule greedy|mes|mes-complete`: recount a Pabulib file with our rules.

Prints the selected project ids, one per line, in the file's own ids, in the order the rule chose
them. Anyone can so check a published vote, or compare our rules with another tool on any
Pabulib file.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from budgets import pabulib, rules


class Command(BaseCommand):
    requires_system_checks = []  # reads a file and counts; needs neither database nor checks
    help = (
        "Count the votes in a Pabulib .pb file (approval votes) with one of the rules, using "
        "the file's budget, and print the selected project ids, one per line, in the order "
        "the rule chose them."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The Pabulib file (.pb).")
        parser.add_argument(
            "--rule",
            required=True,
            choices=sorted(rules.RULES),
            help="greedy, mes (equal shares) or mes-complete (equal shares, then greedy).",
        )

    def handle(self, *args, file, rule, **options):
        try:
            with open(file, "rb") as opened:
                vote = pabulib.read(opened)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from None
        except pabulib.PabulibError as error:
            problem = _(error.message) % error.params
            if error.line:
                problem = _("line %(line)s: %(problem)s") % {"line": error.line, "problem": problem}
            raise CommandError(
                _("%(file)s is not a Pabulib file we can count: %(problem)s")
                % {"file": file, "problem": problem}
            ) from None
        try:
            result = rules.RULES[rule](vote.projects, vote.rule_ballots(), vote.budget)
        except ValueError as error:
            raise CommandError(
                _("The votes in %(file)s cannot be counted: %(reason)s")
                % {"file": file, "reason": error}
            ) from None
        for project_id in result.winners:
            self.stdout.write(project_id)
