"""Check a returned workbook's cells against the scheme: scoresheets and handbooks."""
