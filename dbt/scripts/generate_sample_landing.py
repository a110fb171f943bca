"""Write a realistic sample landing zone for phonepipe (see schemas/LANDING.md).

Everything is generated inside DuckDB with SQL (no row-by-row Python): a catalogue of phones,
listings on several sources observed repeatedly over several weeks with price changes, a few
percent of observations re-sent in a later window (duplicates) and some landed late in an extra
shard of their window, plus marketplace transactions, user activity, AI price suggestions and
market reference data (retail prices and FX rates).

Deterministic for a given --seed, --rows, --days and --end-date (pseudo-random numbers come from
DuckDB's hash() of the row number, the seed and a salt; files are written in a fixed order).

    .venv/dbt/bin/python dbt/scripts/generate_sample_landing.py --data-dir data --rows 100000 --seed 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

WINDOW_HOURS = 6

SOURCES_SQL = """
select * from (values
    ('noon',       'noon.com',          'competitor',  30),
    ('mobilemasr', 'mobilemasr.com',    'competitor',  20),
    ('dubizzle',   'dubizzle.com.eg',   'classifieds', 30),
    ('marketplace','phonepipe.market',  'marketplace', 12),
    ('amazon',     'amazon.eg',         'competitor',   8)
) as t(source, source_domain, source_type, weight)
"""

# brand, display brand, model (canonical), display model, arabic title, storages, ram, new price (EGP,
# smallest storage), popularity weight
PRODUCTS = [
    ("apple", "Apple", "iphone 11", "iPhone 11", "ايفون 11", [64, 128], 4, 19000, 6),
    ("apple", "Apple", "iphone 12", "iPhone 12", "ايفون 12", [64, 128, 256], 4, 24000, 6),
    ("apple", "Apple", "iphone 13", "iPhone 13", "ايفون 13", [128, 256, 512], 4, 30000, 8),
    ("apple", "Apple", "iphone 13 pro", "iPhone 13 Pro", "ايفون 13 برو", [128, 256, 512, 1024], 6, 38000, 8),
    ("apple", "Apple", "iphone 13 pro max", "iPhone 13 Pro Max", "ايفون 13 برو ماكس", [128, 256, 512], 6, 42000, 6),
    ("apple", "Apple", "iphone 14", "iPhone 14", "ايفون 14", [128, 256], 6, 36000, 6),
    (
        "apple",
        "Apple",
        "iphone 14 pro max",
        "iPhone 14 Pro Max",
        "ايفون 14 برو ماكس",
        [128, 256, 512, 1024],
        6,
        52000,
        7,
    ),
    ("apple", "Apple", "iphone 15", "iPhone 15", "ايفون 15", [128, 256, 512], 6, 45000, 6),
    ("apple", "Apple", "iphone 15 pro max", "iPhone 15 Pro Max", "ايفون 15 برو ماكس", [256, 512, 1024], 8, 68000, 7),
    ("apple", "Apple", "iphone se 2022", "iPhone SE 2022", "ايفون اس اي 2022", [64, 128], 4, 17000, 2),
    (
        "samsung",
        "Samsung",
        "galaxy s23 ultra",
        "Galaxy S23 Ultra",
        "سامسونج جالاكسي اس 23 الترا",
        [256, 512],
        12,
        48000,
        5,
    ),
    ("samsung", "Samsung", "galaxy s24", "Galaxy S24", "سامسونج جالاكسي اس 24", [128, 256], 8, 38000, 4),
    ("samsung", "Samsung", "galaxy a54", "Galaxy A54", "سامسونج جالاكسي ايه 54", [128, 256], 8, 15000, 6),
    ("samsung", "Samsung", "galaxy a15", "Galaxy A15", "سامسونج جالاكسي ايه 15", [128], 6, 7500, 6),
    ("samsung", "Samsung", "galaxy z fold 5", "Galaxy Z Fold5", "سامسونج زد فولد 5", [256, 512], 12, 70000, 2),
    ("samsung", "Samsung", "galaxy s22+", "Galaxy S22+", "سامسونج جالاكسي اس 22 بلس", [128, 256], 8, 26000, 3),
    (
        "xiaomi",
        "Xiaomi",
        "redmi note 13 pro+",
        "Redmi Note 13 Pro+",
        "شاومي ريدمي نوت 13 برو بلس",
        [256, 512],
        12,
        17000,
        5,
    ),
    ("xiaomi", "Xiaomi", "redmi 13c", "Redmi 13C", "شاومي ريدمي 13 سي", [128, 256], 6, 5500, 6),
    ("xiaomi", "Xiaomi", "poco x6 pro", "POCO X6 Pro", "بوكو اكس 6 برو", [256, 512], 12, 15000, 3),
    ("xiaomi", "Xiaomi", "13t pro", "13T Pro", "شاومي 13 تي برو", [512], 12, 30000, 2),
    ("oppo", "OPPO", "reno 11 f", "Reno 11 F", "اوبو رينو 11 اف", [256], 8, 14000, 3),
    ("realme", "realme", "11 pro+", "11 Pro+", "ريلمي 11 برو بلس", [256, 512], 12, 16000, 2),
    ("huawei", "HUAWEI", "nova 11i", "nova 11i", "هواوي نوفا 11 اي", [128], 8, 9000, 2),
    ("honor", "HONOR", "magic 6 pro", "Magic6 Pro", "هونر ماجيك 6 برو", [512], 12, 45000, 1),
    ("infinix", "Infinix", "note 30 pro", "Note 30 Pro", "انفينكس نوت 30 برو", [256], 8, 8000, 4),
    ("tecno", "TECNO", "spark 20 pro+", "Spark 20 Pro+", "تكنو سبارك 20 برو بلس", [256], 8, 8500, 3),
    ("google", "Google", "pixel 8 pro", "Pixel 8 Pro", "جوجل بيكسل 8 برو", [128, 256], 12, 40000, 1),
    ("oneplus", "OnePlus", "nord ce 3 lite", "Nord CE 3 Lite", "وان بلس نورد سي اي 3 لايت", [128, 256], 8, 11000, 1),
    ("nothing", "Nothing", "phone 2", "Phone (2)", "ناثينج فون 2", [256, 512], 12, 28000, 1),
    ("vivo", "vivo", "y36", "Y36", "فيفو واي 36", [128, 256], 8, 8000, 2),
]

COLORS = ["black", "white", "blue", "midnight", "silver", "gold", "green", "purple", "graphite", "red"]
STORES = [
    "noon",
    "Tech Hub EG",
    "Mobile Zone",
    "Smart Cell",
    "Cairo Phones",
    "El Masry Store",
    "2B Egypt",
    "Raya Shop",
    "B.TECH",
    "Dream 2000",
]
PEOPLE = [
    "Ahmed Hassan",
    "Mohamed Ali",
    "Mahmoud Said",
    "Omar Khaled",
    "Youssef Adel",
    "Mostafa Samir",
    "Karim Nabil",
    "Amr Fathy",
    "Sara Mostafa",
    "Nour Ahmed",
    "Hany Fawzy",
    "Tarek Lotfy",
    "محمد عبد الله",
    "احمد سمير",
    "مصطفى حسن",
    "ياسمين علي",
    "خالد ابراهيم",
    "عمرو فتحي",
]


def sql_list(values: list) -> str:
    out = []
    for v in values:
        if isinstance(v, str):
            out.append("'" + v.replace("'", "''") + "'")
        elif isinstance(v, list):
            out.append("[" + ", ".join(str(x) for x in v) + "]")
        else:
            out.append(str(v))
    return "(" + ", ".join(out) + ")"


def sql_array(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def setup(con: duckdb.DuckDBPyConnection, seed: int, start: dt.datetime, days: int) -> None:
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET TimeZone = 'UTC'")
    # u(i, salt): a uniform number in [0, 1) derived from the row, the seed and a salt.
    con.execute(f"CREATE MACRO u(i, salt) AS (hash(i, salt, {seed}) % 1000003) / 1000003.0")
    con.execute(f"CREATE MACRO hi(i, salt, n) AS CAST(hash(i, salt, {seed}) % CAST(n AS UBIGINT) AS INTEGER)")
    con.execute(f"CREATE MACRO t0() AS TIMESTAMP '{start:%Y-%m-%d %H:%M:%S}'")
    con.execute(f"CREATE MACRO span_s() AS {days * 86400}")
    con.execute(f"CREATE MACRO gen_end() AS TIMESTAMP '{start:%Y-%m-%d %H:%M:%S}' + INTERVAL {days} DAY")
    con.execute(
        "CREATE MACRO uuid_of(s) AS lower(substr(md5(s), 1, 8) || '-' || substr(md5(s), 9, 4) || '-4' || "
        "substr(md5(s), 14, 3) || '-a' || substr(md5(s), 18, 3) || '-' || substr(md5(s), 21, 12))"
    )
    con.execute(f"CREATE TABLE sources AS {SOURCES_SQL}")
    con.execute(
        "CREATE TABLE sources_w AS SELECT *, sum(weight) OVER (ORDER BY source_domain) - weight AS lo, "
        "sum(weight) OVER (ORDER BY source_domain) AS hi_w FROM sources"
    )
    rows = ",\n".join(sql_list([i, *p]) for i, p in enumerate(PRODUCTS))
    con.execute(
        "CREATE TABLE products AS SELECT * FROM (VALUES " + rows + ") AS t(product_idx, brand, brand_display, "
        "model, model_display, title_ar, storages, ram_gb, new_price, weight)"
    )
    con.execute(
        "CREATE TABLE products_w AS SELECT *, sum(weight) OVER (ORDER BY product_idx) - weight AS lo, "
        "sum(weight) OVER (ORDER BY product_idx) AS hi_w FROM products"
    )
    # Daily FX rates (EGP per unit); about one day in ten has no USD rate known to the stream job.
    con.execute(
        f"""CREATE TABLE fx AS
        SELECT d::DATE AS day, c.cur,
               round(c.base * (1 + 0.02 * sin(i / 5.0) + 0.004 * (u(i, 'fx' || c.cur) - 0.5)), 4) AS rate,
               u(i, 'fxknown' || c.cur) >= 0.1 AS known_to_stream
        FROM range(0, {days + 2}) r(i)
        CROSS JOIN (VALUES ('USD', 48.6), ('AED', 13.23), ('SAR', 12.95)) c(cur, base)
        CROSS JOIN LATERAL (SELECT t0() + INTERVAL 1 DAY * (i - 1) AS d)"""
    )


LISTINGS_SQL = """
CREATE TABLE listings AS
WITH l AS (
    SELECT i AS l_idx, u(i, 'src') * 100 AS src_u, u(i, 'prod') * (SELECT sum(weight) FROM products) AS prod_u,
           u(i, 'st') AS st_u, u(i, 'cond') AS cond_u, u(i, 'price') AS price_u, u(i, 'first') AS first_u,
           hi(i, 'color', 10) AS color_idx, hi(i, 'seller', 1000) AS seller_h, u(i, 'cur') AS cur_u,
           u(i, 'wanted') AS wanted_u, u(i, 'unk') AS unk_u, u(i, 'ar') AS ar_u, hi(i, 'chg', 6) AS chg_every,
           u(i, 'nochg') AS nochg_u
    FROM range(0, {n_listings}) r(i)
)
SELECT l.*, s.source, s.source_domain, s.source_type,
       p.product_idx, p.brand, p.brand_display, p.model, p.model_display, p.title_ar, p.ram_gb, p.new_price,
       p.storages,
       p.storages[1 + CAST(floor(st_u * len(p.storages)) AS INTEGER)] AS storage_gb,
       CASE WHEN s.source IN ('noon', 'amazon', 'mobilemasr') THEN
                CASE WHEN cond_u < 0.70 THEN 'new' WHEN cond_u < 0.90 THEN 'refurbished'
                     WHEN cond_u < 0.97 THEN 'like_new' ELSE NULL END
            ELSE CASE WHEN cond_u < 0.60 THEN 'used' WHEN cond_u < 0.82 THEN 'like_new'
                      WHEN cond_u < 0.90 THEN 'new' WHEN cond_u < 0.96 THEN 'refurbished' ELSE NULL END
       END AS condition,
       c.color,
       CASE WHEN s.source_type = 'classifieds' THEN {people}[1 + seller_h % {n_people}]
            WHEN s.source = 'marketplace' THEN 'user_' || lpad(CAST(seller_h AS VARCHAR), 4, '0')
            WHEN s.source = 'mobilemasr' THEN 'Mobile Masr'
            WHEN seller_h % 13 = 0 THEN NULL
            ELSE {stores}[1 + seller_h % {n_stores}] END AS seller_name,
       CASE WHEN s.source = 'amazon' AND cur_u < 0.25 THEN 'USD'
            WHEN s.source = 'dubizzle' AND cur_u < 0.01 THEN 'SAR'
            WHEN s.source = 'noon' AND cur_u < 0.02 THEN 'AED'
            ELSE 'EGP' END AS price_currency,
       CASE WHEN s.source_type = 'classifieds' AND wanted_u < 0.015 THEN 'wanted' ELSE 'sale' END AS listing_type,
       unk_u < 0.02 AS unknown_model,
       first_u * 0.6 * span_s() AS first_offset_s
