"""`manage.py import_statement --cooperative SLUG FILE`: import a bank statement file (CAMT.053,
MT940 or CSV) as the treasurer does on the site, whole or not at all, as the system.
A CSV file is imported for `--bank-account IBAN` with the columns saved on that account and the
balance after its last line (`--closing-balance`), unless the columns name a balance column.
`manage.py import_statement --dry-run FILE` writes nothing and prints the statements it read as
JSON, to look at a file before importing it; a CSV file then needs `--bank-account` and either
`--cooperative` (for its saved columns) or `--mapping COLUMNS.json`. Without --dry-run,
`--mapping` saves the columns on the bank account, only if the file imports with them."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from budgets import services
from budgets.models import BankAccount, StatementFormat
from budgets.statements.model import as_json
from members.models import Cooperative
from wijkbv.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import a bank statement file (CAMT.053, MT940 or CSV) for a cooperative, whole or not "
        "at all; with --dry-run, print the statements it holds as JSON and write nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The statement file (CAMT.053 XML, MT940 or CSV).")
        parser.add_argument("--cooperative", help="The short name (slug) of the cooperative.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only read the file and print it as JSON."
        )
        parser.add_argument(
            "--bank-account", help="For a CSV file: the IBAN of the bank account it comes from."
        )
        parser.add_argument(
            "--closing-balance",
            help="For a CSV file: the balance the bank shows after its last line, e.g. 1250.00.",
        )
        parser.add_argument(
            "--mapping",
            help="For a CSV file: a JSON file saying which column holds what. Saved on the bank "
            "account when the file imports with it; with --dry-run only used to read the file.",
        )

    def handle(self, *args, file, cooperative, dry_run, bank_account, closing_balance, mapping,
               **options):  # fmt: skip
        path = Path(file)
        data = _read(path)
        columns = _columns(Path(mapping)) if mapping else None
        self.stderr.write(f"Reading {path.name} ({len(data)} bytes)...")
        try:
            found = _cooperative(cooperative) if cooperative or not dry_run else None
            account = _bank_account(found, bank_account)
            if dry_run:
                statements = _dry_run(data, found, account, bank_account, columns, closing_balance)
                self.stdout.write(
                    json.dumps([as_json(s) for s in statements], indent=2, ensure_ascii=False)
                )
                return
            self.stderr.write("Checking and storing...")
            with transaction.atomic():
                if columns is not None:
                    if account is None:
                        raise CommandError("Name the bank account: --bank-account IBAN.")
                    account = services.save_csv_mapping(account, actor=None, mapping=columns)
                record = services.import_statement(
                    found,
                    actor=None,
                    data=data,
                    file_name=path.name,
                    bank_account=account,
                    closing_balance=closing_balance,
                    progress=ProgressBar(self.stderr),
                )
        except DomainError as error:
            if error.code == "needs_bank_account":
                raise CommandError(
                    "This is a CSV file: name its bank account with --bank-account IBAN."
                ) from None
            if error.code == "no_mapping":
                raise CommandError(
                    "No CSV columns are saved for this bank account yet: give them with "
                    "--mapping COLUMNS.json."
                ) from None
            raise CommandError(str(error.message)) from None
        self.stderr.write(
            f"Stored {record.line_count} new line(s) from {record.statements.count()} "
            f"statement(s) of {record.bank_account.iban}."
        )


class ProgressBar:
    """Draws the import's progress on the error stream: on a terminal one bar redrawn in place,
    elsewhere (a log, cron's mail) one line per step, so the output stays readable."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        isatty = getattr(stream, "isatty", None)
        self.in_place = bool(isatty and isatty())

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "read":
            self.stream.write(f"Read {total:,} line(s).")
            return
        self.stream.write(self.bar(done, total), ending="\r" if self.in_place else "\n")
        if self.in_place and done >= total:
            self.stream.write("")

    def bar(self, done: int, total: int) -> str:
        share = 1.0 if total == 0 else done / total
        filled = round(share * self.WIDTH)
        return (
            f"Storing [{'#' * filled}{'-' * (self.WIDTH - filled)}] {share:4.0%} "
            f"{done:,} of {total:,} new line(s)"
        )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None


def _columns(path: Path):
    try:
        return json.loads(_read(path))
    except ValueError as error:
        raise CommandError(f"{path.name} is not a JSON file: {error}.") from None


def _cooperative(slug) -> Cooperative:
    if not slug:
        raise CommandError("Name the cooperative: --cooperative SLUG (or use --dry-run).")
    found = Cooperative.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(f"There is no cooperative with the short name {slug!r}.")
    return found


def _bank_account(cooperative, iban) -> BankAccount | None:
    if not iban or cooperative is None:
        return None
    compact = iban.replace(" ", "").upper()
    account = BankAccount.objects.filter(cooperative=cooperative, iban=compact).first()
    if account is None:
        raise CommandError(f"{compact} is not one of the bank accounts of {cooperative.name}.")
    return account


def _dry_run(data, cooperative, account, iban, columns, closing_balance) -> list:
    if services._statement_format(data) != StatementFormat.CSV:
        return services._read_statements(data)[1]
    if not iban:
        raise CommandError("A CSV file needs its bank account: --bank-account IBAN.")
    if columns is None and account is not None:
        columns = account.csv_mapping or None
    if columns is None:
        raise CommandError(
            "Say which column holds what: --mapping COLUMNS.json, or --cooperative SLUG for the "
            "columns saved on the bank account."
        )
    return services._read_csv(
        data,
        mapping=columns,
        iban=iban.replace(" ", "").upper(),
        currency=cooperative.currency if cooperative else "EUR",
        closing_balance=closing_balance,
    )
