"""Returned mail: messages, mailboxes and IMAP, and the checks on who sent what."""
