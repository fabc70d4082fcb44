"""Matching bank lines to open items: each reason and its confidence, competitors, an item booked
once per run, references as people write them, the date window's edges, reversals, and an
answer that does not depend on the order of the items. No database."""

import datetime
from decimal import Decimal

import pytest

from budgets import matching
from budgets.matching import OpenItem, confident
from budgets.statements.model import Entry

DAY = datetime.date(2026, 3, 10)
# RF16SH00000042 is the reference of share subscription 42 (shares.references).
REF_42 = "RF16SH00000042"
REF_43 = "RF86SH00000043"
MEMBER = "NL91ABNA0417164300"
SUPPLIER = "NL20INGB0001234567"


def line(amount, *, remittance="", iban="", end_to_end="", day=DAY):
    return Entry(
        booking_date=day,
        value_date=day,
        amount=Decimal(amount),
        currency="EUR",
        counterparty_iban=iban,
        remittance=remittance,
        end_to_end_id=end_to_end,
    )


def item(key, amount, kind="subscription", **fields):
    return OpenItem(kind=kind, key=key, amount=Decimal(amount), **fields)


def best(lines, items, **options):
    suggestions = matching.match(lines, items, **options)
    top = suggestions[0].matches
    return (top[0].item_key, top[0].confidence, top[0].reason) if top else None


def test_the_references_are_valid():
    assert matching.rf_references(REF_42) == [REF_42]
    assert matching.rf_references(REF_43) == [REF_43]


def test_it_matches_a_reference_with_the_amount_for_certain():
    items = [item("42", "50.00", reference=REF_42)]
    assert best([line("50.00", remittance=f"Aandelen {REF_42}")], items) == ("42", 1.0, "reference")


def test_it_matches_a_reference_with_another_amount_less_surely():
    items = [item("42", "50.00", reference=REF_42)]
    assert best([line("40.00", remittance=REF_42)], items) == ("42", 0.7, "reference")


@pytest.mark.parametrize(
    "remittance",
    [
        "RF16 SH00 0000 42",
        "rf16 sh00 0000 42",
        "Aandelen RF16 SH00 0000 42 bedankt",
        "/RFB/RF16SH00000042/",
        "ref:rf16sh00000042.",
        "RF16 SH00 0000 42 RF86 SH00 0000 43",
    ],
)
def test_it_finds_a_reference_as_people_write_it(remittance):
    items = [item("42", "50.00", reference=REF_42)]
    assert best([line("50.00", remittance=remittance)], items) == ("42", 1.0, "reference")


def test_it_finds_two_references_in_one_description():
    found = matching.rf_references("RF16 SH00 0000 42 RF86 SH00 0000 43")
    assert found == [REF_42, REF_43]


@pytest.mark.parametrize(
    "remittance",
    [
        "RF17 SH00 0000 42",  # a check digit typed wrong
        "RF16 SH00 0000 421",  # the number goes on
        "XRF16SH00000042",  # part of another word
        "RF16SH00000042X",
    ],
)
def test_it_does_not_match_a_reference_that_is_not_the_item_s(remittance):
    items = [item("42", "50.00", reference=REF_42)]
    assert best([line("50.00", remittance=remittance)], items) is None


def test_it_ignores_an_item_reference_with_wrong_check_digits():
    items = [item("42", "50.00", reference="RF17SH00000042")]
    assert best([line("50.00", remittance="RF17SH00000042")], items) is None


def test_it_matches_another_payment_reference_as_a_word():
    items = [item("po_1Abc", "120.00", kind="stripe_payout", reference="po_1Abc")]
    found = best([line("120.00", remittance="STRIPE PO_1ABC payout")], items)
    assert found == ("po_1Abc", 1.0, "reference")


def test_it_matches_our_own_payment_by_its_end_to_end_id():
    items = [item("7", "-35.00", kind="expense", end_to_end_id="WBV-7")]
    assert best([line("-35.00", end_to_end="WBV-7")], items) == ("7", 1.0, "end_to_end")


def test_it_matches_an_end_to_end_id_with_another_amount_less_surely():
    items = [item("7", "-35.00", kind="expense", end_to_end_id="WBV-7")]
    assert best([line("-30.00", end_to_end="WBV-7")], items) == ("7", 0.7, "end_to_end")


def test_it_does_not_match_notprovided_end_to_end_ids():
    items = [item("7", "-35.00", kind="expense", end_to_end_id="NOTPROVIDED")]
    assert best([line("-30.00", end_to_end="NOTPROVIDED")], items) is None


def test_it_matches_a_known_iban_with_the_exact_amount():
    items = [item("c1", "25.00", kind="contribution", ibans=frozenset({MEMBER}))]
    found = best([line("25.00", iban="NL91 ABNA 0417 1643 00")], items)
    assert found == ("c1", 0.9, "iban_amount")


def test_it_does_not_match_a_known_iban_with_another_amount():
    items = [item("c1", "25.00", kind="contribution", ibans=frozenset({MEMBER}))]
    assert best([line("25.01", iban=MEMBER)], items) is None


