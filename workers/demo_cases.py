"""The cases the demo loads, in order: each module has `load(demo: workers.demo_kit.Demo)`.

A new flow (plans, study visits, working groups…) adds its demo module here with one line. The
current sample wave comes last: it is dated from today.
"""

CASES: tuple[str, ...] = (
    "workers.demo_dien_bien",
    "workers.demo_ministry",
    "workers.demo_da_nang",
    "workers.demo_plans",
    "workers.demo_wave",
    "workers.demo_groups",
)
