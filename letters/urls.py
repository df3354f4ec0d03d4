from django.urls import path

from letters import batch_views, review_views, views

app_name = "letters"

urlpatterns = [
    path("campaigns/<slug:slug>/write/", views.compose, name="compose"),
    path("letters/<str:token>/", views.detail, name="detail"),
    path("letters/<str:token>/edit/", views.edit, name="edit"),
    path("letters/<str:token>/submit/", views.submit, name="submit"),
    path("letters/<str:token>/pdf/", views.download_pdf, name="pdf"),
    path("letters/<str:token>/delete/", views.delete, name="delete"),
    # Coordinators
    path("coordinate/<slug:slug>/letters/", review_views.queue, name="queue"),
    path("coordinate/<slug:slug>/letters/review/", review_views.review, name="review"),
    path("coordinate/<slug:slug>/letters/<int:pk>/", review_views.letter, name="review_letter"),
    path("coordinate/<slug:slug>/batches/", batch_views.batches, name="batches"),
    path("coordinate/batch/<int:pk>/", batch_views.batch, name="batch"),
    path("coordinate/batch/<int:pk>/progress/", batch_views.batch_progress, name="batch_progress"),
    path("coordinate/batch/<int:pk>/retry/", batch_views.batch_retry, name="batch_retry"),
    path("coordinate/batch/<int:pk>/steps/", batch_views.batch_steps, name="batch_steps"),
    path("coordinate/batch/<int:pk>/pack/", batch_views.batch_pack, name="batch_pack"),
]
