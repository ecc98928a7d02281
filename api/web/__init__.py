"""HTTP conventions shared by every router: strict queries, conditional GET, CSV, pages."""
