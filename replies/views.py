"""Students' side of replies: the file of a reply to their letter (behind the private link), a
public reply's file, and the yes / not-yet answer to "Did you get a reply?"."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from letters.selectors import get_letter_by_token
from letters.views import private_page
from replies import selectors, services
from replies.models import Reply
from replies.uploads import CONTENT_TYPES


def reply_file_response(reply: Reply) -> FileResponse:
    """The stored file, as what it is, never sniffed or run as a page."""
    if not reply.file:
        raise Http404
    try:
        handle = reply.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    inline = reply.file_type != Reply.FileType.PDF
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES.get(reply.file_type, "application/octet-stream"),
        as_attachment=not inline,
        filename=f"reply-{reply.pk}.{reply.file_type}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


@private_page
def letter_reply_file(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    letter = get_letter_by_token(token)
    return reply_file_response(selectors.get_reply_for_letter(letter, pk))


def public_reply_file(request: HttpRequest, pk: int) -> HttpResponse:
    return reply_file_response(selectors.get_public_reply(pk))


@private_page
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, value: str) -> HttpResponse:
    """The link asks first (a mail scanner that opens links answers nothing), then records the
    answer once. A tampered, old or used link gets the same page and changes nothing."""
    read = services.question_link_read(value)
    if request.method == "POST":
        recorded = services.reply_question_answer(value=value)
        return render(
            request, "replies/answer.html", {"state": "recorded" if recorded else "spent"}
        )
    if read is None or not services.question_is_open(question_id=read[0]):
        return render(request, "replies/answer.html", {"state": "spent"})
    return render(request, "replies/answer.html", {"state": "ask", "answer": read[1]})
