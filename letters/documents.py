"""The PDFs the app keeps: a student's letter, a final letter to each official, and a batch's
print pack.

pdf.py turns HTML into bytes; this module decides what is rendered and stores it, through
Django's storage API only (STORAGES["default"]: the file system, or S3-compatible object storage),
never a path. A final letter is rendered once per official and reused by every email, retry and
print pack. A student's PDF is rendered once for each version of their letter (by the worker when
they submit, or on the first download, behind a per-letter lock) and then read from storage: a
repeat download costs no render, and a page request never waits behind another's render.
"""

import hashlib
import io
import logging
import time
from collections import Counter
from collections.abc import Iterable

from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfWriter
from redis.exceptions import TimeoutError as RedisTimeoutError

from campaign import content_cache
from campaign.models import Addressee, Official
from config.cache_errors import redis_client
from letters import pdf, rendering
from letters.models import Batch, Delivery, Letter, LetterPdf

logger = logging.getLogger(__name__)

#: A student's PDFs, one folder per letter: `letter-downloads/<letter id>/<digest>.pdf`.
DOWNLOADS = "letter-downloads"
#: How long another request waits for a render already under way before rendering itself.
RENDER_WAIT_SECONDS = 30
RENDER_LOCK_SECONDS = 120
#: How long after a save a download waits for the worker's render before rendering itself.
QUEUED_WAIT_SECONDS = 15
#: A waiting download is woken when its file is stored (with Redis as the cache); it also looks at
#: storage and the marks this often, in case nothing wakes it.
WAKE_SECONDS = 1.0
#: How long a file's announcement is kept after it was made, or last taken by a waiting download,
#: for a download that starts waiting after it.
READY_SECONDS = 60


