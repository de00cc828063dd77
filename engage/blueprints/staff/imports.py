"""Staff routes for importing responses from CSV and XLSX files."""
