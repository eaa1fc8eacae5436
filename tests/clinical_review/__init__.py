"""Clinical review (issue 14): nothing reaches a patient without a clinician's sign-off,
and every article says truthfully whether, when and by whom it was reviewed."""
