"""The pure core of the JCM project cycle: rule sets, state machines and cycle rules.

Nothing here imports Django or any other jcm package except ``jcm.accounts.core.roles``. Every
function works on plain values; time is passed in, never read; refusals are values.

Modules:

- :mod:`.rulesets` — versioned rule sets per country pair, the loader of ``data/rulesets``.
- :mod:`.transitions` — the transition tables, :func:`~.transitions.apply`, the permission matrix.
- :mod:`.ids` — identifier formats and next-ID allocation.
- :mod:`.deadlines` — windows and deadlines from a rule set and a start instant.
- :mod:`.tpe` — TPE eligibility over plain designation values.
- :mod:`.periods` — half-open periods, monitoring and crediting period rules.
- :mod:`.credits` — issuance guard, JC notification guard, credit allocation percentages.
- :mod:`.double_registration` — same site or same equipment in another project.
"""
