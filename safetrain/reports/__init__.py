"""Reports: pure functions from checked archives to text, JSON and documents."""
