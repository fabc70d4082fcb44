"""The audit file reads one snapshot of the book: a booking committed while the file is being
written is in neither its totals nor its transactions, so the totals at the top always match."""

import datetime
from xml.etree import ElementTree as ET

import pytest

from wijkbv.ledger import xaf
from wijkbv.ledger.tests.test_xaf import _book, _post
from wijkbv.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NS = {"x": xaf.NAMESPACE}


def test_a_booking_made_while_the_file_is_written_is_left_out_whole(hood):
    _book(hood)
    pieces = xaf.export(hood.cooperative, 2026)
    written = []
    for piece in pieces:
        written.append(piece)
        if piece.startswith(b"<transactions>"):
            break

    def book(number):
        _post(hood, datetime.date(2026, 4, 1), "9.99", "4200", "1000", f"Tussendoor {number}")

    refused, failures = race(book, 2)
    written.extend(pieces)

    assert not refused and not failures
    section = ET.fromstring(b"".join(written)).find("x:company/x:transactions", NS)
    lines = section.findall("x:journal/x:transaction/x:trLine", NS)
    assert section.find("x:linesCount", NS).text == str(len(lines)) == "6"
    assert b"Tussendoor" not in b"".join(written)
    assert b"Tussendoor" in b"".join(xaf.export(hood.cooperative, 2026))
