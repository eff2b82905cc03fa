"""Development data: the demo (`flask seed-demo`, for `make run`) and the
synthetic years of activity (`flask seed-synthetic`, for the benchmarks).

Nothing in the product imports this package's modules: they sit above every
domain, reach into each to fill it, and only their commands call them.
"""
