"""The SEPA credit-transfer file: valid against the pain.001.001.03 schema, every value where the
bank looks for it, the same bytes for the same batch, and every bad batch refused with the
reason and no file."""

import datetime
import importlib.resources
from decimal import Decimal

import pytest
import xmlschema
from defusedxml import ElementTree

from budgets import sepa
from budgets.sepa import Party, Payment, SepaError

NS = {"p": sepa.NAMESPACE}
DEBTOR = Party("Wijk-BV De Krim", "NL91 ABNA 0417 1643 00", "abnanl2a")
AYSE = Party("Ayşe Yılmaz", "nl20ingb0001234567")
ZOE = Party("Zoë Müller", "DE89 3704 0044 0532 0130 00", "COBADEFFXXX")
AMRANI = Party("El Amrani", "BE71096123456769")
CREATED = datetime.datetime(2026, 11, 22, 21, 30, 5, 123456, tzinfo=datetime.UTC)
EXECUTION = datetime.date(2026, 11, 24)


def _batch():
    return [
        Payment("EXP-101", Decimal("12.50"), AYSE, "Bonnetje 12 – koffie & thee"),
        Payment("EXP-102", Decimal("250.05"), ZOE, "Voorschot buurtfeest"),
        Payment("ADV-7", Decimal("0.01"), AMRANI, "Verrekening voorschot 7"),
    ]


def _file(payments=None, debtor=DEBTOR, **options):
    options = {
        "message_id": "BATCH-2026-11-22",
        "execution_date": EXECUTION,
        "created_at": CREATED,
    } | options
    return sepa.credit_transfer(debtor, _batch() if payments is None else payments, **options)


def _text(element, path):
    found = element.find(path, NS)
    assert found is not None, path
    return found.text


def test_the_file_is_valid_against_the_pain_001_001_03_schema():
    # The schema as published by ISO 20022, shipped with the sepaxml package (a test dependency).
    schema = importlib.resources.files("sepaxml") / "schemas" / "pain.001.001.03.xsd"
    xmlschema.XMLSchema(str(schema)).validate(_file().decode("utf-8"))
    xmlschema.XMLSchema(str(schema)).validate(
        _file(debtor=Party(DEBTOR.name, DEBTOR.iban), batch_booking=False).decode("utf-8")
    )


