"""CAMT.053 (ISO 20022 bank-to-customer statement), message versions 001.02 to 001.08.

The XML is read with lxml (libxml2, a parser in C) and no DTD at all: a bank statement never
needs one, and a DTD is how entity-expansion bombs and external entities (a file or URL read on
our server) get in. The parser substitutes no entity, loads no DTD, reaches no network and
keeps libxml2's limits on depth and size; a file that declares a DOCTYPE is then refused
whole, so no entity it declares is ever expanded or fetched (ADR 0055).

What is read, per `Stmt` (a file may hold several, each becomes one Statement):
- the account by IBAN (Acct/Id/IBAN, or Acct/Id/Othr/Id where a bank puts it there) and its currency (Acct/Ccy, else the opening balance's);
- the opening balance (Bal with code OPBD, or PRCD, "previously closed booked", which some
  banks send instead) and the closing balance (CLBD), signed by CdtDbtInd, DBIT negative;
- the entries (Ntry). Only booked entries (Sts BOOK) are read: the booked balances the bank
  sends only include booked entries, so pending (PDNG) and information-only lines are left out.

A reversal (RvslInd true) keeps the sign its CdtDbtInd gives: the standard says CdtDbtInd of a
reversal is the direction the money moves now (a returned payment comes back as CRDT). Its
related parties still describe the original transfer, so the counterparty is read from the
side of the original direction.

An entry with one TxDtls takes its counterparty (for money in the Dbtr, for money out the
Cdtr), remittance and end-to-end id from it. An entry with several TxDtls is a batch: the entry
keeps the total the bank booked, and `batch` holds one Entry per TxDtls, which must add up to it.

Dates are taken as the bank wrote them (a DtTm gives its own calendar date, not a UTC date).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from lxml import etree
from lxml.etree import _Element as Element

from budgets.statements.model import (
    MAX_BYTES,
    Entry,
    Statement,
    StatementError,
    check_size,
    gettext_noop,
)

VERSIONS = ("02", "03", "04", "05", "06", "07", "08")
_NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:([a-z]{4})\.(\d{3})\.(\d{3})\.(\d{2})$")
# ISO 20022 amounts: up to 18 digits, at most 5 after the point, no sign (CdtDbtInd gives it).
_AMOUNT = re.compile(r"^\d{1,18}(\.\d{1,5})?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_OPENING_CODES = ("OPBD", "PRCD")


def parse(data: bytes, *, max_bytes: int = MAX_BYTES) -> list[Statement]:
    """Every statement in a CAMT.053 file, or StatementError; never part of a file."""
    check_size(data, max_bytes)
    if not data.strip():
        raise StatementError(gettext_noop("The file is empty."))
    return _parse(data)


def _safe_parser() -> etree.XMLParser:
    """A parser that expands no entity, reads no DTD and nothing outside the file, and keeps
    libxml2's limits on depth and text size (huge_tree off). Comments and processing
    instructions are dropped, as ElementTree drops them, so the text of an element is all of
    its text before its first child. A new parser per file: an lxml parser is not shared
    between threads."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


class _Doctype(Exception):
    pass


class _RootStarted(Exception):
    pass


class _Prolog:
    """What the parser meets before the first element: a DOCTYPE stops it there, and so does
    the first element, which no DOCTYPE may follow."""

    def doctype(self, *_declared):
        raise _Doctype

    def start(self, *_element):
        raise _RootStarted

    def close(self):
        return None


# How much of the file the prolog is read in at a time: the first piece holds it in practice.
_PROLOG_PIECE = 64 * 1024


def _declares_doctype(data: bytes) -> bool:
    """Whether the file declares a DOCTYPE before its first element. It is told when the parser
    meets the declaration, before it reads any entity declared in it; what the file says after
    that is never read. A file broken before its first element is left to the full reading,
    which says where it breaks."""
    parser = etree.XMLParser(
        target=_Prolog(), resolve_entities=False, load_dtd=False, no_network=True
    )
    try:
        for start in range(0, len(data), _PROLOG_PIECE):
            parser.feed(data[start : start + _PROLOG_PIECE])
        parser.close()
    except _Doctype:
        return True
    except (_RootStarted, etree.XMLSyntaxError):
        return False
    return False


