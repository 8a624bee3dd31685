from . import complaint_bench_bare
