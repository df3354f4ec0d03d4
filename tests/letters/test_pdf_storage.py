"""A student's PDF is rendered once and then read from storage; letter PDFs and print packs go
through Django's storage API only, so they work the same on the file system and on another
backend (here Django's InMemoryStorage, standing in for S3-compatible object storage)."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from letters import batches, documents, pdf, services
from letters.models import Batch, Letter, LetterPdf
from tests.letters.helpers import compose_data, pdf_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["FileSystemStorage", "InMemoryStorage"])
def storage(request, settings, tmp_path):
    """Each test runs against both backends, through the same code."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"django.core.files.storage.{request.param}"},
    }
    default_storage.exists("anything")  # the lazy default storage is the one just set
    assert type(default_storage._wrapped).__name__ == request.param
    yield request.param
    if request.param == "InMemoryStorage":  # nothing took a path on the disk instead
        assert not list((tmp_path / "media").rglob("*.pdf"))


def write(client, campaign, student, recommendations, officials) -> Letter:
    client.post(
        reverse("letters:compose", args=[campaign.slug]),
        compose_data(student, recommendations[:2], officials),
    )
    return Letter.objects.latest("pk")


def download(client, letter) -> bytes:
    response = client.get(reverse("letters:pdf", args=[letter.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def stored_downloads(letter) -> list[str]:
    return documents._download_files(letter.pk)


def test_a_second_download_reads_the_stored_pdf_and_renders_nothing(
    client, storage, campaign, student, recommendations, officials
):
    letter = write(client, campaign, student, recommendations, officials)
    before = pdf.render_count()
    first = download(client, letter)
    assert pdf.render_count() == before + 1
    assert len(stored_downloads(letter)) == 1
    second = download(client, letter)
    assert pdf.render_count() == before + 1  # no render for the repeat
    assert second == first
    assert "Dear Mr. President" in squash(pdf_text(second))


def test_an_edited_letter_is_rendered_again_and_its_old_pdf_is_gone(
    client, storage, campaign, student, recommendations, officials
):
    letter = write(client, campaign, student, recommendations, officials)
    download(client, letter)
    [old_name] = stored_downloads(letter)
    client.post(
        reverse("letters:edit", args=[letter.token]),
        compose_data(
            student,
            recommendations[:2],
            officials,
            personal_paragraph="I changed my mind about what to say here.",
        ),
    )
    before = pdf.render_count()
    content = download(client, letter)
    assert pdf.render_count() == before + 1
    assert "I changed my mind" in squash(pdf_text(content))
    [new_name] = stored_downloads(letter)
    assert new_name != old_name
    assert not default_storage.exists(old_name)


def test_the_worker_renders_the_pdf_on_submit_so_the_download_renders_nothing(
    client,
    storage,
    campaign,
    student,
    recommendations,
    officials,
    django_capture_on_commit_callbacks,
):
    letter = write(client, campaign, student, recommendations, officials)
    with django_capture_on_commit_callbacks(execute=True):  # the (eager) worker's task runs
        client.post(reverse("letters:submit", args=[letter.token]))
    assert len(stored_downloads(letter)) == 1
    before = pdf.render_count()
    content = download(client, letter)
    assert pdf.render_count() == before
    assert "Maya Okafor" in squash(pdf_text(content))


def test_a_download_waits_for_a_render_under_way_rather_than_rendering_twice(
    client, storage, campaign, student, recommendations, officials
):
    """Another process holds the letter's render lock and stores the file: this request takes
    it from storage (the lock is let go when the file is there)."""
    from django.core.cache import cache

    letter = write(client, campaign, student, recommendations, officials)
    content = documents.letter_download_pdf(letter)  # as the other process rendered it
    cache.add(f"letter-pdf-render:{letter.pk}", "someone", timeout=60)
    before = pdf.render_count()
    assert download(client, letter) == content
    assert pdf.render_count() == before


def test_deleting_a_letter_deletes_its_stored_pdfs(
    client, storage, campaign, student, recommendations, officials
):
    letter = write(client, campaign, student, recommendations, officials)
    download(client, letter)
    [name] = stored_downloads(letter)
    client.post(reverse("letters:delete", args=[letter.token]))
    assert not Letter.objects.filter(pk=letter.pk).exists()
    assert not default_storage.exists(name)
    assert stored_downloads(letter) == []


def test_final_letters_and_the_print_pack_are_stored_and_served_through_the_storage(
    client, storage, campaign, student, recommendations, officials, coordinator
):
    letter = write(client, campaign, student, recommendations, officials)
    letter = services.letter_submit(letter=letter)
    services.letters_approve(letters=[letter])
    batch = batches.batch_start(campaign=campaign, method=Batch.Method.PRINT, user=coordinator)
    before = pdf.render_count()
    assert batches.batch_build_pack(batch_id=batch.pk)
    rendered_for_pack = pdf.render_count() - before
    stored = LetterPdf.objects.filter(letter=letter)
    assert stored.count() == 2  # one per official, each rendered once
    assert all(default_storage.exists(record.file.name) for record in stored)
    batch.refresh_from_db()
    assert default_storage.exists(batch.pack.name)

    # Built again: the letters come from storage, only the covers and labels are rendered.
    before = pdf.render_count()
    assert batches.batch_build_pack(batch_id=batch.pk)
    assert pdf.render_count() - before == rendered_for_pack - 2

    client.force_login(coordinator)
    response = client.get(reverse("coordinate:batch_pack", args=[batch.pk]))
    assert response.status_code == 200
    pack = b"".join(response.streaming_content)
    assert "Maya Okafor" in squash(pdf_text(pack))


def test_the_worker_renders_a_new_drafts_pdf_so_its_download_renders_nothing(
    client,
    storage,
    campaign,
    student,
    recommendations,
    officials,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):  # the (eager) worker's task runs
        letter = write(client, campaign, student, recommendations, officials)
    assert len(stored_downloads(letter)) == 1
    before = pdf.render_count()
    assert "Maya Okafor" in squash(pdf_text(download(client, letter)))
    assert pdf.render_count() == before


def test_a_download_right_after_a_save_waits_for_the_workers_render_instead_of_rendering(
    client, storage, campaign, student, recommendations, officials
):
    """The save asked the worker for the PDF: the download waits for the worker's file (the
    web process renders nothing), which comes here from another thread, as from the worker."""
    import threading
    import time

    from django.core.cache import cache
    from django.core.files.base import ContentFile

    from letters import rendering

    letter = write(client, campaign, student, recommendations, officials)
    rendered = rendering.render_letter(letter)
    name = documents._download_name(letter, rendered, rendering.letter_documents(rendered))
    content = rendering.letter_pdf(rendered)  # what the worker will store
    documents.letter_download_queued(letter)  # as the save's commit does

    def worker():
        time.sleep(0.4)
        default_storage.save(name, ContentFile(content))
        cache.delete(f"letter-pdf-queued:{letter.pk}")

    thread = threading.Thread(target=worker)
    before, started = pdf.render_count(), time.monotonic()
    thread.start()
    try:
        assert download(client, letter) == content
    finally:
        thread.join()
    assert time.monotonic() - started >= 0.4  # it waited for the file ...
    assert pdf.render_count() == before  # ... and rendered nothing itself


def test_with_no_worker_the_download_renders_the_pdf_itself_after_a_while(
    client, storage, campaign, student, recommendations, officials, monkeypatch
):
    monkeypatch.setattr(documents, "QUEUED_WAIT_SECONDS", 1)
    letter = write(client, campaign, student, recommendations, officials)
    documents.letter_download_queued(letter)  # asked of a worker that never comes
    before = pdf.render_count()
    content = download(client, letter)
    assert pdf.render_count() == before + 1
    assert "Maya Okafor" in squash(pdf_text(content))


def test_a_half_written_file_is_never_served(
    client, storage, campaign, student, recommendations, officials
):
    """The worker's store is under way (the file's first bytes only): the download does not
    serve them; it renders the whole PDF itself once the worker's mark is gone."""
    from django.core.files.base import ContentFile

    from letters import rendering

    letter = write(client, campaign, student, recommendations, officials)
    rendered = rendering.render_letter(letter)
    name = documents._download_name(letter, rendered, rendering.letter_documents(rendered))
    whole = rendering.letter_pdf(rendered)
    default_storage.save(name, ContentFile(whole[: len(whole) // 2]))
    content = download(client, letter)
    assert content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]
    assert len(content) > len(whole) // 2


def test_an_earlier_versions_task_leaves_a_later_saves_mark(
    client, storage, campaign, student, recommendations, officials
):
    """The worker finishes the letter as it was; the student has saved again meanwhile: the
    later save's mark stays, so its download still waits for the worker."""
    from django.core.cache import cache

    letter = write(client, campaign, student, recommendations, officials)
    cache.set(f"letter-pdf-queued:{letter.pk}", "a later version", timeout=15)
    assert documents.letter_download_prepare(letter_id=letter.pk)
    assert cache.get(f"letter-pdf-queued:{letter.pk}") == "a later version"
    documents.letter_download_queued(letter)  # this version's own mark ...
    assert documents.letter_download_prepare(letter_id=letter.pk)
    assert cache.get(f"letter-pdf-queued:{letter.pk}") is None  # ... goes when it is done


def test_a_letter_deleted_while_its_pdf_renders_leaves_no_file(
    client, storage, campaign, student, recommendations, officials
):
    letter = write(client, campaign, student, recommendations, officials)
    loaded = Letter.objects.get(pk=letter.pk)  # as the worker loaded it before the delete
    services.letter_delete(letter=letter)
    documents.letter_download_pdf(loaded, by_worker=True)
    assert stored_downloads(loaded) == []


def test_a_deleted_drafts_words_leave_the_cache(
    client, storage, campaign, student, recommendations, officials
):
    from django.core.cache import cache

    letter = write(client, campaign, student, recommendations, officials)
    client.get(reverse("letters:detail", args=[letter.token]))  # the preview kept its snapshot
    assert "Maya" in str(cache.get(f"draft-snapshot:{letter.pk}"))
    services.letter_delete(letter=letter)
    assert cache.get(f"draft-snapshot:{letter.pk}") is None


def test_a_render_makes_each_officials_html_once_for_its_name_and_its_pdf(
    client, storage, campaign, student, recommendations, officials, monkeypatch
):
    from letters import rendering

    letter = write(client, campaign, student, recommendations, officials)
    made = []
    letter_html = rendering.letter_html
    monkeypatch.setattr(
        rendering, "letter_html", lambda rendered: made.append(1) or letter_html(rendered)
    )
    for stored in stored_downloads(letter):
        default_storage.delete(stored)
    before = pdf.render_count()
    content = download(client, letter)
    assert pdf.render_count() == before + 1
    assert "Maya Okafor" in squash(pdf_text(content))
    assert len(made) == len(officials) == 2
