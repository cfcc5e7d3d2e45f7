"""Emailed rounds: send packs and reminders, and read returns straight from mail."""
