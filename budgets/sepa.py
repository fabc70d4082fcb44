"""The SEPA credit-transfer file (pain.001.001.03) a treasurer uploads to the bank to pay a batch.

Written with `xml.etree`, not with a package (why: docs/decisions/0051). Every value is checked
before anything is written, so a file either holds every payment as asked or is not made at all:
a bank refuses a whole file for one bad line, and a half-paid batch is worse than none.

Text the bank passes on (names, remittance) is brought into the Latin character set every SEPA
bank must accept: a-z A-Z 0-9 / - ? : ( ) . , ' + and space. Accents are dropped (é → e,
ş → s), a few letters become two (ß → ss, æ → ae), & becomes +, and any other character that
has no such form (a letter of another script, an emoji) becomes a space. A name that keeps no
letter or digit at all is refused rather than sent as blanks. Lengths are checked after this,
because that is the text the bank sees. Ids (message id, end-to-end id) are not changed but
refused when they hold anything outside the set, as the bank returns them to us to match.

The same input gives the same bytes: the creation time and ids come from the caller, nothing
from the clock or chance, so a file made twice can be compared and its checksum recorded.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue (`makemessages` finds this name) without
    importing Django; the caller translates it when it shows it (SepaError.text)."""
    return message


NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

# Countries (IBAN country codes) of the SEPA scheme, from the European Payments Council's
# list: the EU, the EEA, Switzerland, the United Kingdom, the small states, the territories with
# their own IBAN code, and Albania, Moldova, Montenegro and North Macedonia, which joined in 2025.
# Guernsey, Jersey and the Isle of Man write GB IBANs; Åland writes FI ones.
# fmt: off
SEPA_COUNTRIES = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    "IS", "LI", "NO", "CH", "GB", "MC", "SM", "VA", "AD", "GI",
    "GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF",
    "AL", "MD", "ME", "MK",
})
# fmt: on

MAX_AMOUNT = Decimal("999999999.99")
MAX_NAME = 70
MAX_REMITTANCE = 140
MAX_ID = 35

# The Latin character set of the SEPA rulebooks (EPC217-08).
_ALLOWED = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")
# Letters that Unicode decomposition does not take apart into a base letter and a mark.
_SPELLED_OUT = {
    "ß": "ss",
    "ẞ": "SS",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "Th",
    "ı": "i",
    "ħ": "h",
    "Ħ": "H",
    "&": "+",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "`": "'",
    "´": "'",
    "“": "'",
    "”": "'",
    '"': "'",
    "–": "-",
    "—": "-",
    "_": "-",
    ";": ",",
}


class SepaError(ValueError):
    """A batch that cannot be written as a credit-transfer file. `message` is plain English
    words for the treasurer, marked with `gettext_noop`, with its values in `params`."""

    def __init__(self, message: str, *, params: dict | None = None):
        self.message = message
        self.params = params or {}
        super().__init__(self.text())

    def text(self, translate=lambda text: text) -> str:
        """The message in the reader's language (`translate` is gettext); a `Label` among the
        values is translated too."""
        text = translate(self.message)
        if not self.params:
            return text
        params = {
            key: value.text(translate) if isinstance(value, Label) else value
            for key, value in self.params.items()
        }
        return text % params


@dataclass(frozen=True)
class Label:
    """A translatable name of what a message is about ("payment 2", "your own account")."""

    message: str
    number: int | None = None

    def text(self, translate=lambda text: text) -> str:
        text = translate(self.message)
        return text % {"number": self.number} if self.number is not None else text


@dataclass(frozen=True)
class Party:
    """Who pays or is paid: a name and a bank account. The BIC is optional inside SEPA."""

    name: str
    iban: str
    bic: str = ""


@dataclass(frozen=True)
class Payment:
    """One transfer. `end_to_end_id` comes back on the bank statement, so the line can be
    matched to what it paid; `remittance` is the description the receiver sees."""

    end_to_end_id: str
    amount: Decimal
    creditor: Party
    remittance: str


