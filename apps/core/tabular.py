"""Reading staff-supplied tables (.xlsx, or .csv in UTF-8 or GBK) row by row.

Importers build on this so that every import reports problems the same way: which row,
which column, why. Row numbers are those a person sees in Excel (header = row 1).
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_ROWS = 200_000


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    message: str

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{'，'.join(where)}：{self.message}" if where else self.message


class ImportRejected(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors[:20]))


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportRejected(
            [RowError(None, "", _("The file is not a valid Excel workbook."))]
        ) from exc
    sheet = workbook.worksheets[0]
    rows = [[_clean(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [[_clean(v) for v in row] for row in csv.reader(io.StringIO(text))]
    raise ImportRejected([RowError(None, "", _("The CSV file is neither UTF-8 nor GBK text."))])


def read_table(data: bytes, filename: str, required: list[str], optional=()) -> Table:
    """Parse a table and check its header row; raise ``ImportRejected`` if unusable."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        raw = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        # An Excel workbook saved under a .csv name is still read as the workbook it is.
        raw = _read_xlsx(data) if data[:4] == b"PK\x03\x04" else _read_csv(data)
    else:
        raise ImportRejected(
            [
                RowError(
                    None,
                    "",
                    _("Upload an .xlsx or .csv file; “%(name)s” is neither.") % {"name": filename},
                )
            ]
        )
    while raw and not any(raw[-1]):
        raw.pop()
    if not raw:
        raise ImportRejected([RowError(None, "", _("The file is empty."))])
    headers = [h.replace(" ", "") for h in raw[0]]
    missing = [c for c in required if c not in headers]
    if missing:
        raise ImportRejected(
            [
                RowError(
                    1,
                    c,
                    _("Required column is missing (found: %(found)s).")
                    % {"found": "、".join(h for h in headers if h) or "—"},
                )
                for c in missing
            ]
        )
    if len(raw) - 1 > MAX_ROWS:
        raise ImportRejected(
            [RowError(None, "", _("The file has more than %(max)d rows.") % {"max": MAX_ROWS})]
        )
    known = set(required) | set(optional)
    table = Table(headers=[h for h in headers if h in known])
    for number, values in enumerate(raw[1:], start=2):
        if not any(values):
            continue
        row = {
            h: (values[i] if i < len(values) else "") for i, h in enumerate(headers) if h in known
        }
        table.rows.append((number, row))
    return table
