"""CAMT.053 files written for the import tests: statements of the cooperative's own account
with the lines a test needs, so overlaps, gaps and large files are easy to make."""

import datetime
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

DATA = Path(__file__).parent / "data" / "statements"
IBAN = "NL91ABNA0417164300"
DAY = datetime.date(2026, 3, 2)


def line(
    amount,
    *,
    reference="",
    name="J. de Vries",
    remittance="Bijdrage",
    on=DAY,
    iban="",
    end_to_end="",
):
    return {
        "amount": Decimal(str(amount)),
        "iban": iban,
        "end_to_end": end_to_end,
        "reference": reference,
        "name": name,
        "remittance": remittance,
        "on": on,
    }


def statement(number, opening, lines, *, opens=None, closes=None, iban=IBAN):
    closes = closes or max((item["on"] for item in lines), default=DAY)
    return {
        "id": f"S-{number}",
        "iban": iban,
        "opening": Decimal(str(opening)),
        "opens": opens or closes - datetime.timedelta(days=1),
        "closes": closes,
        "lines": lines,
    }


def _balance(code, amount, on):
    sign = "CRDT" if amount >= 0 else "DBIT"
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="EUR">{abs(amount):.2f}</Amt><CdtDbtInd>{sign}</CdtDbtInd>'
        f"<Dt><Dt>{on.isoformat()}</Dt></Dt></Bal>"
    )


def _entry(item):
    amount = item["amount"]
    party = "Dbtr" if amount >= 0 else "Cdtr"
    account = (
        f"<{party}Acct><Id><IBAN>{item['iban']}</IBAN></Id></{party}Acct>" if item["iban"] else ""
    )
    reference = (
        f"<AcctSvcrRef>{escape(item['reference'])}</AcctSvcrRef>" if item["reference"] else ""
    )
    refs = (
        f"<Refs><EndToEndId>{escape(item['end_to_end'])}</EndToEndId></Refs>"
        if item.get("end_to_end")
        else ""
    )
    return (
        f'<Ntry><Amt Ccy="EUR">{abs(amount):.2f}</Amt>'
        f"<CdtDbtInd>{'CRDT' if amount >= 0 else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{item['on'].isoformat()}</Dt></BookgDt>"
        f"<ValDt><Dt>{item['on'].isoformat()}</Dt></ValDt>{reference}"
        f"<NtryDtls><TxDtls>{refs}<RltdPties><{party}><Nm>{escape(item['name'])}</Nm></{party}>"
        f"{account}</RltdPties><RmtInf><Ustrd>{escape(item['remittance'])}</Ustrd></RmtInf>"
        f"</TxDtls></NtryDtls></Ntry>"
    )


def camt(*statements) -> bytes:
    """A CAMT.053 (001.02) file holding `statements`, each closing at its opening balance plus
    its lines."""
    parts = []
    for stmt in statements:
        closing = stmt["opening"] + sum((item["amount"] for item in stmt["lines"]), Decimal(0))
        parts.append(
            f"<Stmt><Id>{stmt['id']}</Id><Acct><Id><IBAN>{stmt['iban']}</IBAN></Id>"
            f"<Ccy>EUR</Ccy></Acct>{_balance('OPBD', stmt['opening'], stmt['opens'])}"
            f"{_balance('CLBD', closing, stmt['closes'])}"
            + "".join(_entry(item) for item in stmt["lines"])
            + "</Stmt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>TEST</MsgId><CreDtTm>2026-03-02T06:00:00</CreDtTm></GrpHdr>"
        + "".join(parts)
        + "</BkToCstmrStmt></Document>"
    ).encode()


def many_lines(count: int) -> bytes:
    """One statement of `count` different lines: a month of a very busy account."""
    lines = [
        line(
            Decimal(count % 997 + number % 500) / 100 + 1,
            reference=f"REF-{number}",
            on=DAY + datetime.timedelta(days=number % 28),
        )
        for number in range(count)
    ]
    return camt(statement(1, "1000.00", lines, opens=DAY, closes=DAY + datetime.timedelta(days=28)))
