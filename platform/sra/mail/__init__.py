"""Outgoing e-mail: queued in the request's transaction, delivered by the job runner."""

from sra.mail.sending import send_mail

__all__ = ["send_mail"]
