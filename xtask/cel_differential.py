"""Evaluates CEL expressions with Google's cel-cpp, through PyPI's `cel-expr-python` (pinned by
`cargo xtask cel-differential`, which runs this script in its own virtual environment).

Reads one JSON string (an expression) per line on standard input and writes one JSON object per
line: {"type": "int", "value": "3"}, {"error": "..."} or {"unsupported": "<type>"}. Type checking
is off (`disable_check`), as iamlab evaluates dynamically: `1 == 1.0` is evaluated, not rejected.
"""

import json
import math
import sys

from cel_expr_python import cel


def canonical(value):
    kind = value.type().name().lower()
    raw = value.value()
    if kind == "error":
        return {"error": str(raw)}
    if kind in ("int", "uint"):
        return {"type": kind, "value": str(raw)}
    if kind == "double":
        if math.isnan(raw):
            text = "NaN"
        elif math.isinf(raw):
            text = "inf" if raw > 0 else "-inf"
        else:
            text = repr(raw)
        return {"type": kind, "value": text}
    if kind == "bool":
        return {"type": kind, "value": "true" if raw else "false"}
    if kind == "string":
        return {"type": kind, "value": raw}
    if kind == "null_type":
        return {"type": kind, "value": "null"}
    return {"unsupported": kind}


def main():
    env = cel.NewEnv()
    for line in sys.stdin:
        expression = json.loads(line)
        try:
            result = canonical(env.compile(expression, disable_check=True).eval())
        except Exception as failure:  # a parse error or an evaluation the runtime raises
            result = {"error": str(failure).splitlines()[0]}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
