"""CSV for French spreadsheets: UTF-8 with BOM, ';' separator, formula injection neutralised.

Every CSV the platform writes goes through csv_bytes: text that a spreadsheet would run as a formula gets a leading
quote, and numbers stay numbers (a negative number of days left is -334, not the text '-334).
"""
import csv
import io
from decimal import Decimal

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell a spreadsheet will not execute and reads as what it is.

    Numbers (int, float, Decimal) are written as numbers, with the decimal comma French spreadsheets read;
    text starting with = + - @ (or tab, CR) gets a leading quote; None is an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_PREFIXES) else text


def csv_bytes(header, rows):
    """The header row and the rows (lists of cells; an empty list is a blank line) as the bytes of a CSV file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
