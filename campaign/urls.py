from django.urls import path

from campaign import views

app_name = "campaign"

urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/<slug:slug>/", views.detail, name="detail"),
    path("sources/", views.sources, name="sources"),
]
