{#- Generated from schemas/avro/*.topic.yaml by `make catalog`; do not edit.
    The landing contract: topic folder and typed columns of each landing source table. -#}
{% macro landing_topic(table_name) -%}
    {{- return({
        'listings_scraped': 'listings.scraped',
        'market_reference_prices': 'market.reference_prices',
        'marketplace_transactions': 'marketplace.transactions',
        'marketplace_user_activity': 'marketplace.user_activity',
        'pricing_suggestions': 'pricing.suggestions',
    }[table_name]) -}}
{%- endmacro %}

{#- The column identifying one record: the warehouse keeps one row per value. -#}
{% macro landing_record_id(table_name) -%}
    {{- return({
        'listings_scraped': 'event_id',
        'market_reference_prices': 'record_id',
        'marketplace_transactions': 'event_id',
        'marketplace_user_activity': 'event_id',
        'pricing_suggestions': 'suggestion_id',
    }[table_name]) -}}
{%- endmacro %}

{% macro landing_columns(table_name) -%}
    {%- set lineage = [
        ('kafka_partition', 'integer'), ('kafka_offset', 'bigint'), ('schema_id', 'integer'),
        ('ingested_at', 'timestamp'), ('ingest_date', 'date')] -%}
    {%- set cols = {
        'listings_scraped': [
            ('event_id', 'varchar'), ('source', 'varchar'), ('source_domain', 'varchar'),
            ('source_type', 'varchar'), ('url', 'varchar'), ('title', 'varchar'), ('price_text', 'varchar'),
            ('currency_hint', 'varchar'), ('seller_name', 'varchar'), ('condition_text', 'varchar'),
            ('availability', 'varchar'), ('scraped_at', 'timestamp'), ('raw_json', 'varchar'),
            ('brand', 'varchar'), ('model', 'varchar'), ('color', 'varchar'), ('condition', 'varchar'),
            ('listing_type', 'varchar'), ('storage_gb', 'integer'), ('ram_gb', 'integer'),
            ('confidence', 'double'), ('price_amount', 'decimal(14,2)'), ('price_currency', 'varchar'),
            ('price_egp', 'decimal(14,2)')],
        'market_reference_prices': [
            ('record_id', 'varchar'), ('kind', 'varchar'), ('product_title', 'varchar'), ('retailer', 'varchar'),
            ('price', 'decimal(14,2)'), ('currency', 'varchar'), ('fx_base', 'varchar'), ('fx_quote', 'varchar'),
            ('fx_rate', 'double'), ('effective_date', 'date'), ('source_file', 'varchar'),
            ('source_line', 'integer'), ('loaded_at', 'timestamp'), ('brand', 'varchar'), ('model', 'varchar'),
            ('storage_gb', 'integer'), ('ram_gb', 'integer')],
        'marketplace_transactions': [
            ('event_id', 'varchar'), ('transaction_id', 'varchar'), ('event_type', 'varchar'),
            ('listing_id', 'varchar'), ('buyer_id', 'varchar'), ('seller_id', 'varchar'),
            ('product_title', 'varchar'), ('condition', 'varchar'), ('amount', 'decimal(14,2)'),
            ('currency', 'varchar'), ('payment_method', 'varchar'), ('occurred_at', 'timestamp'),
            ('brand', 'varchar'), ('model', 'varchar'), ('storage_gb', 'integer'), ('ram_gb', 'integer')],
        'marketplace_user_activity': [
            ('event_id', 'varchar'), ('user_id', 'varchar'), ('session_id', 'varchar'),
            ('activity_type', 'varchar'), ('listing_id', 'varchar'), ('search_query', 'varchar'),
            ('device', 'varchar'), ('occurred_at', 'timestamp')],
        'pricing_suggestions': [
            ('suggestion_id', 'varchar'), ('listing_id', 'varchar'), ('product_title', 'varchar'),
            ('condition', 'varchar'), ('suggested_price', 'decimal(14,2)'), ('currency', 'varchar'),
            ('confidence', 'double'), ('model_version', 'varchar'), ('generated_at', 'timestamp'),
            ('price_low', 'decimal(14,2)'), ('price_high', 'decimal(14,2)'), ('reason', 'varchar'),
            ('brand', 'varchar'), ('model', 'varchar'), ('storage_gb', 'integer'), ('ram_gb', 'integer')],
    } -%}
    {{- return(cols[table_name] + lineage) -}}
{%- endmacro %}
