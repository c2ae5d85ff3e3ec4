"""`safetrain report html`: a static, offline site of an archive or a workspace.

site.py decides the pages (pure functions of checked results), views.py fills
them from the views every other output uses, charts.py draws inline SVG,
templates/ holds the Jinja templates and the stylesheet (package data; an
archive or workspace may override any of them in `templates/html/`), and
writer.py puts the site in place at once."""
