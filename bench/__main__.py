"""Run every benchmark module in this package (`make bench`)."""

import importlib
import pkgutil

import bench


def main() -> None:
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if not names:
        print("no benchmarks yet")
    for name in names:
        print(f"== {name}")
        importlib.import_module(f"bench.{name}").main()


if __name__ == "__main__":
    main()
