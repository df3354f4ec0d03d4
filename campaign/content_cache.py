"""What only editors change, rendered once and kept in the cache until they change it.

The campaign page's content (its facts, recommendation lists and addressees) and the compose
form's facts and recommendation blocks are the same for every student: they change only when an
administrator or coordinator saves a campaign, a template, a fact, a source, a recommendation
list or item, an official, a term of office or a reply (replies.apps). Each such save
(post_save, post_delete and m2m_changed, connected in `connect`), and `manage.py migrate` (whose
data migrations send no signal: campaign.apps), moves one site-wide *content version* on, and
every cache key below holds that version, so the next request renders afresh: no page is stale
after an edit, and nothing has to know which pages an edit touched. Editors save rarely;
students read often.

A key also holds the language of the page and today's date (who holds an office, and whether a
campaign is open, follow the calendar). Nothing per student is ever cached here: no form value,
no CSRF token, no message.

The campaign and home pages' *figures* (letters toward the goal, letters sent, replies received)
change as students submit and workers send, several times a second on deadline day: they are
kept for CAMPAIGN_FIGURES_SECONDS (10 s) under the same keys, so a page shows a count at most
that old, and the database counts a national campaign's letters once in that time for each page
language rather than on every view. An editor's change (the goal, the paper letters, a reply
recorded or deleted) renews the version and shows at once, as every edit does.

The cache is Django's: Redis in production (CACHE_URL), shared by every web process, so one
editor's save is seen by all of them; each process's memory in development and tests.

Within one request the version, and each block, is asked of the cache once (`_reads`): a
compose submit asked for the version eight times and for the same three blocks twice or three
times, each a round trip to Redis. A request that saves an edit (`bump`) reads afresh after it;
outside a request (a Celery task, a management command) every call asks the cache.
"""

import logging
import pickle
import secrets
import time

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

from config.cache_errors import UNREACHABLE

logger = logging.getLogger(__name__)


VERSION_KEY = "content-version"
#: Long enough for the busy hours, short enough that an orphaned version's entries go.
TIMEOUT = 24 * 60 * 60

#: The models whose saves bump the version (letters.apps adds LetterTemplate: campaign never
#: imports letters).
_watched: set[type] = set()


#: After the cache failed once, this process leaves it alone for this long (a Redis that times
#: out rather than refusing would otherwise cost every call its connect timeout).
DOWN_SECONDS = 30
_down_until = 0.0
#: An editor's save this process could not tell the cache about: told as soon as it is back.
_bump_pending = False


def available() -> bool:
    """Whether this process uses the cache now (not within DOWN_SECONDS of a failure)."""
    return time.monotonic() >= _down_until


def _unreachable(error: Exception, doing: str) -> None:
    global _down_until
    _down_until = time.monotonic() + DOWN_SECONDS
    logger.warning(
        "The cache is unreachable (%s), left alone for %ss: %s", doing, DOWN_SECONDS, error
    )


#: What the current request has read of the cache (`_reads`): the version under VERSION_KEY, each
#: block under its key as pickled bytes (a caller may change the object it gets, as it may one
#: from the cache itself). Nothing outside a request.
_request = Local()


def _reads() -> dict | None:
    return getattr(_request, "reads", None)


def _request_started(**kwargs) -> None:
    _request.reads = {}


def _request_finished(**kwargs) -> None:
    _request.reads = None


def _forget_reads() -> None:
    """The content changed in this request (an edit, or one renewed after an outage): what it
    read before is out of date."""
    if (reads := _reads()) is not None:
        reads.clear()


request_started.connect(_request_started, dispatch_uid="content-cache-request-started")
request_finished.connect(_request_finished, dispatch_uid="content-cache-request-finished")


def _renew_version() -> None:
    global _bump_pending
    cache.set(VERSION_KEY, secrets.token_hex(6), timeout=None)
    _bump_pending = False


def call(operation, *args, default=None, **kwargs):
    """`operation(*args, **kwargs)` on the cache, or `default` when the cache is unreachable
    (now, or failed within DOWN_SECONDS): callers then do without it, never fail."""
    if not available():
        return default
    try:
        if _bump_pending and operation is not _renew_version:
            _forget_reads()
            _renew_version()
            logger.info("The content cache is renewed for an edit made while it was unreachable")
        return operation(*args, **kwargs)
    except UNREACHABLE as error:
        _unreachable(error, getattr(operation, "__name__", "a call"))
        return default


