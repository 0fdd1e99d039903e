"""The API's one request parser: DRF's JSON parser, with a cap on nesting depth.

No endpoint takes a body nested more than a few levels, and a deep one (a
thousand `[`) makes the stdlib decoder raise RecursionError, or makes later
recursive code (validation, error rendering) do so: either way a 500 for a
few kilobytes of input. Refuse it as a 400 before any view sees it.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 64


def json_depth(data) -> int:
    """Nesting depth of decoded JSON (a scalar is 0, `[]` and `{}` are 1), without recursion."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((child, depth + 1) for child in value)
    return deepest


class DepthLimitedJSONParser(JSONParser):
    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        message = f"JSON nested deeper than {self.max_depth} levels; flatten the body."
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if json_depth(data) > self.max_depth:
            raise ParseError(message)
        return data
