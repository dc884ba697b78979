from django.urls import path

from libraries import picker, views

app_name = "libraries"

urlpatterns = [
    path("", views.library_list, name="library_list"),
    path("new/", views.library_new, name="library_new"),
    path("place-options/", views.library_place_options, name="library_place_options"),
    path("picker-options/", picker.library_picker_options, name="library_picker_options"),
    path("<int:pk>/", views.library_detail, name="library_detail"),
    path("<int:pk>/edit/", views.library_edit, name="library_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/library-options/", views.person_library_options, name="person_library_options"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
]
