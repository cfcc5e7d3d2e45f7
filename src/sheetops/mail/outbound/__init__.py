"""Sending: composing messages, SMTP transport and resumable delivery."""
