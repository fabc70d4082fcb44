"""`manage.py export_xaf`: the audit file of a year to a file or to standard output."""

import datetime
import io
from xml.etree import ElementTree as ET

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from wijkbv.ledger import xaf
from wijkbv.ledger.tests.test_xaf import _book

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founded_in_2026")]


def test_it_writes_the_year_to_a_file(hood, tmp_path):
    _book(hood)
    target = tmp_path / "teststad-2026.xaf"

    call_command(
        "export_xaf",
        "--cooperative",
        "teststad",
        "--year",
        "2026",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )

    root = ET.parse(target).getroot()
    assert root.find(f"{{{xaf.NAMESPACE}}}header/{{{xaf.NAMESPACE}}}fiscalYear").text == "2026"
    assert not (tmp_path / "teststad-2026.xaf.partial").exists()


def test_without_output_it_writes_to_standard_output(hood):
    out = io.StringIO()

    call_command("export_xaf", "--cooperative", "teststad", "--year", "2026", stdout=out)

    assert ET.fromstring(out.getvalue().encode()).tag == f"{{{xaf.NAMESPACE}}}auditfile"


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--cooperative", "nergens", "--year", "2026"], "there is no cooperative 'nergens'"),
        (["--cooperative", "teststad", "--year", "twee"], "Choose a year of the books"),
        (["--cooperative", "teststad", "--year", "1999"], "Choose a year of the books"),
    ],
)
def test_bad_arguments_are_refused_and_no_file_is_written(hood, tmp_path, arguments, message):
    target = tmp_path / "out.xaf"

    with pytest.raises(CommandError, match=message):
        call_command("export_xaf", *arguments, "--output", str(target))

    assert list(tmp_path.iterdir()) == []


def test_a_file_that_cannot_be_written_is_refused(hood, tmp_path):
    target = tmp_path / "missing-folder" / "out.xaf"

    with pytest.raises(CommandError, match="cannot write"):
        call_command(
            "export_xaf", "--cooperative", "teststad", "--year", "2026", "--output", str(target)
        )

    assert not target.parent.exists()


def test_the_created_date_is_today(hood, tmp_path):
    target = tmp_path / "out.xaf"

    call_command(
        "export_xaf",
        "--cooperative",
        "teststad",
        "--year",
        "2026",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )

    created = (
        ET.parse(target).getroot().find(f"{{{xaf.NAMESPACE}}}header/{{{xaf.NAMESPACE}}}dateCreated")
    )
    assert datetime.date.fromisoformat(created.text) == timezone.localdate()
