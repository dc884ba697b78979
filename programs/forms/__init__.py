"""Programme forms: one module per part (enrolment, activities, impact stories)."""
