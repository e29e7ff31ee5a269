"""Pages of the project cycle: public pages, the workspace, and files served through checks."""
