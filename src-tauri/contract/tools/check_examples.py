#!/usr/bin/env python3
"""Checks that openapi.yaml is a valid OpenAPI 3.1 document and that every example conforms to it.

Needs: pip install pyyaml jsonschema openapi-spec-validator. Run: python3 check_examples.py
The Markdown stays normative; this only catches drift between the three artefacts.
"""
import glob
import json
import os

import jsonschema
import yaml
from openapi_spec_validator import validate

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
spec = yaml.safe_load(open(os.path.join(HERE, "openapi.yaml"), encoding="utf-8"))
validate(spec)
schemas = spec["components"]["schemas"]


def check(name, path):
    instance = json.load(open(path, encoding="utf-8"))
    schema = {"$ref": f"#/components/schemas/{name}", "components": {"schemas": schemas}}
    jsonschema.Draft202012Validator(schema).validate(instance)


ex = lambda pattern: sorted(glob.glob(os.path.join(HERE, "examples", pattern)))  # noqa: E731
# Which schema the examples of each file pattern conform to.
SCHEMA_OF = [
    ("record-*.json", "Record"),
    ("batch-request*.json", "BatchRequest"),
    ("batch-response*.json", "BatchResponse"),
    ("archive-anchor*.json", "ArchiveAnchor"),
    ("problem-*.json", "Problem"),
]
checked = 0
for pattern, name in SCHEMA_OF:
    for path in ex(pattern):
        check("RecordStatus" if path.endswith("record-status.json") else name, path)
        checked += 1
print(f"openapi.yaml valid; {checked} examples conform")
