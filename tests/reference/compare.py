#!/usr/bin/python3
"""compare.py: compares two score documents (docs/reference/outputs.md JSON) as numbers.

    compare.py EXPECTED.json ACTUAL.json [--tolerance 1e-9] [--strict]

Lists every difference, one per line, with its path (list elements that
carry a "code" or "id" show it, e.g. `townships[3:05].indicators[1:sex_ratio].score`),
and exits 1 when there is any, 0 when the documents agree. Numbers agree
within the tolerance (relative to their size, absolute below 1); booleans
are not numbers. Keys that ACTUAL has and EXPECTED lacks are allowed (docs/reference/outputs.md:
readers ignore keys they do not know) unless --strict.
"""

import argparse
import json
import sys


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def describe(x):
    return json.dumps(x, ensure_ascii=False)


def element_label(index, item):
    if isinstance(item, dict):
        for key in ("code", "id"):
            if isinstance(item.get(key), str):
                return f"{index}:{item[key]}"
    return str(index)


def compare(expected, actual, path, tol, strict, out):
    if is_number(expected) and is_number(actual):
        if abs(expected - actual) > tol * max(1.0, abs(expected), abs(actual)):
            out.append(f"{path}: expected {describe(expected)}, got {describe(actual)}")
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing (expected {describe(value)})")
            else:
                compare(value, actual[key], f"{path}.{key}", tol, strict, out)
        if strict:
            for key in actual:
                if key not in expected:
                    out.append(f"{path}.{key}: unexpected key (got {describe(actual[key])})")
        return
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            out.append(f"{path}: expected {len(expected)} elements, got {len(actual)}")
        for i, (e, a) in enumerate(zip(expected, actual)):
            compare(e, a, f"{path}[{element_label(i, e)}]", tol, strict, out)
        return
    if type(expected) is not type(actual) or expected != actual:
        out.append(f"{path}: expected {describe(expected)}, got {describe(actual)}")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("expected")
    p.add_argument("actual")
    p.add_argument("--tolerance", type=float, default=1e-9)
    p.add_argument("--strict", action="store_true")
    args = p.parse_args(argv)
    docs = []
    for name in (args.expected, args.actual):
        try:
            with open(name, encoding="utf-8") as f:
                docs.append(json.load(f))
        except (OSError, ValueError) as e:
            print(f"{name}: not a JSON document: {e}")
            return 2
    differences = []
    compare(docs[0], docs[1], "$", args.tolerance, args.strict, differences)
    for line in differences:
        print(line)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
