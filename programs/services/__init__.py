"""Programme services: one module per part (enrolment, activities, impact stories)."""
