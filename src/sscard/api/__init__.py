"""The channel API: django-ninja under /api/v1/, for partner back-ends acting for their users."""