def test_a_batch_of_three_holds_every_value_where_the_bank_looks_for_it():
    data = _file()
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = ElementTree.fromstring(data)
    assert root.tag == f"{{{sepa.NAMESPACE}}}Document"
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert _text(header, "p:MsgId") == "BATCH-2026-11-22"
    assert _text(header, "p:CreDtTm") == "2026-11-22T21:30:05+00:00"
    assert _text(header, "p:NbOfTxs") == "3"
    assert Decimal(_text(header, "p:CtrlSum")) == Decimal("262.56")
    assert _text(header, "p:CtrlSum") == "262.56"
    assert _text(header, "p:InitgPty/p:Nm") == "Wijk-BV De Krim"

    (info,) = root.findall("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert _text(info, "p:PmtInfId") == "BATCH-2026-11-22"
    assert _text(info, "p:PmtMtd") == "TRF"
    assert _text(info, "p:BtchBookg") == "true"
    assert _text(info, "p:NbOfTxs") == "3"
    assert _text(info, "p:CtrlSum") == "262.56"
    assert _text(info, "p:PmtTpInf/p:SvcLvl/p:Cd") == "SEPA"
    assert _text(info, "p:ReqdExctnDt") == "2026-11-24"
    assert _text(info, "p:Dbtr/p:Nm") == "Wijk-BV De Krim"
    assert _text(info, "p:DbtrAcct/p:Id/p:IBAN") == "NL91ABNA0417164300"
    assert _text(info, "p:DbtrAgt/p:FinInstnId/p:BIC") == "ABNANL2A"
    assert _text(info, "p:ChrgBr") == "SLEV"

    transactions = info.findall("p:CdtTrfTxInf", NS)
    expected = [
        (
            "EXP-101",
            "12.50",
            None,
            "Ayse Yilmaz",
            "NL20INGB0001234567",
            "Bonnetje 12 - koffie + thee",
        ),
        (
            "EXP-102",
            "250.05",
            "COBADEFFXXX",
            "Zoe Muller",
            "DE89370400440532013000",
            "Voorschot buurtfeest",
        ),
        ("ADV-7", "0.01", None, "El Amrani", "BE71096123456769", "Verrekening voorschot 7"),
    ]
    assert len(transactions) == len(expected)
    for transaction, (end_to_end, amount, bic, name, iban, remittance) in zip(
        transactions, expected
    ):
        assert _text(transaction, "p:PmtId/p:EndToEndId") == end_to_end
        assert _text(transaction, "p:Amt/p:InstdAmt") == amount
        assert transaction.find("p:Amt/p:InstdAmt", NS).get("Ccy") == "EUR"
        if bic:
            assert _text(transaction, "p:CdtrAgt/p:FinInstnId/p:BIC") == bic
        else:
            assert transaction.find("p:CdtrAgt", NS) is None
        assert _text(transaction, "p:Cdtr/p:Nm") == name
        assert _text(transaction, "p:CdtrAcct/p:Id/p:IBAN") == iban
        assert _text(transaction, "p:RmtInf/p:Ustrd") == remittance


def test_without_a_bic_the_debtor_bank_is_not_provided_and_batch_booking_can_be_off():
    root = ElementTree.fromstring(
        _file(debtor=Party(DEBTOR.name, DEBTOR.iban), batch_booking=False)
    )
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert _text(info, "p:BtchBookg") == "false"
    assert _text(info, "p:DbtrAgt/p:FinInstnId/p:Othr/p:Id") == "NOTPROVIDED"
    assert info.find("p:DbtrAgt/p:FinInstnId/p:BIC", NS) is None


def test_the_control_sum_is_the_exact_sum_of_many_cents():
    payments = [Payment(f"E{n}", Decimal("0.10"), AYSE, "") for n in range(1, 1001)]
    root = ElementTree.fromstring(_file(payments))
    assert _text(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum") == "100.00"
    assert _text(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs") == "1000"
    # An empty description is left out, as the schema allows.
    assert root.find("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/p:RmtInf", NS) is None


def test_the_same_batch_gives_the_same_bytes():
    assert _file() == _file()
    assert _file() != _file(message_id="BATCH-2026-11-23")


@pytest.mark.parametrize(
    ("written", "sent"),
    [
        ("Ayşe Yılmaz", "Ayse Yilmaz"),
        ("Zoë Müller", "Zoe Muller"),
        ("El Amrani", "El Amrani"),
        ("Çağrı Öztürk-Şahin", "Cagri Ozturk-Sahin"),
        ("Straße & Søn", "Strasse + Son"),
        ("Brontë’s café “De Hoek”", "Bronte's cafe 'De Hoek'"),
        ("Ḥasan ʿAbd al-Raḥmān", "Hasan Abd al-Rahman"),
        ("حسن El Amrani", "El Amrani"),
        ("Huur  zaal;\tjuni €40", "Huur zaal, juni 40"),
    ],
)
def test_text_is_brought_into_the_sepa_latin_character_set(written, sent):
    assert sepa.latin(written) == sent


def _refused(payments=None, debtor=DEBTOR, **options):
    with pytest.raises(SepaError) as raised:
        _file(payments, debtor, **options)
    return str(raised.value)


def _one(**changes):
    fields = {
        "end_to_end_id": "E1",
        "amount": Decimal("10.00"),
        "creditor": AYSE,
        "remittance": "x",
    }
    return [Payment(**(fields | changes))]


@pytest.mark.parametrize(
    ("payments", "debtor", "options", "message"),
    [
        ([], DEBTOR, {}, "There is nothing to pay: the batch has no payments."),
        (
            _one(amount=Decimal("0")),
            DEBTOR,
            {},
            "Payment 1: the amount must be more than zero, not 0.",
        ),
        (
            _one(amount=Decimal("-5.00")),
            DEBTOR,
            {},
            "Payment 1: the amount must be more than zero, not -5.00.",
        ),
        (
            _one(amount=Decimal("1.005")),
            DEBTOR,
            {},
            "Payment 1: the amount 1.005 has more than two decimals.",
        ),
        (
            _one(amount=Decimal("1000000000.00")),
            DEBTOR,
            {},
            "Payment 1: the amount 1000000000.00 is more than a bank takes in one transfer.",
        ),
        (_one(amount=10.0), DEBTOR, {}, "Payment 1: the amount 10.0 is not an amount in euros."),
        (
            _one(amount=Decimal("NaN")),
            DEBTOR,
            {},
            "Payment 1: the amount NaN is not an amount in euros.",
        ),
        (
            _one(creditor=Party("Ayşe", "NL20INGB0001234568")),
            DEBTOR,
            {},
            "The IBAN NL20INGB0001234568 for payment 1 is not a valid IBAN.",
        ),
        (
            _one(creditor=Party("Ayşe", "")),
            DEBTOR,
            {},
            "The IBAN  for payment 1 is not a valid IBAN.",
        ),
        (
            _one(creditor=Party("Ayşe", "TR33 0006 1005 1978 6457 8413 26")),
            DEBTOR,
            {},
            "The IBAN TR330006100519786457841326 for payment 1 is from a country outside SEPA; "
            "this file can only pay accounts inside SEPA.",
        ),
        (
            _one(creditor=Party("Ayşe", "NL20INGB0001234567", "INGB")),
            DEBTOR,
            {},
            "The BIC INGB for payment 1 is not a valid BIC.",
        ),
        (
            _one(),
            Party("Wijk-BV", "NL91ABNA0417164301"),
            {},
            "The IBAN NL91ABNA0417164301 for your own account is not a valid IBAN.",
        ),
        (
            _one(creditor=Party("حسن", "NL20INGB0001234567")),
            DEBTOR,
            {},
            "The name for payment 1 is empty or has no letters a bank can print.",
        ),
        (
            _one(creditor=Party("Ä" * 71, "NL20INGB0001234567")),
            DEBTOR,
            {},
            "The name for payment 1 is 71 characters long; a bank takes at most 70.",
        ),
        (
            _one(remittance="ß" * 71),
            DEBTOR,
            {},
            "Payment 1: the description is 142 characters long; a bank takes at most 140.",
        ),
        (_one(end_to_end_id=""), DEBTOR, {}, "The reference of payment 1 is empty."),
        (
            _one(end_to_end_id="E" * 36),
            DEBTOR,
            {},
            f'The reference of payment 1 "{"E" * 36}" is longer than 35 characters.',
        ),
        (
            _one(end_to_end_id="EXP 1"),
            DEBTOR,
            {},
            'The reference of payment 1 "EXP 1" may only hold letters a-z, digits and '
            "/ - ? : ( ) . , ' +, without spaces, and not begin or end with /.",
        ),
        (
            _one(end_to_end_id="Zoë-1"),
            DEBTOR,
            {},
            'The reference of payment 1 "Zoë-1" may only hold letters a-z, digits and '
            "/ - ? : ( ) . , ' +, without spaces, and not begin or end with /.",
        ),
        (
            _one(end_to_end_id="/E1"),
            DEBTOR,
            {},
            'The reference of payment 1 "/E1" may only hold letters a-z, digits and '
            "/ - ? : ( ) . , ' +, without spaces, and not begin or end with /.",
        ),
        (
            _one(),
            DEBTOR,
            {"message_id": "M" * 36},
            f'The message id "{"M" * 36}" is longer than 35 characters.',
        ),
        (_one(), DEBTOR, {"message_id": " "}, "The message id is empty."),
    ],
)
def test_a_bad_batch_is_refused_with_the_reason(payments, debtor, options, message):
    assert _refused(payments, debtor, **options) == message


def test_a_reference_used_twice_is_refused():
    payments = _one() + [Payment("E1", Decimal("2.00"), ZOE, "y")]
    assert _refused(payments) == 'Payment 2: the reference "E1" is used twice in this batch.'


def test_a_refusal_translates_its_message_and_the_name_of_what_it_is_about():
    with pytest.raises(SepaError) as raised:
        _file(_one(creditor=Party("Ayşe", "XX00")))
    dutch = {
        "The IBAN %(iban)s for %(whose)s is not a valid IBAN.": "Het IBAN %(iban)s voor %(whose)s klopt niet.",
        "payment %(number)s": "betaling %(number)s",
    }
    assert (
        raised.value.text(lambda text: dutch.get(text, text))
        == "Het IBAN XX00 voor betaling 1 klopt niet."
    )
    assert raised.value.params["iban"] == "XX00"
