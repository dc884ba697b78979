from django.urls import path

from libraries import views

app_name = "libraries"

urlpatterns = [
    path("libraries/", views.library_list, name="list"),
    path("people/", views.person_list, name="people"),
]
