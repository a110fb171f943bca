"""The HTTP endpoint: POST a listing (JSON) to /suggest on 127.0.0.1, get the suggestion, interval and
confidence. The model and the current market context are loaded once, at start."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

from phonepipe_pricing import service
from phonepipe_pricing import suggest as S
from phonepipe_pricing import warehouse as W
from phonepipe_pricing.request import BadRequest, parse_listing

CONTEXT_NUMBERS = (
    "ram_gb",
    "release_year",
    "day",
    "idx7_median",
    "idx7_n",
    "idx_p25",
    "idx_p75",
    "idx_min",
    "comp_median",
    "sales30_median",
    "market_gap7",
)


class Pricer:
    """The current model with the market context of every catalog product and condition."""

    def __init__(self, version: str, fitted, context: dict[str, np.ndarray]):
        self.version, self.fitted, self.context = version, fitted, context
        keys = zip(context["brand"], context["model"], context["storage_gb"], context["condition"], strict=True)
        self.rows = {(b, m, int(s), c): i for i, (b, m, s, c) in enumerate(keys)}
        self.today = float(np.max(context["day"])) if len(context["day"]) else float("nan")

    @classmethod
    def load(cls) -> Pricer:
        version, fitted = service.current_model()
        con = W.connect()
        context = service.with_recent_gap(con, W.load_current_context(con))
        return cls(version, fitted, context)

    def columns(self, listing: dict) -> dict[str, np.ndarray]:
        """The listing as one row of model columns; a product the catalog lacks gets no market context."""
        i = self.rows.get((listing["brand"], listing["model"], listing["storage_gb"], listing["condition"]))
        row = {k: (self.context[k][i] if i is not None and k in self.context else np.nan) for k in CONTEXT_NUMBERS}
        if listing.get("ram_gb") is not None:
            row["ram_gb"] = listing["ram_gb"]
        if not np.isfinite(row["day"]):
            row["day"] = self.today
        cols = {k: np.array([v], dtype=float) for k, v in row.items()}
        for k in ("brand", "model", "condition"):
            cols[k] = np.array([listing[k]], dtype=object)
        cols["storage_gb"] = np.array([listing["storage_gb"]], dtype=float)
        cols["seller_id"] = np.array([listing.get("seller_id") or ""], dtype=object)
        return cols

    def price(self, listing: dict) -> dict:
        pred = self.fitted.predict(self.columns(listing))
        conf, reasons = S.confidence(pred)
        return {
            "listing_id": listing.get("listing_id"),
            "suggested_price": S.money(pred.price[0]),
            "price_low": S.money(min(pred.low[0], pred.price[0])),
            "price_high": S.money(max(pred.high[0], pred.price[0])),
            "currency": "EGP",
            "confidence": float(conf[0]),
            "reason": reasons[0],
            "model_version": self.version,
        }


def handler_for(pricer: Pricer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _reply(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 (http.server's naming)
            if self.path == "/health":
                self._reply(200, {"status": "ok", "model_version": pricer.version})
            else:
                self._reply(404, {"error": "POST a listing to /suggest"})

        def do_POST(self):  # noqa: N802
            if self.path != "/suggest":
                return self._reply(404, {"error": "POST a listing to /suggest"})
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                self._reply(200, pricer.price(parse_listing(body)))
            except BadRequest as err:
                self._reply(400, {"error": str(err), "field": err.field})

        def log_message(self, format, *args):  # noqa: A002 (quiet: one line per request is noise here)
            pass

    return Handler


def make_server(pricer: Pricer, port: int) -> ThreadingHTTPServer:
    return ThreadingHTTPServer(("127.0.0.1", port), handler_for(pricer))
