from programs.views import activities, enrollment, stories

app_name = "programs"

urlpatterns = [*enrollment.urlpatterns, *activities.urlpatterns, *stories.urlpatterns]