def latin(text: str) -> str:
    """`text` in the SEPA Latin character set, spaces collapsed (see the module docstring)."""
    out = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            continue
        char = _SPELLED_OUT.get(char, char)
        out.append(char if _ALLOWED.fullmatch(char) else " ")
    return " ".join("".join(out).split())


def credit_transfer(
    debtor: Party,
    payments: list[Payment],
    *,
    message_id: str,
    execution_date: datetime.date,
    created_at: datetime.datetime,
    batch_booking: bool = True,
) -> bytes:
    """The pain.001.001.03 file (UTF-8 XML) that pays `payments` from the debtor's account on
    `execution_date`, as one payment information block. With `batch_booking` the bank books
    the batch as one line on the statement; without it, one line per payment.

    Raises SepaError naming the first problem; nothing is returned then."""
    _check_id(message_id, gettext_noop("message id"))
    debtor_name, debtor_iban, debtor_bic = _party(debtor, gettext_noop("your own account"))
    if not payments:
        raise SepaError(gettext_noop("There is nothing to pay: the batch has no payments."))
    checked = []
    seen = set()
    for number, payment in enumerate(payments, start=1):
        _check_id(
            payment.end_to_end_id, gettext_noop("reference of payment %(number)s"), number=number
        )
        if payment.end_to_end_id in seen:
            raise SepaError(
                gettext_noop(
                    'Payment %(number)s: the reference "%(id)s" is used twice in this batch.'
                ),
                params={"number": number, "id": payment.end_to_end_id},
            )
        seen.add(payment.end_to_end_id)
        amount = _amount(payment.amount, number)
        name, iban, bic = _party(
            payment.creditor, gettext_noop("payment %(number)s"), number=number
        )
        remittance = latin(payment.remittance)
        if len(remittance) > MAX_REMITTANCE:
            raise SepaError(
                gettext_noop(
                    "Payment %(number)s: the description is %(length)s characters long; "
                    "a bank takes at most %(max)s."
                ),
                params={"number": number, "length": len(remittance), "max": MAX_REMITTANCE},
            )
        checked.append((payment.end_to_end_id, amount, name, iban, bic, remittance))
    total = sum((amount for _, amount, *_ in checked), Decimal("0.00"))
    count = str(len(checked))

    # The namespace is written as a plain attribute: ElementTree cannot put the attribute Ccy,
    # which has no namespace, under a default namespace.
    document = _element("Document", xmlns=NAMESPACE)
    initiation = _sub(document, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", created_at.replace(microsecond=0).isoformat())
    _sub(header, "NbOfTxs", count)
    _sub(header, "CtrlSum", _money(total))
    _sub(_sub(header, "InitgPty"), "Nm", debtor_name)

    info = _sub(initiation, "PmtInf")
    _sub(info, "PmtInfId", message_id)
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "BtchBookg", "true" if batch_booking else "false")
    _sub(info, "NbOfTxs", count)
    _sub(info, "CtrlSum", _money(total))
    _sub(_sub(_sub(info, "PmtTpInf"), "SvcLvl"), "Cd", "SEPA")
    _sub(info, "ReqdExctnDt", execution_date.isoformat())
    _sub(_sub(info, "Dbtr"), "Nm", debtor_name)
    _sub(_sub(_sub(info, "DbtrAcct"), "Id"), "IBAN", debtor_iban)
    institution = _sub(_sub(info, "DbtrAgt"), "FinInstnId")
    if debtor_bic:
        _sub(institution, "BIC", debtor_bic)
    else:
        _sub(_sub(institution, "Othr"), "Id", "NOTPROVIDED")
    _sub(info, "ChrgBr", "SLEV")

    for end_to_end_id, amount, name, iban, bic, remittance in checked:
        transaction = _sub(info, "CdtTrfTxInf")
        _sub(_sub(transaction, "PmtId"), "EndToEndId", end_to_end_id)
        _sub(_sub(transaction, "Amt"), "InstdAmt", _money(amount), Ccy="EUR")
        if bic:
            _sub(_sub(_sub(transaction, "CdtrAgt"), "FinInstnId"), "BIC", bic)
        _sub(_sub(transaction, "Cdtr"), "Nm", name)
        _sub(_sub(_sub(transaction, "CdtrAcct"), "Id"), "IBAN", iban)
        if remittance:
            _sub(_sub(transaction, "RmtInf"), "Ustrd", remittance)

    return ET.tostring(document, encoding="UTF-8", xml_declaration=True)


