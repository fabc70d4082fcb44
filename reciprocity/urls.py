from django.urls import path

from reciprocity import views

app_name = "reciprocity"

urlpatterns = [
    path("c/<slug:slug>/time/", views.home, name="home"),
    path("c/<slug:slug>/time/log/", views.log, name="log"),
    path("c/<slug:slug>/time/thank-you-wall/", views.wall, name="wall"),
    path("c/<slug:slug>/time/share/", views.ask_share, name="ask_share"),
    path("c/<slug:slug>/time/<int:pk>/<slug:decision>/", views.decide, name="decide"),
    path("c/<slug:slug>/time/coordinate/", views.coordinate, name="coordinate"),
    path("c/<slug:slug>/time/activities/", views.add_activity, name="add_activity"),
    path("c/<slug:slug>/time/activities/<int:pk>/", views.change_activity, name="change_activity"),
    path("c/<slug:slug>/time/partners/", views.partners, name="partners"),
    path("c/<slug:slug>/time/qr/", views.qr, name="qr"),
    path("c/<slug:slug>/open/time/", views.public, name="public"),
    path("c/<slug:slug>/open/thanks/", views.thanks, name="thanks"),
]
