"""Error tracking, on when SENTRY_DSN is set: sentry-sdk with its Django and Celery integrations.

Nothing about a student leaves the machine: no request bodies, users, local variables or query
data are collected (`data_collection`, `include_local_variables=False`,
`max_request_body_size="never"`), and `scrub` removes, before sending, every students' field
that could still be there and every private-link token in URLs, messages and breadcrumbs.
"""

from typing import Any

from config.logs import redact

# Every field the app keeps about a student (docs/privacy.md), and what the forms call them.
STUDENT_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "email",
        "link_emailed_to",
        "school",
        "grade",
        "city",
        "state",
        "personal_paragraph",
        "team_code",
        "review_comment",
        "rendered_text",
        "snapshot",
        "sketch",
        "token",
        "name",
        "author",
    }
)
FILTERED = "[Filtered]"


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: FILTERED if str(key).lower() in STUDENT_FIELDS else _scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    if isinstance(value, str):
        return redact(value)
    return value


def scrub(event: dict, hint: dict | None = None) -> dict:
    """Sentry's before_send and before_send_transaction: the event without student data."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "headers", "env"):
            request.pop(key, None)
        if request.get("query_string"):
            request["query_string"] = FILTERED
    event.pop("user", None)
    return _scrub(event)


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    return _scrub(crumb)


def init(dsn: str, *, environment: str = "", traces_sample_rate: float = 0.0) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration(transaction_style="url"), CeleryIntegration()],
        data_collection={
            "user_info": False,
            "http_bodies": [],
            "stack_frame_variables": False,
            "database_query_data": False,
        },
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
        before_send_transaction=scrub,
        before_breadcrumb=scrub_breadcrumb,
    )
