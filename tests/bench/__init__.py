"""`make bench` (python -m tests.bench): one module per workload (commands, rebuild, lag, history,
queries, growth), on what they share: harness (database, servers, tokens), histories (generated
stores), loop (closed and open loops), ceilings, readside, rebuilder and report (table, JSON)."""