FROM l
JOIN sources_w s ON l.src_u >= s.lo AND l.src_u < s.hi_w
JOIN products_w p ON l.prod_u >= p.lo AND l.prod_u < p.hi_w
CROSS JOIN LATERAL (SELECT {colors}[1 + l.color_idx] AS color) c
"""

OBS_SQL = """
CREATE TABLE obs AS
WITH o AS (
    SELECT i AS o_idx, i % {n_listings} AS l_idx, i // {n_listings} AS k FROM range(0, {rows}) r(i)
), per AS (
    SELECT o.*, l.*,
           (span_s() - l.first_offset_s) / {obs_per_listing} AS step_s
    FROM o JOIN listings l USING (l_idx)
), t AS (
    SELECT per.*,
           t0() + to_microseconds(CAST((first_offset_s + k * step_s + u(o_idx, 'jit') * step_s * 0.5) * 1e6 AS BIGINT))
               AS scraped_at_raw,
           -- price drifts down in steps every few observations (some listings never change)
           CASE WHEN nochg_u < 0.3 THEN 1.0 ELSE power(0.97, k // (chg_every + 2)) END AS drift
    FROM per
)
SELECT t.*, date_trunc('second', scraped_at_raw) AS scraped_at,
       new_price * (1 + 0.35 * log2(storage_gb / storages[1])) *
       CASE condition WHEN 'new' THEN 1.0 WHEN 'like_new' THEN 0.86 WHEN 'refurbished' THEN 0.78
                      WHEN 'used' THEN 0.68 ELSE 0.75 END *
       (0.88 + 0.24 * price_u) * drift AS price_egp_true
FROM t
"""

LISTING_ROWS_SQL = """
CREATE TABLE listing_rows AS
WITH b AS (
    SELECT o.*,
        fx.rate AS fx_rate, fx.known_to_stream AS fx_known,
        CASE WHEN listing_type = 'wanted' OR u(o_idx, 'na') < 0.01 THEN NULL
             WHEN price_currency = 'EGP' THEN round(price_egp_true / 50) * 50
             ELSE round(price_egp_true / fx.rate, 0) END AS amount,
        'https://www.' || source_domain || '/' ||
        CASE source WHEN 'noon' THEN 'egypt-en/' || replace(lower(brand_display || '-' || model_display), ' ', '-')
                                     || '/N' || lpad(CAST(l_idx AS VARCHAR), 8, '0') || 'V/p/'
                    WHEN 'dubizzle' THEN 'ad/' || replace(lower(model_display), ' ', '-') || '-ID'
                                     || CAST(100000000 + l_idx AS VARCHAR) || '.html'
                    WHEN 'amazon' THEN 'dp/B0' || upper(substr(md5(CAST(l_idx AS VARCHAR)), 1, 8))
                    ELSE 'listing/' || CAST(l_idx AS VARCHAR) END AS url,
        CASE WHEN source_type = 'classifieds' AND ar_u < 0.4 THEN 'ar' ELSE 'en' END AS lang
    FROM obs o
    LEFT JOIN fx ON fx.day = CAST(o.scraped_at AS DATE) AND fx.cur = o.price_currency
)
SELECT
    sha256(source || '|' || url || '|' || strftime(scraped_at, '%Y-%m-%dT%H:%M:%SZ')) AS event_id,
    source, source_domain, source_type, url,
    CASE WHEN unknown_model THEN
            CASE WHEN lang = 'ar' THEN 'موبايل للبيع حالة ممتازة' ELSE 'Smart phone for sale, good condition' END
         WHEN lang = 'ar' THEN
            CASE WHEN listing_type = 'wanted' THEN 'مطلوب ' ELSE '' END || title_ar || ' ' ||
            CASE WHEN storage_gb = 1024 THEN '1 تيرا' ELSE CAST(storage_gb AS VARCHAR) || ' جيجا' END ||
            CASE condition WHEN 'new' THEN ' جديد متبرشم' WHEN 'like_new' THEN ' كسر زيرو'
                           WHEN 'used' THEN ' مستعمل' WHEN 'refurbished' THEN ' متجدد' ELSE '' END
         ELSE
            CASE WHEN listing_type = 'wanted' THEN 'Wanted: ' ELSE '' END || brand_display || ' ' || model_display ||
            ' ' || CASE WHEN storage_gb = 1024 THEN '1TB' ELSE CAST(storage_gb AS VARCHAR) || 'GB' END ||
            CASE WHEN ram_gb IS NOT NULL AND source = 'noon'
                 THEN ' ' || CAST(ram_gb AS VARCHAR) || 'GB RAM' ELSE '' END ||
            ' ' || upper(substr(color, 1, 1)) || substr(color, 2) ||
            CASE condition WHEN 'new' THEN '' WHEN 'like_new' THEN ' - Like New' WHEN 'used' THEN ' - Used'
                           WHEN 'refurbished' THEN ' (Renewed)' ELSE '' END
    END AS title,
    CASE WHEN amount IS NULL THEN CASE WHEN listing_type = 'wanted' THEN NULL ELSE 'Not Available' END
         WHEN price_currency = 'USD' THEN '$' || format('{:,.2f}', amount)
         WHEN price_currency <> 'EGP' THEN price_currency || ' ' || format('{:,}', CAST(amount AS BIGINT))
         WHEN source = 'noon' THEN 'EGP ' || format('{:,.2f}', amount)
         WHEN lang = 'ar' THEN format('{:,}', CAST(amount AS BIGINT)) || ' جنيه'
         ELSE format('{:,}', CAST(amount AS BIGINT)) || ' EGP' END AS price_text,
    CASE WHEN source_type = 'classifieds' THEN NULL ELSE price_currency END AS currency_hint,
    seller_name,
    CASE condition WHEN 'new' THEN CASE WHEN lang = 'ar' THEN 'جديد' ELSE 'New' END
                   WHEN 'like_new' THEN CASE WHEN lang = 'ar' THEN 'كسر زيرو' ELSE 'Open box' END
                   WHEN 'used' THEN CASE WHEN lang = 'ar' THEN 'حالة ممتازة' ELSE 'Very good' END
                   WHEN 'refurbished' THEN 'Renewed'
                   ELSE CASE WHEN u(o_idx, 'bat') < 0.5 THEN '90%' ELSE NULL END END AS condition_text,
    CASE WHEN source_type = 'classifieds' THEN NULL
         WHEN u(o_idx, 'oos') < 0.05 THEN 'out_of_stock' ELSE 'in_stock' END AS availability,
    scraped_at,
    '{"sku":"' || upper(substr(md5(url), 1, 10)) || '","page":"' || CAST(1 + hi(o_idx, 'page', 20) AS VARCHAR)
        || '"}' AS raw_json,
    CASE WHEN unknown_model THEN NULL ELSE brand END AS brand,
    CASE WHEN unknown_model THEN NULL ELSE model END AS model,
    CASE WHEN lang = 'ar' OR unknown_model THEN NULL ELSE color END AS color,
    condition, listing_type,
    CAST(CASE WHEN unknown_model THEN NULL ELSE storage_gb END AS INTEGER) AS storage_gb,
    CAST(CASE WHEN unknown_model OR source <> 'noon' THEN NULL ELSE ram_gb END AS INTEGER) AS ram_gb,
    CAST(CASE WHEN unknown_model THEN 0.2 ELSE 0.9 + 0.1 * u(l_idx, 'conf') END AS DOUBLE) AS confidence,
    CAST(amount AS DECIMAL(14, 2)) AS price_amount,
    CASE WHEN amount IS NULL THEN NULL ELSE price_currency END AS price_currency,
    CAST(CASE WHEN amount IS NULL THEN NULL WHEN price_currency = 'EGP' THEN amount
              WHEN fx_known THEN amount * fx_rate ELSE NULL END AS DECIMAL(14, 2)) AS price_egp,
    o_idx AS row_idx
FROM b
"""


def land(
    con: duckdb.DuckDBPyConnection,
    table: str,
    time_col: str,
    key_col: str,
    columns: str,
    dup_pct: float,
    late_pct: float,
) -> None:
    """Assign rows of `table` to event-time windows and shards and add re-sent copies: creates `<table>_landed`.

    Shard 0 holds the window's rows as first landed; shard 1 holds rows that arrived late (hours to days after
    the window closed); a few percent of observations are re-sent once more in the next window (shard 2).
    """
    con.execute(
        f"""CREATE TABLE {table}_landed AS
        WITH base AS (
            SELECT *, time_bucket(INTERVAL {WINDOW_HOURS} HOUR, {time_col}) AS window_start,
                   u(row_idx, 'late_{table}') < {late_pct} AS is_late,
                   u(row_idx, 'dup_{table}') < {dup_pct} AS is_dup
            FROM {table}
        ), landed AS (
            SELECT *, CASE WHEN is_late THEN 1 ELSE 0 END AS shard,
                   window_start + INTERVAL {WINDOW_HOURS} HOUR + CASE WHEN is_late
                       THEN to_seconds(CAST(3600 + u(row_idx, 'lag_{table}') * 172800 AS BIGINT))
                       ELSE to_seconds(CAST(5 + u(row_idx, 'lag_{table}') * 120 AS BIGINT)) END AS ingested_at
            FROM base
            UNION ALL
            SELECT * REPLACE (window_start + INTERVAL {WINDOW_HOURS} HOUR AS window_start), 2 AS shard,
                   window_start + INTERVAL {2 * WINDOW_HOURS} HOUR
                       + to_seconds(CAST(5 + u(row_idx, 'duplag_{table}') * 120 AS BIGINT)) AS ingested_at
            FROM base WHERE is_dup
        )
        SELECT CAST(NULL AS INTEGER) AS kafka_partition, CAST(NULL AS BIGINT) AS kafka_offset,
               CAST(NULL AS INTEGER) AS schema_id,
               -- nothing lands after the end of the generated period (plus 15 minutes): a later batch
               -- (a later --end-date) then always arrives after this one, as in a real landing
               CAST(least(ingested_at, gen_end() + to_seconds(CAST(u(row_idx, 'cap_{table}') * 900 AS BIGINT)))
                    AS TIMESTAMP) AS ingested_at,
               {columns},
               CAST(window_start AS DATE) AS ingest_date,
               strftime(window_start, '%Y%m%dT%H%M%SZ') || '_' || CAST(shard AS VARCHAR) AS file_stem
        FROM landed
        ORDER BY file_stem, {time_col}, {key_col}"""
    )
    # within one file no key repeats (a re-sent copy never shares a window with its original)
    dupes = con.execute(
        f"SELECT count(*) FROM (SELECT file_stem, {key_col} FROM {table}_landed GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()[0]
    assert dupes == 0, f"{table}: {dupes} keys repeat within a file"


def write_topic(
    con: duckdb.DuckDBPyConnection, landed: str, topic: str, key_col: str, time_col: str, data_dir: Path
) -> int:
    """Write `landed` as <data>/landing/<topic>/ingest_date=D/<file_stem>.parquet, atomically per file.

    One partitioned COPY writes every file into a hidden staging folder (one pass over the table instead of
    one filtered scan per file); each file is then renamed into place.
    """
    files = con.execute(f"SELECT DISTINCT ingest_date, file_stem FROM {landed} ORDER BY ALL").fetchall()
    cols = [r[0] for r in con.execute(f"DESCRIBE {landed}").fetchall() if r[0] not in ("ingest_date", "file_stem")]
    col_list = ", ".join(cols)
    staging = data_dir / "landing" / topic / f".tmp-write-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"COPY (SELECT {col_list}, ingest_date, file_stem FROM {landed}) TO '{staging}' "
        "(FORMAT parquet, PARTITION_BY (ingest_date, file_stem))"
    )
    try:
        for ingest_date, stem in files:
            folder = data_dir / "landing" / topic / f"ingest_date={ingest_date:%Y-%m-%d}"
            folder.mkdir(parents=True, exist_ok=True)
            written = sorted((staging / f"ingest_date={ingest_date:%Y-%m-%d}" / f"file_stem={stem}").glob("*.parquet"))
            if len(written) > 1:  # a parallel writer may split a partition: merge it into one file
                tmp = folder / f".tmp-{stem}.parquet"
                parts = ", ".join(f"'{f}'" for f in written)
                con.execute(f"COPY (SELECT * FROM read_parquet([{parts}])) TO '{tmp}' (FORMAT parquet)")
                written = [tmp]
            os.replace(written[0], folder / f"{stem}.parquet")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(files)


LISTING_COLS = """event_id, source, source_domain, source_type, url, title, price_text, currency_hint, seller_name,
condition_text, availability, scraped_at, raw_json, brand, model, color, condition, listing_type, storage_gb, ram_gb,
confidence, price_amount, price_currency, price_egp"""


def product_title_sql(alias: str = "p") -> str:
    return (
        f"{alias}.brand_display || ' ' || {alias}.model_display || ' ' || "
        f"CASE WHEN st = 1024 THEN '1TB' ELSE CAST(st AS VARCHAR) || 'GB' END"
    )


def gen_transactions(con: duckdb.DuckDBPyConnection, rows: int) -> None:
    n_orders = max(20, rows // 25)
    con.execute(
        f"""CREATE TABLE transactions AS
        WITH o AS (
            SELECT i AS ord, u(i, 'tp') * (SELECT sum(weight) FROM products) AS prod_u, u(i, 'tst') AS st_u,
                   t0() + to_seconds(CAST(u(i, 'tt') * (span_s() - 3 * 86400) AS BIGINT)) AS placed_at,
                   u(i, 'tcond') AS cond_u, u(i, 'tpay') AS pay_u, u(i, 'tflow') AS flow_u, u(i, 'tprice') AS price_u
            FROM range(0, {n_orders}) r(i)
        ), op AS (
            SELECT o.*, p.*, p.storages[1 + CAST(floor(st_u * len(p.storages)) AS INTEGER)] AS st,
                   CASE WHEN cond_u < 0.55 THEN 'used' WHEN cond_u < 0.8 THEN 'like_new'
                        WHEN cond_u < 0.92 THEN 'refurbished' ELSE 'new' END AS condition
            FROM o JOIN products_w p ON o.prod_u >= p.lo AND o.prod_u < p.hi_w
        ), steps AS (
            SELECT op.*, s.step, s.event_type, s.offset_s
            FROM op CROSS JOIN (VALUES (0, 'order_placed', 0), (1, 'payment_captured', 420),
                                       (2, 'sale_completed', 172800), (3, 'refund_issued', 345600))
                 AS s(step, event_type, offset_s)
            WHERE s.step = 0 OR (s.step = 1 AND flow_u < 0.9) OR (s.step = 2 AND flow_u < 0.8)
               OR (s.step = 3 AND flow_u < 0.03)
        )
        SELECT row_number() OVER (ORDER BY ord, step) - 1 AS row_idx,
               uuid_of('txn|' || ord || '|' || step) AS event_id,
               'ord-' || lpad(CAST(ord AS VARCHAR), 8, '0') AS transaction_id,
               event_type,
               'mkt-' || lpad(CAST(hash(ord, 'tl') % 50000 AS VARCHAR), 6, '0') AS listing_id,
               'user_' || lpad(CAST(hash(ord, 'tb') % 9000 AS VARCHAR), 4, '0') AS buyer_id,
               'user_' || lpad(CAST(hash(ord, 'ts') % 1000 AS VARCHAR), 4, '0') AS seller_id,
               {product_title_sql("steps")} AS product_title,
               condition,
               CAST(round(new_price * (1 + 0.35 * log2(st / storages[1])) *
                    CASE condition WHEN 'new' THEN 1.0 WHEN 'like_new' THEN 0.86 WHEN 'refurbished' THEN 0.78
                    ELSE 0.68 END * (0.9 + 0.2 * price_u) / 50) * 50 AS DECIMAL(14, 2)) AS amount,
               'EGP' AS currency,
               CASE WHEN pay_u < 0.35 THEN 'card' WHEN pay_u < 0.6 THEN 'wallet' WHEN pay_u < 0.85
                    THEN 'cash_on_delivery' ELSE 'instapay' END AS payment_method,
               CAST(placed_at + to_seconds(offset_s + CAST(u(ord * 4 + step, 'tj') * 3600 AS BIGINT)) AS TIMESTAMP)
                   AS occurred_at,
               brand, model, CAST(st AS INTEGER) AS storage_gb, CAST(NULL AS INTEGER) AS ram_gb
        FROM steps"""
    )


def gen_activity(con: duckdb.DuckDBPyConnection, rows: int) -> None:
    n = max(50, rows // 4)
    con.execute(
        f"""CREATE TABLE activity AS
        SELECT i AS row_idx, uuid_of('act|' || i) AS event_id,
               'user_' || lpad(CAST(hash(i // 7, 'au') % 9000 AS VARCHAR), 4, '0') AS user_id,
               uuid_of('sess|' || (i // 7)) AS session_id,
               CASE WHEN u(i, 'at') < 0.62 THEN 'listing_view' WHEN u(i, 'at') < 0.82 THEN 'search'
                    WHEN u(i, 'at') < 0.93 THEN 'favourite_added' ELSE 'seller_contacted' END AS activity_type,
               CASE WHEN u(i, 'at') >= 0.62 AND u(i, 'at') < 0.82 THEN NULL
                    ELSE 'mkt-' || lpad(CAST(hash(i, 'al') % 50000 AS VARCHAR), 6, '0') END AS listing_id,
               CASE WHEN u(i, 'at') >= 0.62 AND u(i, 'at') < 0.82 THEN
                    (SELECT lower(model_display) FROM products WHERE product_idx = hash(i, 'aq') % {len(PRODUCTS)})
                    ELSE NULL END AS search_query,
               CASE WHEN u(i // 7, 'dev') < 0.6 THEN 'android' WHEN u(i // 7, 'dev') < 0.85 THEN 'ios'
                    ELSE 'web' END AS device,
               CAST(t0() + to_seconds(CAST(u(i // 7, 'as') * (span_s() - 3600) AS BIGINT) + (i % 7) * 40)
                    AS TIMESTAMP) AS occurred_at
        FROM range(0, {n}) r(i)"""
    )


def gen_suggestions(con: duckdb.DuckDBPyConnection, rows: int) -> None:
    n = max(20, rows // 50)
    con.execute(
        f"""CREATE TABLE suggestions AS
        WITH s AS (
            SELECT i, u(i, 'sp') * (SELECT sum(weight) FROM products) AS prod_u, u(i, 'sst') AS st_u,
                   u(i, 'sc') AS cond_u
            FROM range(0, {n}) r(i)
        ), sp AS (
            SELECT s.*, p.*, p.storages[1 + CAST(floor(st_u * len(p.storages)) AS INTEGER)] AS st,
                   CASE WHEN cond_u < 0.55 THEN 'used' WHEN cond_u < 0.8 THEN 'like_new'
                        WHEN cond_u < 0.92 THEN 'refurbished' ELSE 'new' END AS condition
            FROM s JOIN products_w p ON s.prod_u >= p.lo AND s.prod_u < p.hi_w
        )
        SELECT i AS row_idx, uuid_of('sugg|' || i) AS suggestion_id,
               CASE WHEN u(i, 'sl') < 0.7 THEN 'mkt-' || lpad(CAST(hash(i, 'sl') % 50000 AS VARCHAR), 6, '0')
                    ELSE NULL END AS listing_id,
               {product_title_sql("sp")} AS product_title, condition,
               CAST(round(new_price * (1 + 0.35 * log2(st / storages[1])) *
                    CASE condition WHEN 'new' THEN 1.0 WHEN 'like_new' THEN 0.86 WHEN 'refurbished' THEN 0.78
                    ELSE 0.68 END * (0.95 + 0.1 * u(i, 'spr')) / 10) * 10 AS DECIMAL(14, 2)) AS suggested_price,
               'EGP' AS currency, round(0.55 + 0.45 * u(i, 'scf'), 3) AS confidence,
               CASE WHEN u(i, 'mv') < 0.5 THEN 'pricer-2026.10.2' ELSE 'pricer-2026.11.1' END AS model_version,
               CAST(t0() + to_seconds(CAST(u(i, 'sg') * (span_s() - 60) AS BIGINT)) AS TIMESTAMP) AS generated_at,
               brand, model, CAST(st AS INTEGER) AS storage_gb, CAST(NULL AS INTEGER) AS ram_gb
        FROM sp"""
    )


def gen_reference(con: duckdb.DuckDBPyConnection, days: int) -> None:
    con.execute(
        f"""CREATE TABLE reference AS
        WITH retail AS (
            SELECT 'retail_price' AS kind, p.brand, p.model, st,
                   p.brand_display || ' ' || p.model_display || ' ' ||
                       CASE WHEN st = 1024 THEN '1TB' ELSE CAST(st AS VARCHAR) || 'GB' END AS product_title,
                   CASE p.brand WHEN 'apple' THEN 'Apple Authorised Reseller EG' WHEN 'samsung' THEN 'Samsung Egypt'
                        ELSE 'Official store' END AS retailer,
                   CAST(round(p.new_price * 1.08 * (1 + 0.35 * log2(st / p.storages[1])) / 100) * 100
                        AS DECIMAL(14, 2)) AS price,
                   'EGP' AS currency, NULL AS fx_base, NULL AS fx_quote, CAST(NULL AS DOUBLE) AS fx_rate,
                   CAST(t0() + INTERVAL 7 DAY * w AS DATE) AS effective_date, w
            FROM products p, unnest(p.storages) AS s(st), range(0, {max(1, days // 7 + 1)}) r(w)
        ), fxr AS (
            SELECT 'fx_rate', NULL, NULL, NULL, NULL, NULL, NULL, NULL, cur, 'EGP', rate, day,
                   CAST(datediff('day', CAST(t0() AS DATE), day) // 7 AS BIGINT)
            FROM fx WHERE cur IN ('USD', 'AED') AND day <= CAST(t0() AS DATE) + {days}
        ), allr AS (SELECT * FROM retail UNION ALL SELECT * FROM fxr)
        SELECT row_number() OVER (ORDER BY effective_date, kind, coalesce(product_title, fx_base)) - 1 AS row_idx,
               sha256(kind || '|' || coalesce(product_title, fx_base || '/' || fx_quote) || '|'
                      || CAST(effective_date AS VARCHAR)) AS record_id,
               kind, product_title, retailer, price, currency, fx_base, fx_quote, fx_rate, effective_date,
               'market_' || strftime(CAST(t0() AS DATE) + CAST(7 * w AS INTEGER), '%Y-%m-%d') || '.csv' AS source_file,
               CAST(1 + row_number() OVER (PARTITION BY w ORDER BY effective_date, kind,
                    coalesce(product_title, fx_base)) AS INTEGER) AS source_line,
               CAST(effective_date AS TIMESTAMP) + INTERVAL 7 HOUR + to_seconds(CAST(row_number() OVER
                    (PARTITION BY w ORDER BY kind, product_title) AS BIGINT)) AS loaded_at,
               brand, model, CAST(st AS INTEGER) AS storage_gb, CAST(NULL AS INTEGER) AS ram_gb
        FROM allr"""
    )


def corrupt(con: duckdb.DuckDBPyConnection) -> None:
    """Make the newest listings file carry a negative price and an unknown condition (for quality tests)."""
    con.execute(
        """UPDATE listing_rows SET price_amount = -1500.00, price_egp = -1500.00, price_currency = 'EGP'
           WHERE row_idx = (SELECT max(row_idx) FROM listing_rows WHERE price_currency = 'EGP')"""
    )
    con.execute(
        """UPDATE listing_rows SET condition = 'broken', condition_text = 'for parts / broken screen'
           WHERE row_idx = (SELECT max(row_idx) - 1 FROM listing_rows)"""
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", required=True, type=Path, help="data directory; files go to <dir>/landing/...")
    ap.add_argument("--rows", type=int, default=100_000, help="distinct listing observations (default 100000)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--days", type=int, default=28, help="days of history, ending on --end-date (default 28)")
    ap.add_argument(
        "--end-date",
        type=dt.date.fromisoformat,
        default=dt.datetime.now(dt.UTC).date(),
        help="last day of data, YYYY-MM-DD (default: today, UTC)",
    )
    ap.add_argument("--corrupt", action="store_true", help="add a negative price and an unknown condition")
    ap.add_argument("--listings-only", action="store_true", help="write only listings.scraped")
    args = ap.parse_args(argv)
    if args.rows < 1 or args.days < 1:
        ap.error("--rows and --days must be positive")

    t_start = time.perf_counter()
    start = dt.datetime.combine(args.end_date - dt.timedelta(days=args.days - 1), dt.time())
    con = duckdb.connect()
    setup(con, args.seed, start, args.days)

    n_listings = max(20, args.rows // 12)
    obs_per_listing = -(-args.rows // n_listings)
    con.execute(
        LISTINGS_SQL.format(
            n_listings=n_listings,
            people=sql_array(PEOPLE),
            n_people=len(PEOPLE),
            stores=sql_array(STORES),
            n_stores=len(STORES),
            colors=sql_array(COLORS),
        )
    )
    con.execute(OBS_SQL.format(n_listings=n_listings, rows=args.rows, obs_per_listing=obs_per_listing))
    con.execute(LISTING_ROWS_SQL)
    if args.corrupt:
        corrupt(con)
    land(con, "listing_rows", "scraped_at", "event_id", LISTING_COLS, dup_pct=0.03, late_pct=0.02)

    topics = [("listing_rows_landed", "listings.scraped", "event_id", "scraped_at")]
    if not args.listings_only:
        gen_transactions(con, args.rows)
        land(
            con,
            "transactions",
            "occurred_at",
            "event_id",
            "event_id, transaction_id, event_type, listing_id, buyer_id, seller_id, product_title, condition, "
            "amount, currency, payment_method, occurred_at, brand, model, storage_gb, ram_gb",
            0.01,
            0.01,
        )
        gen_activity(con, args.rows)
        land(
            con,
            "activity",
            "occurred_at",
            "event_id",
            "event_id, user_id, session_id, activity_type, listing_id, search_query, device, occurred_at",
            0.01,
            0.01,
        )
        gen_suggestions(con, args.rows)
        land(
            con,
            "suggestions",
            "generated_at",
            "suggestion_id",
            "suggestion_id, listing_id, product_title, condition, suggested_price, currency, confidence, "
            "model_version, generated_at, brand, model, storage_gb, ram_gb",
            0.01,
            0.0,
        )
        gen_reference(con, args.days)
        land(
            con,
            "reference",
            "loaded_at",
            "record_id",
            "record_id, kind, product_title, retailer, price, currency, fx_base, fx_quote, fx_rate, "
            "effective_date, source_file, source_line, loaded_at, brand, model, storage_gb, ram_gb",
            0.0,
            0.0,
        )
        topics += [
            ("transactions_landed", "marketplace.transactions", "event_id", "occurred_at"),
            ("activity_landed", "marketplace.user_activity", "event_id", "occurred_at"),
            ("suggestions_landed", "pricing.suggestions", "suggestion_id", "generated_at"),
            ("reference_landed", "market.reference_prices", "record_id", "loaded_at"),
        ]

    for landed, topic, key, time_col in topics:
        n_files = write_topic(con, landed, topic, key, time_col, args.data_dir)
        n_rows, n_keys = con.execute(f"SELECT count(*), count(DISTINCT {key}) FROM {landed}").fetchone()
        print(f"{topic:28s} {n_rows:>9,} rows ({n_keys:,} distinct {key}) in {n_files} files")
    print(
        f"landing written to {args.data_dir / 'landing'} in {time.perf_counter() - t_start:.1f}s "
        f"({start:%Y-%m-%d} .. {args.end_date:%Y-%m-%d}, seed {args.seed})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
