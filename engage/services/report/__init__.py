"""Report: the insight report and its PDF and charts, headline results, exports (CSV,
XLSX, SPSS, as jobs), the partner API's data, "you said, we did", and the staff home's
counts of what is waiting."""
