from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from members import views

app_name = "members"

account = [
    path("account/login/", views.LoginView.as_view(), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/verify/", views.verify, name="verify"),
    path("account/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("account/profile/", views.profile, name="profile"),
    path("account/api-token/", views.api_token, name="api_token"),
    path("account/my-data/", views.my_data, name="my_data"),
    path("account/forget/", views.forget, name="forget"),
    path(
        "account/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="members/password_reset.html",
            email_template_name="members/password_reset_email.txt",
            subject_template_name="members/password_reset_subject.txt",
            success_url=reverse_lazy("members:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="members/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="members/password_reset_confirm.html",
            success_url=reverse_lazy("members:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="members/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.switch_cooperative, name="switch"),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
    *account,
    path("c/<slug:slug>/", views.cooperative_home, name="cooperative_home"),
    path("c/<slug:slug>/settings/", views.cooperative_settings, name="cooperative_settings"),
    path("c/<slug:slug>/members/", views.member_list, name="member_list"),
    path("c/<slug:slug>/members/new/", views.register_resident, name="register_resident"),
    path("c/<slug:slug>/members/<int:number>/roles/", views.member_roles, name="member_roles"),
    path("c/<slug:slug>/members/<int:number>/forget/", views.forget_member, name="forget_member"),
    path(
        "c/<slug:slug>/forgotten-members/",
        views.retained_identities,
        name="retained_identities",
    ),
    path("c/<slug:slug>/invitations/", views.invitations, name="invitations"),
    path(
        "c/<slug:slug>/invitations/<int:pk>/withdraw/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("c/<slug:slug>/places/", views.places, name="places"),
    path("c/<slug:slug>/partners/", views.partners, name="partners"),
]
