from django.urls import path

from letters import batch_views, review_views, views

app_name = "letters"

urlpatterns = [
    path("campaigns/<slug:slug>/write/", views.compose, name="compose"),
    path("letters/<token:token>/", views.detail, name="detail"),
    path("letters/<token:token>/edit/", views.edit, name="edit"),
    path("letters/<token:token>/submit/", views.submit, name="submit"),
    path("letters/<token:token>/pdf/", views.download_pdf, name="pdf"),
    path("letters/<token:token>/delete/", views.delete, name="delete"),
    # Coordinators
    path("coordinate/<slug:slug>/letters/", review_views.queue, name="queue"),
    path("coordinate/<slug:slug>/letters/review/", review_views.review, name="review"),
    path("coordinate/<slug:slug>/letters/<id:pk>/", review_views.letter, name="review_letter"),
    path(
        "coordinate/<slug:slug>/letters/<id:pk>/delete/",
        review_views.delete_letter,
        name="delete_letter",
    ),
    path("coordinate/<slug:slug>/batches/", batch_views.batches, name="batches"),
    path("coordinate/batch/<id:pk>/", batch_views.batch, name="batch"),
    path("coordinate/batch/<id:pk>/progress/", batch_views.batch_progress, name="batch_progress"),
    path("coordinate/batch/<id:pk>/retry/", batch_views.batch_retry, name="batch_retry"),
    path("coordinate/batch/<id:pk>/steps/", batch_views.batch_steps, name="batch_steps"),
    path("coordinate/batch/<id:pk>/rebuild/", batch_views.batch_rebuild_pack, name="batch_rebuild"),
    path("coordinate/batch/<id:pk>/pack/", batch_views.batch_pack, name="batch_pack"),
]
