"""Command line: python -m phonepipe_pricing train|backtest|suggest|serve (see docs/pricing.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from phonepipe_pricing import backtest, service
from phonepipe_pricing.warehouse import EmptyWarehouse


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="phonepipe pricing", description="the pricing engine")
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("train", "backtest"):
        p = sub.add_parser(name)
        p.add_argument("--folds", type=int, default=4, help="weekly backtest folds (default 4)")
        p.add_argument("--rows", type=int, help="use only the newest ROWS sales")
    p = sub.add_parser("suggest", help="JSON lines of pricing.suggestions records on stdout")
    p.add_argument("--changed-since", default="1970-01-01", help="only listings whose price changed since (date)")
    p = sub.add_parser("serve", help="the HTTP endpoint on 127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("PHONEPIPE_PRICING_PORT", "8590")))
    args = ap.parse_args(argv)
    log = lambda line: print(line, file=sys.stderr)  # noqa: E731 (stdout carries suggest's records)
    try:
        if args.command == "train":
            print(json.dumps(service.train(args.folds, args.rows, log=log)))
        elif args.command == "backtest":
            result = backtest.run(service.training_data(service.W.connect(), args.rows), args.folds, log=log)
            print(json.dumps(result.as_dict()))
        elif args.command == "suggest":
            log(f"{service.suggest(args.changed_since)} suggestion(s) written")
        else:
            from phonepipe_pricing.serve import Pricer, make_server

            server = make_server(Pricer.load(), args.port)
            log(f"pricing endpoint on http://127.0.0.1:{server.server_port}/suggest")
            server.serve_forever()
    except (EmptyWarehouse, ValueError) as err:
        print(f"phonepipe pricing {args.command}: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
