"""The staff web face: sign-in with a second factor, the staff layout, role checks, the home page."""
