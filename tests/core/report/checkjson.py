#!/usr/bin/env python3
"""Validates a JSON report against docs/report-schema.json with the jsonschema package
(Debian: python3-jsonschema). Usage: checkjson.py SCHEMA REPORT. Exits 1 listing every error."""

import json
import sys

import jsonschema


def refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def main(schema_path, report_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f, parse_constant=refuse_constant)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    for error in errors:
        path = "/".join(str(p) for p in error.absolute_path)
        sys.stderr.write(f"/{path}: {error.message}\n")
    if errors:
        sys.exit(1)
    print("valid")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
