#!/usr/bin/env python3
"""Reads every CSV file of a report folder with Python's csv module and prints them as JSON,
{"servers.csv": [["server", ...], [...]], ...}. Exits 1 with the reason on stderr when a file is
not what RFC 4180 and docs/reports.md promise: not UTF-8, a parse error (strict mode), rows of
different widths, or any difference from writing the parsed rows back with CRLF line ends and
minimal quoting (so every line end is CRLF and every quote is needed and doubled)."""

import csv
import io
import json
import os
import sys


def fail(name, why):
    sys.stderr.write(f"{name}: {why}\n")
    sys.exit(1)


def read(folder):
    tables = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(folder, name), "rb") as f:
            raw = f.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            fail(name, f"not UTF-8: {e}")
        if text.startswith("\ufeff"):
            fail(name, "starts with a byte order mark")
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as e:
            fail(name, f"csv: {e}")
        if not rows:
            fail(name, "no header row")
        for i, row in enumerate(rows):
            if len(row) != len(rows[0]):
                fail(name, f"row {i} has {len(row)} fields, the header {len(rows[0])}")
        again = io.StringIO(newline="")
        csv.writer(again, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
        if again.getvalue() != text:
            written = again.getvalue()
            at = next((i for i, (a, b) in enumerate(zip(text, written)) if a != b),
                      min(len(text), len(written)))
            fail(name, f"differs from RFC 4180 minimal quoting at character {at}: "
                       f"{text[max(0, at - 20):at + 20]!r} vs {written[max(0, at - 20):at + 20]!r}")
        tables[name] = rows
    return tables


if __name__ == "__main__":
    json.dump(read(sys.argv[1]), sys.stdout, ensure_ascii=True)
