"""The web shell: templates, static files, request context, guards, errors, navigation."""
