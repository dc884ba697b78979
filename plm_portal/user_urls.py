"""User management, mounted under /users/ (namespace "users"): URL names equal the view names."""

from django.urls import path

from plm_portal import user_views

app_name = "users"
urlpatterns = [
    path("", user_views.user_list, name="user_list"),
    path("invite/", user_views.user_invite, name="user_invite"),
    path("<int:pk>/edit/", user_views.user_edit, name="user_edit"),
    path("<int:pk>/resend/", user_views.user_resend, name="user_resend"),
]
