from django.urls import path

from replies import views

app_name = "replies"

urlpatterns = [
    path("answer/<str:value>/", views.answer, name="answer"),
    path("public/<id:pk>/file/", views.public_reply_file, name="public_file"),
    path("letter/<token:token>/<id:pk>/file/", views.letter_reply_file, name="letter_file"),
]
