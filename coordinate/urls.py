from django.urls import path

from coordinate.views import batches, campaigns, dashboard, replies, review

app_name = "coordinate"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("new/", campaigns.campaign_new, name="new"),
    path("invitation/<token:token>/", campaigns.invitation, name="invitation"),
    path("batch/<id:pk>/", batches.batch, name="batch"),
    path("batch/<id:pk>/progress/", batches.batch_progress, name="batch_progress"),
    path("batch/<id:pk>/retry/", batches.batch_retry, name="batch_retry"),
    path("batch/<id:pk>/steps/", batches.batch_steps, name="batch_steps"),
    path("batch/<id:pk>/rebuild/", batches.batch_rebuild_pack, name="batch_rebuild"),
    path("batch/<id:pk>/pack/", batches.batch_pack, name="batch_pack"),
    path("<slug:slug>/", dashboard.campaign_dashboard, name="campaign"),
    path("<slug:slug>/settings/", campaigns.campaign_edit, name="edit"),
    path("<slug:slug>/coordinators/", campaigns.coordinators, name="coordinators"),
    path(
        "<slug:slug>/coordinators/<id:user_id>/remove/",
        campaigns.coordinator_remove,
        name="coordinator_remove",
    ),
    path("<slug:slug>/paper/", dashboard.paper_letters, name="paper_letters"),
    path(
        "<slug:slug>/student-emails/retry/",
        dashboard.student_emails_retry,
        name="student_emails_retry",
    ),
    path("<slug:slug>/teams/", dashboard.teams, name="teams"),
    path(
        "<slug:slug>/teams/<id:pk>/regenerate/", dashboard.team_regenerate, name="team_regenerate"
    ),
    path("<slug:slug>/letters.csv", dashboard.letters_csv, name="letters_csv"),
    path("<slug:slug>/letters/", review.queue, name="queue"),
    path("<slug:slug>/letters/review/", review.review, name="review"),
    path("<slug:slug>/letters/<id:pk>/", review.letter, name="letter"),
    path("<slug:slug>/letters/<id:pk>/delete/", review.delete_letter, name="delete_letter"),
    path("<slug:slug>/batches/", batches.batches, name="batches"),
    path("<slug:slug>/replies/", replies.replies, name="replies"),
    path("<slug:slug>/replies/<id:pk>/file/", replies.reply_file, name="reply_file"),
    path("<slug:slug>/replies/<id:pk>/delete/", replies.reply_delete, name="reply_delete"),
    path("<slug:slug>/outcomes/", replies.outcomes, name="outcomes"),
    path("<slug:slug>/outcomes.csv", replies.outcomes_csv, name="outcomes_csv"),
]
