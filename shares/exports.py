"""The register as plain rows, for CSV and JSON: the same columns on the web and in the shell."""

REGISTER_COLUMNS = [
    "member_number",
    "name",
    "address",
    "share_class",
    "count",
    "certificates",
    "acquired_on",
    "paid_up",
    "currency",
]


def register_rows(lines) -> list[dict]:
    return [
        {
            "member_number": line.member_number,
            "name": line.name,
            "address": line.address,
            "share_class": line.share_class,
            "count": line.count,
            "certificates": line.certificates,
            "acquired_on": line.acquired_on.isoformat(),
            "paid_up": f"{line.paid_up.amount:.2f}",
            "currency": line.paid_up.currency.code,
        }
        for line in lines
    ]


def csv_safe(value):
    """A cell a spreadsheet shows as text: a name starting with = + - or @ is not a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
