from django.urls import path

from libraries import history_views, import_views, logo_views, picker, views

app_name = "libraries"

urlpatterns = [
    path("", views.library_list, name="library_list"),
    path("new/", views.library_new, name="library_new"),
    path("place-options/", views.library_place_options, name="library_place_options"),
    path("picker-options/", picker.library_picker_options, name="library_picker_options"),
    path("<int:pk>/", views.library_detail, name="library_detail"),
    path("<int:pk>/edit/", views.library_edit, name="library_edit"),
    path("<int:pk>/history/", history_views.library_history, name="library_history"),
    path("<int:pk>/logo/", logo_views.library_logo, name="library_logo"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/library-options/", views.person_library_options, name="person_library_options"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/history/", history_views.person_history, name="person_history"),
    # Registry imports (libraries.import_views)
    path("import/", import_views.library_import, name="library_import"),
    path("people/import/", import_views.person_import, name="person_import"),
    path("imports/<int:pk>/", import_views.import_job, name="import_job"),
    path("imports/<int:pk>/mapping/", import_views.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/check/", import_views.import_check, name="import_check"),
    path("imports/<int:pk>/apply/", import_views.import_apply, name="import_apply"),
    path("imports/template/<str:kind>.csv", import_views.import_template, name="import_template"),
]
