from django.urls import path

from campaign import dashboard_views, manage_views, views

app_name = "campaign"

urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/<slug:slug>/", views.detail, name="detail"),
    path("sources/", views.sources, name="sources"),
    path("coordinate/", dashboard_views.dashboard, name="dashboard"),
    path("coordinate/new/", manage_views.campaign_new, name="new"),
    path("coordinate/invitation/<token:token>/", manage_views.invitation, name="invitation"),
    path("coordinate/<slug:slug>/settings/", manage_views.campaign_edit, name="edit"),
    path("coordinate/<slug:slug>/coordinators/", manage_views.coordinators, name="coordinators"),
    path(
        "coordinate/<slug:slug>/coordinators/<id:user_id>/remove/",
        manage_views.coordinator_remove,
        name="coordinator_remove",
    ),
    path("coordinate/<slug:slug>/", dashboard_views.campaign_dashboard, name="coordinate"),
    path("coordinate/<slug:slug>/paper/", dashboard_views.paper_letters, name="paper_letters"),
    path("coordinate/<slug:slug>/teams/", dashboard_views.teams, name="teams"),
    path(
        "coordinate/<slug:slug>/teams/<id:pk>/regenerate/",
        dashboard_views.team_regenerate,
        name="team_regenerate",
    ),
    path("coordinate/<slug:slug>/letters.csv", dashboard_views.letters_csv, name="letters_csv"),
]