def _refuse_dtd() -> StatementError:
    return StatementError(
        gettext_noop(
            "The file declares a DTD or entities. A bank statement never does; it is refused "
            "for safety."
        )
    )


def _parse(data: bytes) -> list[Statement]:
    if _declares_doctype(data):
        raise _refuse_dtd()
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as error:
        raise StatementError(
            gettext_noop("The file is not readable XML: it is broken or cut off."),
            line=error.position[0],
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _refuse_dtd()
    ns = _namespace(root)
    report = root.find(f"{{{ns}}}BkToCstmrStmt")
    if report is None:
        raise StatementError(gettext_noop("The file has no statement part (BkToCstmrStmt)."))
    reader = _Reader(ns)
    statements = [
        reader.statement(stmt, f"Stmt[{number}]")
        for number, stmt in enumerate(report.findall(f"{{{ns}}}Stmt"), start=1)
    ]
    if not statements:
        raise StatementError(gettext_noop("The file holds no statement (Stmt)."))
    return statements


def _namespace(root) -> str:
    """The message's namespace, if it is a camt.053 version we read; else a clear refusal."""
    ns, _, name = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    match = _NAMESPACE.match(ns)
    if not match or name != "Document":
        raise StatementError(
            gettext_noop("The file is not an ISO 20022 bank statement (camt.053)."),
        )
    area, number, variant, version = match.groups()
    message = f"{area}.{number}"
    if message != "camt.053":
        raise StatementError(
            gettext_noop(
                "The file is a %(message)s message, not a bank statement (camt.053). Download "
                "the statement from your bank as camt.053."
            ),
            params={"message": f"{message}.{variant}.{version}"},
        )
    if variant != "001" or version not in VERSIONS:
        raise StatementError(
            gettext_noop(
                "The file is camt.053 version %(version)s; versions 001.02 to 001.08 can be read."
            ),
            params={"version": f"{variant}.{version}"},
        )
    return ns


class _Reader:
    """Reads the parts of one message version; `ns` is its namespace.

    The statement's own parts (account, balances) are few and looked up by path. The entries
    are many: each is read by going once over the children of the elements that hold what is
    read, an entry's own, its details', and so on down, each child by its name in a dict. Of
    an element that occurs more than once where only one is read, the first is taken, as a
    path lookup one step at a time takes it; where all are read (the transactions of a batch,
    the lines of a remittance), all are taken in document order. An element in another
    namespace has another name and is never taken."""

    def __init__(self, ns: str):
        self.ns = ns
        self._paths: dict[str, str] = {}
        self._step_cache: dict[str, tuple[str, ...]] = {}
        brace = f"{{{ns}}}"
        for name in _NAMES:
            setattr(self, name, brace + name)

    def _path(self, path: str) -> str:
        if path not in self._paths:
            self._paths[path] = "/".join(f"{{{self.ns}}}{step}" for step in path.split("/"))
        return self._paths[path]

    def _steps(self, path: str) -> tuple[str, ...]:
        if path not in self._step_cache:
            self._step_cache[path] = tuple(f"{{{self.ns}}}{step}" for step in path.split("/"))
        return self._step_cache[path]

    def find(self, element: Element, path: str) -> Element | None:
        """The first element at `path`, one step at a time: each step is a plain child lookup,
        several times faster than a path search over a large statement. The elements looked up
        this way occur at most once where they occur."""
        for step in self._steps(path):
            element = element.find(step)
            if element is None:
                return None
        return element

    def findall(self, element: Element, path: str) -> list[Element]:
        return element.findall(self._path(path))

    def text(self, element: Element, path: str) -> str:
        found = self.find(element, path)
        return (found.text or "").strip() if found is not None else ""

    def statement(self, stmt: Element, where: str) -> Statement:
        # Most banks name the account by IBAN; some put the same number in Othr/Id.
        iban = self.text(stmt, "Acct/Id/IBAN") or self.text(stmt, "Acct/Id/Othr/Id")
        iban = iban.replace(" ", "").upper()
        if not iban:
            raise StatementError(
                gettext_noop("The statement does not name its account (Acct/Id)."),
                line=where,
            )
        balances = {}
        for number, bal in enumerate(self.findall(stmt, "Bal"), start=1):
            code = self.text(bal, "Tp/CdOrPrtry/Cd").upper()
            if code in ("OPBD", "PRCD", "CLBD"):
                if code in balances:
                    raise StatementError(
                        gettext_noop("The statement has two %(code)s balances."),
                        line=f"{where}/Bal[{number}]",
                        params={"code": code},
                    )
                balances[code] = (bal, f"{where}/Bal[{number}]")
        opening = balances.get("OPBD") or balances.get("PRCD")
        if opening is None:
            raise StatementError(
                gettext_noop("The statement has no opening balance (OPBD or PRCD)."), line=where
            )
        if "CLBD" not in balances:
            raise StatementError(
                gettext_noop("The statement has no closing balance (CLBD)."), line=where
            )
        currency = self.text(stmt, "Acct/Ccy") or self.find(opening[0], "Amt").get("Ccy", "")
        if not _CURRENCY.match(currency):
            raise StatementError(
                gettext_noop("The statement does not say its currency."), line=f"{where}/Acct"
            )
        opening_balance, opening_date = self.balance(*opening, currency)
        closing_balance, closing_date = self.balance(*balances["CLBD"], currency)
        entries = []
        for number, ntry in enumerate(stmt.iterchildren(self.Ntry), start=1):
            entry = self.entry(ntry, where, number, currency)
            if entry is not None:
                entries.append(entry)
        statement = Statement(
            account_iban=iban,
            currency=currency,
            statement_id=self.text(stmt, "Id"),
            opening_balance=opening_balance,
            opening_date=opening_date,
            closing_balance=closing_balance,
            closing_date=closing_date,
            entries=tuple(entries),
        )
        try:
            statement.check_balance()
        except StatementError as error:
            raise StatementError(error.message, line=where, params=error.params) from None
        return statement

    def balance(self, bal: Element, where: str, currency: str) -> tuple[Decimal, datetime.date]:
        amount = self.amount(self.find(bal, "Amt"), self.text(bal, "CdtDbtInd"), where, currency)
        day = self.date(self.find(bal, "Dt"), "Dt", where)
        if day is None:
            raise StatementError(gettext_noop("A balance has no date."), line=where)
        return amount, day

    def amount(self, amt: Element | None, indicator: str, where: str, currency: str) -> Decimal:
        """Amt signed by its CdtDbtInd `indicator` (DBIT negative), in `currency`."""
        value = (amt.text or "").strip() if amt is not None else ""
        if not _AMOUNT.match(value):
            raise StatementError(
                gettext_noop("The amount %(value)s is not a valid amount."),
                line=f"{where}/Amt",
                params={"value": repr(value)},
            )
        if amt.get("Ccy") != currency:
            raise StatementError(
                gettext_noop("An amount is in %(found)s, but the account is in %(currency)s."),
                line=f"{where}/Amt",
                params={"found": amt.get("Ccy") or "?", "currency": currency},
            )
        return _signed(Decimal(value), indicator, where)

    def date(self, holder: Element | None, path: str, where: str) -> datetime.date | None:
        """The date in the Dt or DtTm of `holder` (found at `path`); None without `holder`."""
        if holder is None:
            return None
        day = moment = ""
        dt, dt_tm = self.Dt, self.DtTm
        child = _first_child(holder)
        while child is not None:
            tag = child.tag
            if tag == dt:
                day = (child.text or "").strip()
                dt = None  # only the first Dt counts
            elif tag == dt_tm:
                moment = (child.text or "").strip()
                dt_tm = None
            child = child.getnext()
        try:
            if day:
                return datetime.date.fromisoformat(day)
            if moment:
                return datetime.datetime.fromisoformat(moment).date()
        except ValueError:
            raise StatementError(
                gettext_noop("%(value)s is not a date."),
                line=f"{where}/{path}",
                params={"value": day or moment},
            ) from None
        return None

    def entry(self, ntry: Element, stmt_where: str, number: int, currency: str) -> Entry | None:
        children: dict = {}
        details_holders = []
        holder = self.NtryDtls
        child = _first_child(ntry)
        while child is not None:
            tag = child.tag
            if tag not in children:
                children[tag] = child
            if tag == holder:
                details_holders.append(child)
            child = child.getnext()
        where = f"{stmt_where}/Ntry[{number}]"
        get = children.get
        status_element = get(self.Sts)
        status = _text(status_element)
        if not status and status_element is not None:
            status = _text(_first(status_element, self.Cd))
        status = status.upper()
        if not status:
            raise StatementError(gettext_noop("An entry has no status (Sts)."), line=where)
        if status != "BOOK":
            return None
        amount = self.amount(get(self.Amt), _text(get(self.CdtDbtInd)), where, currency)
        reversal = self.RvslInd in children and _text(get(self.RvslInd)).lower() in ("true", "1")
        booking_date = self.date(get(self.BookgDt), "BookgDt", where)
        if booking_date is None:
            raise StatementError(gettext_noop("A booked entry has no booking date."), line=where)
        value_date = self.date(get(self.ValDt), "ValDt", where)
        details = []
        tx_tag = self.TxDtls
        for holder in details_holders:
            child = _first_child(holder)
            while child is not None:
                if child.tag == tx_tag:
                    details.append(child)
                child = child.getnext()
        if len(details) == 1:
            # A reversal's parties describe the original transfer, which went the other way.
            name, iban, remittance, end_to_end = self.details(
                details[0], money_in=(amount > 0) != reversal
            )
            batch = ()
        else:
            name = iban = remittance = end_to_end = ""
            batch = ()
            if details:
                batch = self.batch(
                    details, where, amount, currency, booking_date, value_date, reversal
                )
        if not remittance and self.AddtlNtryInf in children:
            remittance = _text(get(self.AddtlNtryInf))
        return Entry(
            booking_date=booking_date,
            value_date=value_date,
            amount=amount,
            currency=currency,
            counterparty_name=name,
            counterparty_iban=iban,
            remittance=remittance,
            end_to_end_id=end_to_end,
            bank_reference=_text(get(self.AcctSvcrRef)) if self.AcctSvcrRef in children else "",
            reversal=reversal,
            batch=batch,
        )

    def details(self, tx: Element, *, money_in: bool) -> tuple[str, str, str, str]:
        """The counterparty's name and IBAN, the remittance and the end-to-end id of one
        TxDtls."""
        parties = refs = None
        remittances = []
        parties_tag, remittance_tag, refs_tag = self.RltdPties, self.RmtInf, self.Refs
        child = _first_child(tx)
        while child is not None:
            tag = child.tag
            if tag == remittance_tag:
                remittances.append(child)
            elif tag == parties_tag:
                if parties is None:
                    parties = child
            elif tag == refs_tag and refs is None:
                refs = child
            child = child.getnext()
        name = iban = ""
        if parties is not None:
            party, account = (self.Dbtr, self.DbtrAcct) if money_in else (self.Cdtr, self.CdtrAcct)
            party, account = _firsts(parties, party, account)
            if party is not None:
                nm, pty = _firsts(party, self.Nm, self.Pty)
                name = _text(nm) or _text(_first(pty, self.Nm))
            if account is not None:
                iban = _text(_first(_first(account, self.Id), self.IBAN)).replace(" ", "").upper()
        remittance = ""
        if remittances:
            remittance = " ".join(_texts(_all(remittances, self.Ustrd)))
            if not remittance:
                refs_found = _all(_all(_all(remittances, self.Strd), self.CdtrRefInf), self.Ref)
                remittance = " ".join(_texts(refs_found))
        end_to_end = ""
        if refs is not None:
            end_to_end = _text(_first(refs, self.EndToEndId))
            if end_to_end.upper() == "NOTPROVIDED":
                end_to_end = ""
        return name, iban, remittance, end_to_end

    def batch(
        self,
        details: list[Element],
        where: str,
        total: Decimal,
        currency: str,
        booking_date: datetime.date,
        value_date: datetime.date | None,
        reversal: bool,
    ) -> tuple[Entry, ...]:
        """One Entry per TxDtls of a batch entry whose booked amount is `total`. A part is
        signed like the entry unless it has its own CdtDbtInd (possible from version 001.03);
        the parts must add up to the entry."""
        parts = []
        for number, tx in enumerate(details, start=1):
            path = f"{where}/NtryDtls/TxDtls[{number}]"
            amt = self.find(tx, "AmtDtls/TxAmt/Amt")
            if amt is None:
                amt = self.find(tx, "Amt")
            value = (amt.text or "").strip() if amt is not None else ""
            if not _AMOUNT.match(value):
                raise StatementError(
                    gettext_noop("A transaction in a batch entry has no valid amount."), line=path
                )
            if amt.get("Ccy") != currency:
                raise StatementError(
                    gettext_noop("An amount is in %(found)s, but the account is in %(currency)s."),
                    line=path,
                    params={"found": amt.get("Ccy") or "?", "currency": currency},
                )
            indicator = self.text(tx, "CdtDbtInd") or ("CRDT" if total > 0 else "DBIT")
            amount = _signed(Decimal(value), indicator, path)
            name, iban, remittance, end_to_end = self.details(tx, money_in=(amount > 0) != reversal)
            part = Entry(
                booking_date=booking_date,
                value_date=value_date,
                amount=amount,
                currency=currency,
                counterparty_name=name,
                counterparty_iban=iban,
                remittance=remittance,
                end_to_end_id=end_to_end,
                bank_reference=self.text(tx, "Refs/AcctSvcrRef"),
                reversal=reversal,
            )
            parts.append(part)
        added = sum((part.amount for part in parts), Decimal(0))
        if added != total:
            raise StatementError(
                gettext_noop(
                    "The transactions of a batch entry add up to %(total)s, but the entry says "
                    "%(amount)s."
                ),
                line=where,
                params={"total": added, "amount": total},
            )
        return tuple(parts)


# The names of the elements an entry is read from.
_NAMES = [
    "AcctSvcrRef",
    "AddtlNtryInf",
    "Amt",
    "BookgDt",
    "Cd",
    "CdtDbtInd",
    "Cdtr",
    "CdtrAcct",
    "CdtrRefInf",
    "Dbtr",
    "DbtrAcct",
    "Dt",
    "DtTm",
    "EndToEndId",
    "IBAN",
    "Id",
    "Nm",
    "Ntry",
    "NtryDtls",
    "Pty",
    "Ref",
    "Refs",
    "RltdPties",
    "RmtInf",
    "RvslInd",
    "Strd",
    "Sts",
    "TxDtls",
    "Ustrd",
    "ValDt",
]


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _texts(elements: list[Element]) -> list[str]:
    """The texts of `elements` that are not blank, stripped."""
    texts = [(element.text or "").strip() for element in elements]
    return [text for text in texts if text]


def _first(element: Element | None, tag: str) -> Element | None:
    """The first child of `element` named `tag`."""
    child = None if element is None else _first_child(element)
    while child is not None and child.tag != tag:
        child = child.getnext()
    return child


def _firsts(element: Element, one: str, other: str) -> tuple[Element | None, Element | None]:
    """The first child of `element` named `one` and the first named `other`."""
    first = second = None
    child = _first_child(element)
    while child is not None:
        tag = child.tag
        if tag == one:
            if first is None:
                first = child
        elif tag == other and second is None:
            second = child
        child = child.getnext()
    return first, second


def _all(elements: list[Element], tag: str) -> list[Element]:
    """The children named `tag` of each of `elements`, in document order."""
    found = []
    for element in elements:
        child = _first_child(element)
        while child is not None:
            if child.tag == tag:
                found.append(child)
            child = child.getnext()
    return found


def _first_child(element: Element) -> Element | None:
    """The first child of `element`, going on with `getnext`: an iterator over the children
    costs more than the few children an element of an entry has."""
    try:
        return element[0]
    except IndexError:
        return None


def _signed(value: Decimal, indicator: str, where: str) -> Decimal:
    if indicator == "CRDT":
        return value
    if indicator == "DBIT":
        return -value if value else value  # no "-0.00" for a zero debit
    raise StatementError(
        gettext_noop("The credit/debit indicator %(value)s is not CRDT or DBIT."),
        line=f"{where}/CdtDbtInd",
        params={"value": repr(indicator)},
    )
