from meetings.views import agenda, attendance, awards, core, follow_up, participants

app_name = "meetings"

urlpatterns = [
    *core.urlpatterns,
    *agenda.urlpatterns,
    *participants.urlpatterns,
    *attendance.urlpatterns,
    *follow_up.urlpatterns,
    *awards.urlpatterns,
]
