# SPDX-License-Identifier: MIT
"""python -m vecta --version: the version of the installed package (and where it is)."""
import argparse
import pathlib

import vecta


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m vecta", description=vecta.__doc__.splitlines()[0])
    ap.add_argument("--version", action="version", version=f"vecta {vecta.__version__}")
    ap.add_argument("--where", action="store_true", help="print the package directory")
    args = ap.parse_args(argv)
    if args.where:
        print(pathlib.Path(vecta.__file__).parent)
    else:
        ap.print_help()


if __name__ == "__main__":
    main()
