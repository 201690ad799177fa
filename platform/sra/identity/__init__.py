"""Users, roles, sign-in, sessions, second factor, guards."""
