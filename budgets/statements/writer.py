"""Writing statements as a CAMT.053 (version 001.02) file: the shape a bank sends, made from the
same `Statement` the readers return, so that `camt053.parse(camt053_file(statements))` gives the
statements back. The demo neighbourhood's month of bank lines and the tests are written with it.

Plain Python with no Django import. It writes what the readers take from a file: per statement
its account, currency, opening and closing balance with their dates; per entry the amount and
direction, reversal, booking and value date, the bank's reference, the end-to-end id, the
counterparty's name and IBAN and the remittance text. Balances are the statement's own: a
statement whose entries do not add up is refused before anything is written, and so is a batch
entry (one entry of several transfers), which this writer does not make.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from budgets.statements.model import Entry, Statement

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def camt053_file(
    statements, *, message_id: str = "STATEMENTS", created_at: datetime.datetime | None = None
) -> bytes:
    """One CAMT.053 document holding `statements`, in order."""
    parts = []
    for statement in statements:
        statement.check_balance()
        parts.append(_statement(statement))
    created = (created_at or datetime.datetime(2000, 1, 1)).replace(microsecond=0, tzinfo=None)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Document xmlns="{NAMESPACE}"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>{escape(message_id)}</MsgId>"
        f"<CreDtTm>{created.isoformat()}</CreDtTm></GrpHdr>"
        + "".join(parts)
        + "</BkToCstmrStmt></Document>"
    ).encode()


def _statement(statement: Statement) -> str:
    currency = escape(statement.currency)
    return (
        f"<Stmt><Id>{escape(statement.statement_id)}</Id>"
        f"<Acct><Id><IBAN>{escape(statement.account_iban)}</IBAN></Id><Ccy>{currency}</Ccy></Acct>"
        + _balance("OPBD", statement.opening_balance, statement.opening_date, currency)
        + _balance("CLBD", statement.closing_balance, statement.closing_date, currency)
        + "".join(_entry(entry) for entry in statement.entries)
        + "</Stmt>"
    )


def _indicator(amount: Decimal) -> str:
    return "CRDT" if amount >= 0 else "DBIT"


def _amount(amount: Decimal, currency: str) -> str:
    return f'<Amt Ccy="{currency}">{abs(amount):.2f}</Amt>'


def _balance(code: str, amount: Decimal, on: datetime.date, currency: str) -> str:
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>{_amount(amount, currency)}"
        f"<CdtDbtInd>{_indicator(amount)}</CdtDbtInd><Dt><Dt>{on.isoformat()}</Dt></Dt></Bal>"
    )


def _entry(entry: Entry) -> str:
    if entry.batch:
        raise ValueError("batch entries are not written")
    currency = escape(entry.currency)
    return (
        f"<Ntry>{_amount(entry.amount, currency)}<CdtDbtInd>{_indicator(entry.amount)}</CdtDbtInd>"
        + ("<RvslInd>true</RvslInd>" if entry.reversal else "")
        + "<Sts>BOOK</Sts>"
        + f"<BookgDt><Dt>{entry.booking_date.isoformat()}</Dt></BookgDt>"
        + (f"<ValDt><Dt>{entry.value_date.isoformat()}</Dt></ValDt>" if entry.value_date else "")
        + (
            f"<AcctSvcrRef>{escape(entry.bank_reference)}</AcctSvcrRef>"
            if entry.bank_reference
            else ""
        )
        + f"<NtryDtls>{_details(entry)}</NtryDtls></Ntry>"
    )


def _details(entry: Entry) -> str:
    """The one TxDtls of an entry. The counterparty is the debtor of money in and the creditor
    of money out; a reversal's parties are those of the transfer it undoes, which went the other
    way."""
    money_in = (entry.amount > 0) != entry.reversal
    party, account = ("Dbtr", "DbtrAcct") if money_in else ("Cdtr", "CdtrAcct")
    refs = ""
    if entry.end_to_end_id:
        refs = f"<Refs><EndToEndId>{escape(entry.end_to_end_id)}</EndToEndId></Refs>"
    related = ""
    if entry.counterparty_name:
        related += f"<{party}><Nm>{escape(entry.counterparty_name)}</Nm></{party}>"
    if entry.counterparty_iban:
        related += f"<{account}><Id><IBAN>{escape(entry.counterparty_iban)}</IBAN></Id></{account}>"
    if related:
        related = f"<RltdPties>{related}</RltdPties>"
    remittance = ""
    if entry.remittance:
        remittance = f"<RmtInf><Ustrd>{escape(entry.remittance)}</Ustrd></RmtInf>"
    return f"<TxDtls>{refs}{related}{remittance}</TxDtls>"
