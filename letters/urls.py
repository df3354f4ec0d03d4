from django.urls import path

from letters import views

app_name = "letters"

urlpatterns = [
    path("campaigns/<slug:slug>/write/", views.compose, name="compose"),
    path("letters/<str:token>/", views.detail, name="detail"),
    path("letters/<str:token>/edit/", views.edit, name="edit"),
    path("letters/<str:token>/submit/", views.submit, name="submit"),
    path("letters/<str:token>/pdf/", views.download_pdf, name="pdf"),
    path("letters/<str:token>/delete/", views.delete, name="delete"),
]
