"""Live ipywidgets dashboards for the notebooks (the book shows static twins instead)."""
