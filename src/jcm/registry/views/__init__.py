"""Registry pages: ``public`` (no login), ``accounts`` (account holders and registry managers, signed in),
``manage`` (the registry manager of that registry) and ``certificate`` (retirement certificate PDF)."""
