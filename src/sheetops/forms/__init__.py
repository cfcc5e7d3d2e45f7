"""Workbook writers (XlsxWriter): scoresheets and handbooks."""
