"""What every stage shares: errors, issue codes, the text catalog, identity, files."""
