"""phonepipe's pricing engine: quantile gradient boosting on the star schema's realized marketplace sales.

Pure logic (features, metrics, the model, suggestions, promotion) lives in modules without I/O; the warehouse
(DuckDB, read-only), the artefact store and the HTTP endpoint are at the edges. See docs/pricing.md.
"""