def _read(storage, name: str) -> bytes | None:
    """The stored file's bytes, or None when it is not (or no longer) there."""
    try:
        if not storage.exists(name):
            return None
        with storage.open(name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def letter_pdf_for(letter: Letter, official: Official) -> bytes:
    """The PDF of `letter` to `official`: read from storage, or rendered once and stored."""
    stored = LetterPdf.objects.filter(letter=letter, official=official).first()
    if stored is not None:
        content = _read(stored.file.storage, stored.file.name)
        if content is not None:
            return content
        stored.delete()
    content = rendering.letter_pdf(rendering.render_letter(letter, official_id=official.pk))
    record = LetterPdf(letter=letter, official=official)
    record.file.save("letter.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # Another worker stored it first: keep theirs, drop ours.
        record.file.delete(save=False)
    return content


def _download_name(letter: Letter, rendered: rendering.RenderedLetter, html: list[str]) -> str:
    """Where this version of the letter's PDF is kept: named by a digest of what it prints (the
    HTML of each page, `html` from rendering.letter_documents, and the page size), so an edit, or
    a draft's new date, is a new file."""
    digest = hashlib.sha256(rendered.page_size.encode())
    for document in html:
        digest.update(b"\0" + document.encode())
    return f"{DOWNLOADS}/{letter.pk}/{digest.hexdigest()[:40]}.pdf"


def _download_files(letter_id: int) -> list[str]:
    folder = f"{DOWNLOADS}/{letter_id}"
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files]


def _complete(content: bytes | None) -> bytes | None:
    """The PDF, if the whole file is there: a file system store writes it in chunks, and a
    reader must never serve the first of them."""
    if content is None or not content.startswith(b"%PDF-") or b"%%EOF" not in content[-1024:]:
        return None
    return content


def _read_download(name: str) -> bytes | None:
    return _complete(_read(default_storage, name))


def _queued_key(letter_id: int) -> str:
    return f"letter-pdf-queued:{letter_id}"


def _version(letter: Letter) -> str:
    return letter.updated_at.isoformat() if letter.updated_at else ""


def letter_download_queued(letter: Letter) -> None:
    """The worker was asked to render this version of the letter's PDF (letters.services, as a
    save commits): for QUEUED_WAIT_SECONDS a download waits for its file rather than rendering it
    in the web process. The worker clears the mark when it is done with this version (a task for
    an earlier version leaves a later save's mark alone); a worker that is down leaves it to
    expire, and the download then renders the PDF itself."""
    content_cache.call(
        cache.set, _queued_key(letter.pk), _version(letter), timeout=QUEUED_WAIT_SECONDS
    )


def _redis():
    """The Redis client behind Django's cache, when it is Redis and reachable (None otherwise)."""
    if not content_cache.available():
        return None
    return redis_client(caches["default"])


def _ready_key(name: str) -> str:
    return caches["default"].make_and_validate_key(f"letter-pdf-ready:{name}")


def _announce(name: str) -> None:
    """Wake the downloads waiting for the file `name`: it is stored, or its render has ended
    without it (they then look at storage and the marks again). One element in a Redis list,
    kept for READY_SECONDS, so a download that starts waiting just after this still finds it."""
    if (client := _redis()) is not None:
        content_cache.call(_arm, client, _ready_key(name))


def _arm(client, key: str) -> None:
    client.pipeline().rpush(key, 1).ltrim(key, 0, 0).expire(key, READY_SECONDS).execute()


def _announced(name: str, seconds: float) -> bool | None:
    """Whether the file `name` is announced (`_announce`: in the last READY_SECONDS, or within
    `seconds` from now): a blocking pop in Redis, which costs the web process nothing while it
    waits and wakes it at once. None without Redis (another cache, or Redis unreachable): the
    caller sleeps instead."""
    if (client := _redis()) is None:
        return None
    key = _ready_key(name)

    def pop() -> bool:
        try:
            # Never 0, which Redis takes for "for ever".
            popped = client.blpop([key], timeout=max(seconds, 0.01))
        except RedisTimeoutError:
            # The answer took longer than the client's socket timeout (a Redis stalled by a fork
            # or a slow disk): a sleep with no wake-up, not a cache to leave alone for a while.
            return False
        if popped is None:
            return False
        _arm(client, key)  # put back, for the other downloads waiting for the same file
        return True

    return content_cache.call(pop)


def _wait_for_file(name: str, key: str, seconds: float, every: float) -> bytes | None:
    """The stored file, once whole, while `key` is in the cache (the worker's queued mark, or
    another request's render lock); what is stored when the key goes; None after `seconds`.

    Between looks at storage it waits for the file's announcement, at most WAKE_SECONDS, so a
    mark that expires, or a worker gone, is noticed all the same. Without Redis, or once an
    announcement came and no file with it (a render that failed, a letter deleted meanwhile), it
    looks every `every` seconds instead."""
    deadline = time.monotonic() + seconds
    blocking = True
    while (left := deadline - time.monotonic()) > 0:
        content = _read_download(name)
        if content is not None:
            return content
        if content_cache.call(cache.get, key) is None:
            return _read_download(name)
        woken = _announced(name, min(left, WAKE_SECONDS)) if blocking else None
        if woken is None:
            time.sleep(min(every, left))
        blocking = woken is False
    return None


def letter_download_pdf(letter: Letter, *, by_worker: bool = False) -> bytes:
    """The student's PDF of their letter as it reads now: from storage, or rendered once.

    One render per version of the letter, whoever asks, and by the worker where it can: a
    download that finds the worker asked to render it (letter_download_queued) waits for the
    file, so the web's processes serve pages instead of rendering. Otherwise the first request
    takes a per-letter lock in the cache (shared by every process in production) and renders;
    one that finds the lock taken waits for the file instead, and renders itself only if none
    comes in time. Without the cache, nothing waits and nothing is locked: it renders."""
    rendered = rendering.render_letter(letter)
    html = rendering.letter_documents(rendered)  # made once, for the name and the render
    name = _download_name(letter, rendered, html)
    if by_worker:
        content = _read_download(name)
    else:  # reads the file first: a stored one is served at once
        content = _wait_for_file(name, _queued_key(letter.pk), QUEUED_WAIT_SECONDS, every=0.05)
    if content is not None:
        return content
    lock = f"letter-pdf-render:{letter.pk}"
    # No lock without the cache (None): render, at worst twice, never fail the download.
    locked = content_cache.call(cache.add, lock, name, timeout=RENDER_LOCK_SECONDS)
    if locked is False:
        content = _wait_for_file(name, lock, RENDER_WAIT_SECONDS, every=0.1)
        if content is not None:
            return content
    try:
        started = time.perf_counter()
        content = rendering.letter_pdf(rendered, html)
        logger.info(
            "letter %s: PDF rendered in %d ms",
            letter.pk,
            (time.perf_counter() - started) * 1000,
            extra={"event": "letter_pdf_rendered"},
        )
        if _read_download(name) is None:  # lock lost or expired: another may have stored it
            default_storage.save(name, ContentFile(content))
        # The letter's earlier versions go: nothing the student has since changed is kept.
        for old in _download_files(letter.pk):
            if old != name:
                default_storage.delete(old)
        if not Letter.objects.filter(pk=letter.pk).exists():
            # Deleted while this rendered (by the student, a coordinator or the purge): its
            # files went with it, and this one goes too.
            for stored in _download_files(letter.pk):
                default_storage.delete(stored)
    finally:
        if locked:
            content_cache.call(cache.delete, lock)
        _announce(name)
    return content


def letter_download_prepare(*, letter_id: int) -> bool:
    """Render the student's PDF ahead of their download (the worker, after a save). False when
    the letter is gone."""
    letter = Letter.objects.select_related("campaign", "template").filter(pk=letter_id).first()
    if letter is None:
        content_cache.call(cache.delete, _queued_key(letter_id))
        return False
    try:
        letter_download_pdf(letter, by_worker=True)
    finally:
        # Only this version's mark: a later save's download still waits for its own render.
        if content_cache.call(cache.get, _queued_key(letter_id)) == _version(letter):
            content_cache.call(cache.delete, _queued_key(letter_id))
    return True


def delete_letter_files(letters: Iterable[Letter]) -> None:
    """Remove the stored PDFs of these letters (rows and files, the student's PDFs too)."""
    letters = list(letters)
    for record in LetterPdf.objects.filter(letter__in=letters):
        record.file.delete(save=False)
        record.delete()
    for letter in letters:
        for name in _download_files(letter.pk):
            default_storage.delete(name)
    rendering.forget_draft_snapshots([letter.pk for letter in letters])


def _tally(letters: list[Letter]) -> list[tuple[str, int]]:
    schools = Counter(
        (letter.snapshot or {}).get("author", {}).get("school", "") for letter in letters
    )
    return sorted(schools.items(), key=lambda item: (-item[1], item[0]))


def _common_language(letters: list[Letter]) -> str:
    found = {letter.template.language for letter in letters}
    return found.pop() if len(found) == 1 else "en"


def _render(template: str, context: dict, page_size: str) -> bytes:
    return pdf.render_pdf(render_to_string(template, context), page_size=page_size)


def _as_written(delivery: Delivery) -> dict | None:
    """The office as the delivery's letter addresses it (its snapshot): the member it was
    written to, even if the seat has changed hands since."""
    snapshot = delivery.letter.snapshot or {}
    entries = snapshot.get("recipients" if delivery.role == Delivery.Role.TO else "cc", [])
    return next((entry for entry in entries if entry.get("id") == delivery.official_id), None)


def _cover_addressee(official: Official, written: dict | None) -> tuple[Addressee, list[str]]:
    """Whom a cover letter goes to, and their address lines: the office's holder today; or,
    when the letters were written to someone else (the seat changed hands since), that member
    at the address the letters give."""
    today = official.addressee_on(timezone.localdate())
    if written is None or rendering.snapshot_text(written.get("name")) == today.name:
        return today, official.postal_address.splitlines()
    addressee = Addressee(
        name=rendering.snapshot_text(written.get("name")),
        salutation=rendering.snapshot_text(written.get("salutation")),
        by_title=bool(written.get("by_title")),
    )
    return addressee, (written.get("address") or official.postal_address).splitlines()


#: A print pack goes office by office: the seats in Congress by state (senators first, then
#: the districts in order), after the other offices.
PACK_ORDER = (
    "official__state",
    "-official__chamber",
    "official__senate_class",
    "official__district",
    "official__office",
    "letter__last_name",
    "letter__pk",
)


def build_print_pack(batch: Batch) -> bytes:
    """One PDF for the batch's printed letters: for each member (an office's holder, as the
    letters were written to them) a cover letter with the tally, then their letters, each
    starting on a new page; last, a page of address labels, one per cover letter."""
    campaign = batch.campaign
    deliveries = (
        batch.deliveries.filter(channel=Delivery.Channel.PRINT)
        .select_related("letter__template", "official")
        .prefetch_related("official__terms")
        .order_by(*PACK_ORDER)
    )
    by_member: dict[tuple, list[Delivery]] = {}
    for delivery in deliveries:
        written = _as_written(delivery)
        name = rendering.snapshot_text(written.get("name")) if written else ""
        by_member.setdefault((delivery.official, name), []).append(delivery)
    writer = PdfWriter()
    labels_lines = []
    for (official, _name), in_pack in by_member.items():
        letters = [delivery.letter for delivery in in_pack]
        # The cover is in the letters' language when they all share one (Spanish letters get a
        # Spanish cover); English otherwise.
        language = _common_language(letters)
        with translation.override(language):
            addressee, address_lines = _cover_addressee(official, _as_written(in_pack[0]))
            sender = (
                campaign.sender_name
                or (batch.created_by.get_full_name() if batch.created_by else "")
                or gettext("The campaign coordinators")
            )
            cover = _render(
                "letters/pack_cover.html",
                {
                    "language": language,
                    "campaign": campaign,
                    "official": official,
                    "addressee": addressee,
                    "address_lines": address_lines,
                    "count": len(letters),
                    "tally": _tally(letters),
                    "sender": sender,
                    "date": rendering.format_date(timezone.localdate(), language),
                },
                campaign.page_size,
            )
        labels_lines.append(
            [addressee.name, *(() if addressee.by_title else (official.office,)), *address_lines]
        )
        writer.append(io.BytesIO(cover))
        for delivery in in_pack:  # a cc office's copy is the letter as written to its addressee
            writer.append(io.BytesIO(letter_pdf_for(delivery.letter, delivery.written_to())))
    labels = _render(
        "letters/pack_labels.html",
        {
            "campaign": campaign,
            "labels": labels_lines,
        },
        campaign.page_size,
    )
    writer.append(io.BytesIO(labels))
    writer.add_metadata({"/Title": f"Print pack: {campaign.title}, batch {batch.pk}"})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
