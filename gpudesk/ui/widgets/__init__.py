"""Small reusable widgets of the gpudesk UI (no business logic)."""
