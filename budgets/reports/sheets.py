"""A report as rows for a spreadsheet, written as CSV or as an Excel workbook (XLSX).

The same rows go into both files. In the CSV, amounts are written as 1500.00 (a point, no
thousands separator), so that any program reads them. In the workbook they are numbers with a
currency format, so they can be added up; the sheet's name, title and headings are in the
reader's language. A text that starts like a formula (=, +, -, @) stays text in both.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import get_currency_symbol
from django.http import HttpResponse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from budgets.reports.books import BalanceSheet, IncomeAndExpenditure, StreamReport
from shares.exports import csv_safe

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters a sheet name may not hold, and its longest length.
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LENGTH = 31


@dataclass
class Sheet:
    """Rows of cells (text, a Decimal amount, or None for empty) under headings. `totals` are
    the indexes of the rows that are totals, shown in bold."""

    name: str
    title: str
    subtitle: str
    headings: list[str]
    currency: str
    file_name: str
    rows: list[list] = field(default_factory=list)
    totals: set[int] = field(default_factory=set)

    def add(self, cells, *, total=False):
        if total:
            self.totals.add(len(self.rows))
        self.rows.append(list(cells))


def _day(day) -> str:
    return date_format(day, "DATE_FORMAT")


def _span(start, end) -> str:
    return _("%(start)s to %(end)s") % {"start": _day(start), "end": _day(end)}


def balance_sheet(report: BalanceSheet, cooperative) -> Sheet:
    sheet = Sheet(
        name=_("Balance sheet"),
        title=f"{_('Balance sheet')} {cooperative.name}",
        subtitle=_("At the end of %(date)s") % {"date": _day(report.on)},
        headings=[_("Part"), _("Code"), _("Account"), _("Amount")],
        currency=report.currency,
        file_name=f"balance-sheet-{cooperative.slug}-{report.on.isoformat()}",
    )
    for section in report.sections:
        for line in section.lines:
            sheet.add([section.title, line.code, line.name, line.amount.amount])
        sheet.add(
            [section.title, "", _("Total %(part)s") % {"part": section.title.lower()}]
            + [section.total.amount],
            total=True,
        )
    sheet.add(["", "", _("Total assets"), report.assets.total.amount], total=True)
    sheet.add(
        ["", "", _("Total liabilities and equity"), report.total_liabilities_and_equity.amount],
        total=True,
    )
    sheet.add(["", "", _("Difference"), report.difference.amount], total=True)
    return sheet


def income_and_expenditure(report: IncomeAndExpenditure, cooperative) -> Sheet:
    sheet = Sheet(
        name=_("Income and expenditure"),
        title=f"{_('Income and expenditure')} {cooperative.name}",
        subtitle=_span(report.start, report.end),
        headings=[_("Part"), _("Code"), _("Account"), _("Amount")],
        currency=report.currency,
        file_name=(
            f"income-and-expenditure-{cooperative.slug}-"
            f"{report.start.isoformat()}-{report.end.isoformat()}"
        ),
    )
    for section in report.sections:
        for line in section.lines:
            sheet.add([section.title, line.code, line.name, line.amount.amount])
        sheet.add(
            [section.title, "", _("Total %(part)s") % {"part": section.title.lower()}]
            + [section.total.amount],
            total=True,
        )
    sheet.add(["", "", _("Result"), report.result.amount], total=True)
    return sheet


def funding_streams(report: StreamReport, cooperative) -> Sheet:
    sheet = Sheet(
        name=_("Funding streams"),
        title=f"{_('Funding streams')} {cooperative.name}",
        subtitle=_span(report.start, report.end),
        headings=[
            _("Funding stream"),
            _("Funder"),
            _("Received"),
            _("Allocated"),
            _("Spent"),
            _("Left in the fund"),
            _("Left in project budgets"),
        ],
        currency=report.currency,
        file_name=(
            f"funding-streams-{cooperative.slug}-"
            f"{report.start.isoformat()}-{report.end.isoformat()}"
        ),
    )
    for line in [*report.lines, report.totals]:
        sheet.add(
            [
                line.name,
                line.stream.funder.name if line.stream else "",
                line.received.amount,
                line.allocated.amount,
                line.spent.amount,
                line.left_in_fund.amount,
                line.left_in_budgets.amount,
            ],
            total=line is report.totals,
        )
    return sheet


def _attachment(response, file_name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _csv_cell(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return csv_safe("" if value is None else value)


def csv_response(sheet: Sheet) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow([csv_safe(heading) for heading in sheet.headings])
    writer.writerows([_csv_cell(value) for value in row] for row in sheet.rows)
    return _attachment(response, f"{sheet.file_name}.csv")


def money_format(currency: str) -> str:
    """Excel's number format for an amount: the currency's sign, thousands, two decimals. The
    separators are the reader's own, as Excel shows them."""
    symbol = get_currency_symbol(currency, locale=translation.to_locale(translation.get_language()))
    return f'"{symbol}" #,##0.00;"{symbol}" -#,##0.00'


def sheet_name(name: str) -> str:
    return _NOT_IN_SHEET_NAME.sub(" ", name)[:_SHEET_NAME_LENGTH].strip() or "Sheet"


def _text(cell, value):
    """Text as text, also when it starts like a formula."""
    cell.value = value
    cell.data_type = "s"


def workbook(sheet: Sheet) -> bytes:
    book = Workbook()
    page = book.active
    page.title = sheet_name(sheet.name)
    bold = Font(bold=True)
    _text(page.cell(row=1, column=1), sheet.title)
    page.cell(row=1, column=1).font = Font(bold=True, size=14)
    _text(page.cell(row=2, column=1), sheet.subtitle)
    header_row = 4
    money = money_format(sheet.currency)
    widths = [len(heading) for heading in sheet.headings]
    for column, heading in enumerate(sheet.headings, start=1):
        cell = page.cell(row=header_row, column=column)
        _text(cell, heading)
        cell.font = bold
    for index, row in enumerate(sheet.rows):
        for column, value in enumerate(row, start=1):
            cell = page.cell(row=header_row + 1 + index, column=column)
            if isinstance(value, Decimal):
                cell.value = value
                cell.number_format = money
                widths[column - 1] = max(widths[column - 1], 14)
            elif value:
                _text(cell, value)
                widths[column - 1] = max(widths[column - 1], len(value))
            if index in sheet.totals:
                cell.font = bold
    for column in range(1, len(sheet.headings) + 1):
        if any(isinstance(row[column - 1], Decimal) for row in sheet.rows):
            page.cell(row=header_row, column=column).alignment = Alignment(horizontal="right")
        page.column_dimensions[get_column_letter(column)].width = min(widths[column - 1] + 2, 60)
    page.freeze_panes = page.cell(row=header_row + 1, column=1)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def xlsx_response(sheet: Sheet) -> HttpResponse:
    response = HttpResponse(workbook(sheet), content_type=XLSX)
    return _attachment(response, f"{sheet.file_name}.xlsx")
