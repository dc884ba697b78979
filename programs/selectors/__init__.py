"""Programme selectors: one module per part (enrolment, activities, impact stories)."""
