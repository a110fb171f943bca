{#- The landing contract (schemas/LANDING.md): topic folder and typed columns of each source table. -#}
{% macro landing_topic(table_name) -%}
    {{- return({
        'listings_scraped': 'listings.scraped',
        'marketplace_transactions': 'marketplace.transactions',
        'marketplace_user_activity': 'marketplace.user_activity',
        'pricing_suggestions': 'pricing.suggestions',
        'market_reference_prices': 'market.reference_prices',
    }[table_name]) -}}
{%- endmacro %}

{% macro landing_columns(table_name) -%}
    {%- set lineage = [
        ('kafka_partition', 'integer'), ('kafka_offset', 'bigint'), ('schema_id', 'integer'),
        ('ingested_at', 'timestamp'), ('ingest_date', 'date')] -%}
    {%- set product = [('brand', 'varchar'), ('model', 'varchar'), ('storage_gb', 'integer'), ('ram_gb', 'integer')] -%}
    {%- set cols = {
        'listings_scraped': [
            ('event_id', 'varchar'), ('source', 'varchar'), ('source_domain', 'varchar'), ('source_type', 'varchar'),
            ('url', 'varchar'), ('title', 'varchar'), ('price_text', 'varchar'), ('currency_hint', 'varchar'),
            ('seller_name', 'varchar'), ('condition_text', 'varchar'), ('availability', 'varchar'),
            ('scraped_at', 'timestamp'), ('raw_json', 'varchar'), ('brand', 'varchar'), ('model', 'varchar'),
            ('color', 'varchar'), ('condition', 'varchar'), ('listing_type', 'varchar'), ('storage_gb', 'integer'),
            ('ram_gb', 'integer'), ('confidence', 'double'), ('price_amount', 'decimal(14,2)'),
            ('price_currency', 'varchar'), ('price_egp', 'decimal(14,2)')],
        'marketplace_transactions': [
            ('event_id', 'varchar'), ('transaction_id', 'varchar'), ('event_type', 'varchar'),
            ('listing_id', 'varchar'), ('buyer_id', 'varchar'), ('seller_id', 'varchar'),
            ('product_title', 'varchar'), ('condition', 'varchar'), ('amount', 'decimal(14,2)'),
            ('currency', 'varchar'), ('payment_method', 'varchar'), ('occurred_at', 'timestamp')] + product,
        'marketplace_user_activity': [
            ('event_id', 'varchar'), ('user_id', 'varchar'), ('session_id', 'varchar'), ('activity_type', 'varchar'),
            ('listing_id', 'varchar'), ('search_query', 'varchar'), ('device', 'varchar'),
            ('occurred_at', 'timestamp')],
        'pricing_suggestions': [
            ('suggestion_id', 'varchar'), ('listing_id', 'varchar'), ('product_title', 'varchar'),
            ('condition', 'varchar'), ('suggested_price', 'decimal(14,2)'), ('currency', 'varchar'),
            ('confidence', 'double'), ('model_version', 'varchar'), ('generated_at', 'timestamp')] + product,
        'market_reference_prices': [
            ('record_id', 'varchar'), ('kind', 'varchar'), ('product_title', 'varchar'), ('retailer', 'varchar'),
            ('price', 'decimal(14,2)'), ('currency', 'varchar'), ('fx_base', 'varchar'), ('fx_quote', 'varchar'),
            ('fx_rate', 'double'), ('effective_date', 'date'), ('source_file', 'varchar'),
            ('source_line', 'integer'), ('loaded_at', 'timestamp')] + product,
    } -%}
    {{- return(cols[table_name] + lineage) -}}
{%- endmacro %}

{#- The contract's column types spelt for the target (DuckDB's names are the reference). -#}
{% macro landing_type(type_name) -%}
    {%- if target.type == 'postgres' and type_name == 'double' -%}double precision
    {%- elif target.type == 'snowflake' and type_name == 'double' -%}float
    {%- else -%}{{ type_name }}
    {%- endif -%}
{%- endmacro %}

{#- A relation over one landing topic with exactly the contract's columns, typed.
    duckdb: read_parquet over <landing_dir>/<topic>/ingest_date=*/ (temporary .tmp-* files ignored);
    a topic with no files yet yields an empty relation of the same shape, so a partial landing still builds.
    snowflake / postgres: the raw table the sink loads (source 'landing'). -#}
{% macro landing_scan(table_name) -%}
    {%- set rel = source('landing', table_name) -%}
    {%- set cols = landing_columns(table_name) -%}
    {%- if target.type == 'duckdb' -%}
        {%- set pattern = var('landing_dir') ~ '/' ~ landing_topic(table_name) ~ '/*/[!.]*.parquet' -%}
        {%- set ns = namespace(has_files=true) -%}
        {%- if execute -%}
            {%- set res = run_query("select count(*) from glob('" ~ pattern ~ "')") -%}
            {%- set ns.has_files = res.columns[0].values()[0] > 0 -%}
        {%- endif -%}
        {%- if ns.has_files %}
    select
        {%- for name, type in cols %}
        cast({{ name }} as {{ type }}) as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from read_parquet(
        '{{ pattern }}', hive_partitioning = true, union_by_name = true, hive_types = {'ingest_date': 'date'}
    )
        {%- else %}
    select
        {%- for name, type in cols %}
        cast(null as {{ landing_type(type) }}) as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    where 1 = 0
        {%- endif -%}
    {%- else %}
    select
        {%- for name, type in cols %}
        cast({{ name }} as {{ landing_type(type) }}) as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ rel }}
    {%- endif -%}
{%- endmacro %}
