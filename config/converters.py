"""URL converters."""


class IdConverter:
    """A database id: digits that fit in a 64-bit integer (a longer number is a 404, not a 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class TokenConverter:
    """A private-link token: URL-safe base64 (secrets.token_urlsafe), nothing else reaches a query."""

    regex = "[A-Za-z0-9_-]{16,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