def _element(tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.Element(tag, attributes)
    element.text = text
    return element


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = _element(tag, text, **attributes)
    parent.append(element)
    return element


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _check_id(value: str, what: str, *, number: int | None = None) -> None:
    """Ids go to the bank unchanged, so they are refused, not changed, when they do not fit."""
    if not isinstance(value, str) or not value.strip():
        raise SepaError(
            gettext_noop("The %(what)s is empty."), params={"what": Label(what, number)}
        )
    if len(value) > MAX_ID:
        raise SepaError(
            gettext_noop('The %(what)s "%(id)s" is longer than %(max)s characters.'),
            params={"what": Label(what, number), "id": value, "max": MAX_ID},
        )
    if (
        not _ALLOWED.fullmatch(value)
        or " " in value
        or value.startswith("/")
        or value.endswith("/")
        or "//" in value
    ):
        raise SepaError(
            gettext_noop(
                'The %(what)s "%(id)s" may only hold letters a-z, digits and / - ? : ( ) . , \' +, '
                "without spaces, and not begin or end with /."
            ),
            params={"what": Label(what, number), "id": value},
        )


def _party(party: Party, whose: str, *, number: int | None = None) -> tuple[str, str, str]:
    """The party's name in the SEPA character set, its IBAN and BIC compact in capitals."""
    label = Label(whose, number)
    name = latin(party.name)
    if not any(char.isalnum() for char in name):
        raise SepaError(
            gettext_noop("The name for %(whose)s is empty or has no letters a bank can print."),
            params={"whose": label},
        )
    if len(name) > MAX_NAME:
        raise SepaError(
            gettext_noop(
                "The name for %(whose)s is %(length)s characters long; a bank takes at most %(max)s."
            ),
            params={"whose": label, "length": len(name), "max": MAX_NAME},
        )
    iban = stdnum_iban.compact(party.iban or "").upper()
    try:
        stdnum_iban.validate(iban)
    except StdnumValidationError:
        raise SepaError(
            gettext_noop("The IBAN %(iban)s for %(whose)s is not a valid IBAN."),
            params={"iban": party.iban, "whose": label},
        ) from None
    if iban[:2] not in SEPA_COUNTRIES:
        raise SepaError(
            gettext_noop(
                "The IBAN %(iban)s for %(whose)s is from a country outside SEPA; "
                "this file can only pay accounts inside SEPA."
            ),
            params={"iban": iban, "whose": label},
        )
    bic = ""
    if party.bic and party.bic.strip():
        try:
            bic = stdnum_bic.validate(party.bic)
        except StdnumValidationError:
            raise SepaError(
                gettext_noop("The BIC %(bic)s for %(whose)s is not a valid BIC."),
                params={"bic": party.bic, "whose": label},
            ) from None
    return name, iban, bic


def _amount(amount: Decimal, number: int) -> Decimal:
    """Amounts are exact euros and cents; anything else is refused, never rounded here."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise SepaError(
            gettext_noop("Payment %(number)s: the amount %(amount)s is not an amount in euros."),
            params={"number": number, "amount": amount},
        )
    if amount <= 0:
        raise SepaError(
            gettext_noop("Payment %(number)s: the amount must be more than zero, not %(amount)s."),
            params={"number": number, "amount": amount},
        )
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise SepaError(
            gettext_noop("Payment %(number)s: the amount %(amount)s has more than two decimals."),
            params={"number": number, "amount": amount},
        )
    if amount > MAX_AMOUNT:
        raise SepaError(
            gettext_noop(
                "Payment %(number)s: the amount %(amount)s is more than a bank takes in one transfer."
            ),
            params={"number": number, "amount": amount},
        )
    return amount.quantize(Decimal("0.01"))
