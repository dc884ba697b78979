"""Programme pages: one module per part (enrolment, activities, impact stories), each with its urlpatterns."""
