from meetings import history_views
from meetings.views import (
    agenda,
    attendance,
    awards,
    core,
    follow_ups,
    participant_import,
    participants,
    rtl,
)

app_name = "meetings"

urlpatterns = [
    *core.urlpatterns,
    *agenda.urlpatterns,
    *participants.urlpatterns,
    *participant_import.urlpatterns,
    *attendance.urlpatterns,
    *rtl.urlpatterns,
    *follow_ups.urlpatterns,
    *awards.urlpatterns,
    *history_views.urlpatterns,
]