def version() -> str:
    """The content version now (a random token; a new one on each editor's save): asked of the
    cache once a request."""
    reads = _reads()
    if reads is not None and VERSION_KEY in reads:
        return reads[VERSION_KEY]
    return _settled_version(cache.get(VERSION_KEY), reads)


def version_and(other_key: str) -> tuple[str, object]:
    """The content version and what the cache holds under `other_key` (None: nothing), in one
    round trip when the request has not read the version yet (a draft's preview and PDF read
    the version to check the stamp of the snapshot they read)."""
    reads = _reads()
    if reads is not None and VERSION_KEY in reads:
        return reads[VERSION_KEY], cache.get(other_key)
    found = cache.get_many([VERSION_KEY, other_key])
    return _settled_version(found.get(VERSION_KEY), reads), found.get(other_key)


def _settled_version(current: str | None, reads: dict | None) -> str:
    """The version the cache held (`current`), or the first one written when it held none;
    kept for the rest of the request."""
    if current is None:
        current = secrets.token_hex(6)
        # add, not set: two processes that both found none agree on the first one written.
        if not cache.add(VERSION_KEY, current, timeout=None):
            current = cache.get(VERSION_KEY) or current
    if reads is not None:
        reads[VERSION_KEY] = current
    return current


def bump() -> None:
    """Every cached block is out of date: the next request renders afresh.

    An editor's save still succeeds when the cache cannot be reached: this process renews the
    version at its first call once the cache is back (a Redis that kept its data would otherwise
    serve the blocks of before the edit), and meanwhile renders every block afresh."""
    global _bump_pending
    _bump_pending = True
    _forget_reads()
    call(_renew_version)  # now, unless the cache is unreachable
    if _bump_pending:
        logger.error(
            "The content cache could not be renewed after an edit: renewed once it is back"
        )


def key(kind: str, *parts) -> str:
    """A cache key for `kind` of block: the content version, the page's language, the day."""
    language = (translation.get_language() or "en")[:2]
    day = timezone.localdate().isoformat()
    return ":".join(["content", kind, version(), language, day, *map(str, parts)])


def cached(kind: str, *parts, render, timeout: int = TIMEOUT):
    """The block `kind` for `parts`, from the cache, or `render()` kept there for `timeout`
    seconds (0: not kept). With the cache unreachable, every request renders the block itself:
    slower, never an error page. `render()` returning None is never kept."""
    if timeout <= 0:
        return render()
    cache_key = call(key, kind, *parts)
    reads = _reads()
    if reads is not None and cache_key in reads:
        return pickle.loads(reads[cache_key])  # noqa: S301 (pickled above, in this process)
    found = None if cache_key is None else call(cache.get, cache_key)
    if found is None:
        found = render()
        if cache_key is not None and found is not None:
            call(cache.set, cache_key, found, timeout=timeout)
    if reads is not None and cache_key is not None and found is not None:
        reads[cache_key] = pickle.dumps(found, pickle.HIGHEST_PROTOCOL)
    return found


def figures(kind: str, *parts, count):
    """A campaign page's figure `kind` for `parts` (a count of letters, the replies): `count()`,
    kept for CAMPAIGN_FIGURES_SECONDS under the content version (module docstring)."""
    return cached(kind, *parts, render=count, timeout=settings.CAMPAIGN_FIGURES_SECONDS)


def _bump_now_and_on_commit() -> None:
    # Now, and again once the editor's transaction commits: a page rendered in between (from the
    # rows as they were before the commit) would otherwise be kept under the new version.
    bump()
    transaction.on_commit(bump)


def _saved(sender, **kwargs) -> None:
    _bump_now_and_on_commit()


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and type(instance) in _watched:
        _bump_now_and_on_commit()


def connect(*models: type) -> None:
    """Bump the version whenever one of `models` is saved, deleted or its relations changed."""
    for model in models:
        _watched.add(model)
        uid = f"content-version-{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_saved, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_m2m_changed, dispatch_uid="content-version-m2m")