def test_it_prefers_the_nearest_due_date_among_items_of_one_iban():
    items = [
        item(
            "jan", "25.00", kind="contribution", ibans=frozenset({MEMBER}), due=DAY.replace(month=1)
        ),
        item("mar", "25.00", kind="contribution", ibans=frozenset({MEMBER}), due=DAY),
        item(
            "feb", "25.00", kind="contribution", ibans=frozenset({MEMBER}), due=DAY.replace(month=2)
        ),
    ]
    [suggestions] = matching.match([line("25.00", iban=MEMBER)], items)
    assert [(m.item_key, m.confidence) for m in suggestions.matches] == [
        ("mar", 0.8),
        ("feb", 0.7),
        ("jan", 0.7),
    ]
    assert confident(suggestions) is None


def test_it_matches_amount_and_date_of_the_only_item():
    items = [item("a1", "-80.00", kind="advance", due=DAY)]
    assert best([line("-80.00", iban=SUPPLIER)], items) == ("a1", 0.6, "amount_date")


def test_it_matches_amount_and_date_of_several_items_less_surely():
    items = [
        item("a1", "-80.00", kind="advance", due=DAY + datetime.timedelta(days=3)),
        item("a2", "-80.00", kind="advance", due=DAY - datetime.timedelta(days=1)),
    ]
    [suggestions] = matching.match([line("-80.00")], items)
    assert [(m.item_key, m.confidence, m.reason) for m in suggestions.matches] == [
        ("a2", 0.5, "amount_date"),
        ("a1", 0.5, "amount_date"),
    ]


@pytest.mark.parametrize("days, found", [(10, True), (-10, True), (11, False), (-11, False)])
def test_the_date_window_includes_its_edges(days, found):
    items = [item("s1", "900.00", kind="stripe_payout", due=DAY + datetime.timedelta(days=days))]
    assert (best([line("900.00")], items) is not None) is found


def test_the_date_window_can_be_narrowed():
    items = [item("s1", "900.00", kind="stripe_payout", due=DAY + datetime.timedelta(days=3))]
    assert best([line("900.00")], items, date_window_days=2) is None


def test_it_does_not_match_amount_and_date_without_a_due_date():
    assert best([line("-80.00")], [item("a1", "-80.00", kind="advance")]) is None


def test_an_item_of_a_known_iban_is_not_counted_again_by_amount_and_date():
    items = [
        item("c1", "25.00", kind="contribution", ibans=frozenset({MEMBER}), due=DAY),
        item("a1", "25.00", kind="stream_receipt", due=DAY),
    ]
    [suggestions] = matching.match([line("25.00", iban=MEMBER)], items)
    assert [(m.item_key, m.confidence, m.reason) for m in suggestions.matches] == [
        ("c1", 0.9, "iban_amount"),
        ("a1", 0.6, "amount_date"),
    ]


def test_an_item_keeps_its_best_reason():
    items = [item("42", "50.00", reference=REF_42, ibans=frozenset({MEMBER}), due=DAY)]
    [suggestions] = matching.match([line("50.00", remittance=REF_42, iban=MEMBER)], items)
    assert [(m.confidence, m.reason) for m in suggestions.matches] == [(1.0, "reference")]


def test_a_line_that_pays_nothing_gets_no_suggestion():
    [suggestions] = matching.match([line("13.37", remittance="Bakker")], [item("1", "50.00")])
    assert suggestions.matches == ()
    assert confident(suggestions) is None


def test_it_gives_at_most_three_suggestions():
    items = [item(f"s{n}", "900.00", kind="stripe_payout", due=DAY) for n in range(5)]
    [suggestions] = matching.match([line("900.00")], items)
    assert len(suggestions.matches) == matching.MAX_SUGGESTIONS


def test_a_sure_match_alone_is_confident():
    items = [item("42", "50.00", reference=REF_42), item("x", "50.00", kind="advance", due=DAY)]
    [suggestions] = matching.match([line("50.00", remittance=REF_42)], items)
    assert confident(suggestions) == suggestions.matches[0]
    assert confident(suggestions).confidence >= matching.AUTO_BOOK


def test_a_match_below_auto_book_is_not_confident():
    [suggestions] = matching.match(
        [line("40.00", remittance=REF_42)], [item("42", "50.00", reference=REF_42)]
    )
    assert confident(suggestions) is None


def test_two_matches_equally_sure_are_not_confident():
    items = [
        item("42", "50.00", reference=REF_42),
        item("9", "50.00", kind="expense", end_to_end_id="WBV-9"),
    ]
    [suggestions] = matching.match([line("50.00", remittance=REF_42, end_to_end="WBV-9")], items)
    assert [m.confidence for m in suggestions.matches] == [1.0, 1.0]
    assert confident(suggestions) is None


def test_two_items_with_one_reference_are_not_confident():
    items = [item("42", "50.00", reference=REF_42), item("42b", "50.00", reference=REF_42)]
    [suggestions] = matching.match([line("50.00", remittance=REF_42)], items)
    assert confident(suggestions) is None


def test_an_item_is_booked_once_the_earliest_line_first():
    items = [item("42", "50.00", reference=REF_42)]
    later = line("50.00", remittance=REF_42, day=DAY + datetime.timedelta(days=1))
    earlier = line("50.00", remittance=REF_42, day=DAY)
    first, second = matching.match([later, earlier], items)
    assert confident(first) is None
    assert first.claimed_by == 1
    assert first.matches[0].item_key == "42"  # still shown, for the treasurer to refund
    assert confident(second).item_key == "42"
    assert second.claimed_by is None


def test_an_item_paid_twice_on_one_day_goes_to_the_first_line():
    items = [item("42", "50.00", reference=REF_42)]
    first, second = matching.match([line("50.00", remittance=REF_42)] * 2, items)
    assert confident(first).item_key == "42"
    assert confident(second) is None
    assert second.claimed_by == 0


def test_items_of_different_kinds_with_one_key_are_different_items():
    items = [
        item("7", "50.00", reference=REF_42),
        item("7", "-35.00", kind="expense", end_to_end_id="WBV-7"),
    ]
    one, two = matching.match(
        [line("50.00", remittance=REF_42), line("-35.00", end_to_end="WBV-7")], items
    )
    assert confident(one).kind == "subscription"
    assert confident(two).kind == "expense"


def test_a_reversal_matches_its_item_but_not_confidently():
    items = [item("42", "50.00", reference=REF_42)]
    reversal = Entry(
        booking_date=DAY,
        value_date=DAY,
        amount=Decimal("-50.00"),
        currency="EUR",
        remittance=REF_42,
        reversal=True,
    )
    [suggestions] = matching.match([reversal], items)
    assert [(m.confidence, m.reason) for m in suggestions.matches] == [(0.7, "reference")]
    assert confident(suggestions) is None


def test_money_out_matches_only_items_of_money_out():
    items = [
        item("in", "80.00", kind="stream_receipt", due=DAY),
        item("out", "-80.00", kind="advance", due=DAY),
    ]
    assert best([line("-80.00")], items) == ("out", 0.6, "amount_date")
    assert best([line("80.00")], items) == ("in", 0.6, "amount_date")


def test_the_answer_does_not_depend_on_the_order_of_the_items():
    items = [
        item("42", "50.00", reference=REF_42, due=DAY),
        item("43", "50.00", reference=REF_43, due=DAY),
        item("c1", "25.00", kind="contribution", ibans=frozenset({MEMBER}), due=DAY),
        item("c2", "25.00", kind="contribution", ibans=frozenset({MEMBER}), due=DAY),
        item("a1", "50.00", kind="advance", due=DAY - datetime.timedelta(days=2)),
        item("a2", "50.00", kind="advance", due=DAY + datetime.timedelta(days=2)),
        item("e1", "-35.00", kind="expense", end_to_end_id="WBV-1"),
    ]
    lines = [
        line("50.00", remittance=REF_42),
        line("50.00"),
        line("25.00", iban=MEMBER),
        line("-35.00", end_to_end="WBV-1"),
        line("50.00", remittance=REF_42),
    ]
    expected = matching.match(lines, items)
    for shift in range(1, len(items)):
        assert matching.match(lines, items[shift:] + items[:shift]) == expected
    assert matching.match(lines, items[::-1]) == expected


def test_every_reason_has_a_description():
    assert set(matching.REASONS) == {
        "reference",
        "end_to_end",
        "iban_amount",
        "amount_date",
        "payer",
    }


FUNDER = "NL39RABO0300065264"


def stream(key="7", expected="5000.00", iban=FUNDER):
    return item(key, expected, kind="stream", ibans=frozenset({iban}), up_to=True)


def test_it_matches_money_from_a_funders_account_up_to_what_the_stream_expects():
    assert best([line("1250.00", iban=FUNDER)], [stream()]) == ("7", 0.9, "payer")
    assert best([line("5000.00", iban=FUNDER)], [stream()]) == ("7", 0.9, "payer")


def test_it_only_suggests_more_money_than_the_stream_expects():
    (found,) = matching.match([line("5000.01", iban=FUNDER)], [stream()])
    assert (found.matches[0].confidence, found.matches[0].reason) == (0.6, "payer")
    assert confident(found) is None


def test_it_ignores_money_going_to_a_funders_account():
    assert best([line("-100.00", iban=FUNDER)], [stream()]) is None


def test_it_does_not_book_for_one_of_two_streams_of_one_funder():
    (found,) = matching.match([line("100.00", iban=FUNDER)], [stream("7"), stream("8")])
    assert [m.item_key for m in found.matches] == ["7", "8"]
    assert confident(found) is None


def test_several_lines_may_pay_one_stream_in_one_run():
    found = matching.match(
        [line("100.00", iban=FUNDER), line("200.00", iban=FUNDER, day=DAY)], [stream()]
    )
    assert [confident(each).item_key for each in found] == ["7", "7"]
    assert found[1].claimed_by is None


def test_a_funders_account_is_not_matched_by_amount_as_a_known_iban():
    # The stream's amount is what it still expects, not a payment due.
    assert best([line("-5000.00", iban=FUNDER)], [stream()]) is None
