/**
 * The files generated from the topic catalog for the parts that cannot read it at run time: dbt (its landing
 * sources and the landing contract macro) and Python (Airflow, the sample-landing generator, the quality
 * checks read one JSON file with the standard library). Pure: catalog in, file texts out.
 */
import { LandingColumn, LINEAGE_COLUMNS, PARTITION_COLUMN, TopicSpec } from "./catalog-model";

export const GENERATED_HEADER = "Generated from schemas/avro/*.topic.yaml by `make catalog`; do not edit.";

/** Repo-relative path → content of every generated file. */
export function renderCatalogFiles(specs: TopicSpec[]): Map<string, string> {
  return new Map([
    ["schemas/generated/catalog.json", renderCatalogJson(specs)],
    ["dbt/models/staging/_landing__sources.yml", renderDbtSources(specs)],
    ["dbt/macros/landing_contract.sql", renderDbtContractMacro(specs)],
  ]);
}

export function renderCatalogJson(specs: TopicSpec[]): string {
  const doc = {
    _generated: GENERATED_HEADER,
    lineage_columns: [...LINEAGE_COLUMNS, PARTITION_COLUMN],
    dlq_suffix: ".dlq",
    topics: specs.map((s) => ({
      topic: s.topic,
      table: s.table,
      description: s.description,
      key: s.key,
      record_id: s.recordId,
      event_time: s.eventTime,
      dedupe: s.dedupe,
      partitions: s.partitions,
      retention_days: s.retentionDays,
      hook: s.hook ?? null,
      product_title: s.productTitle ?? null,
      currency: s.currency ?? null,
      money: s.money,
      columns: s.columns,
    })),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

function sourceTable(s: TopicSpec): string {
  const location =
    `read_parquet('{{ var('landing_dir') }}/${s.topic}/*/[!.]*.parquet', ` +
    `hive_partitioning = true, union_by_name = true)`;
  return [
    `      - name: ${s.table}`,
    `        identifier: "{{ '${s.table.toUpperCase()}' if target.type == 'snowflake' else '${s.table}' }}"`,
    `        description: Topic ${s.topic}, key ${s.recordId}. ${s.description}`,
    `        config:`,
    `          meta:`,
    `            external_location: "${location}"`,
  ].join("\n");
}

export function renderDbtSources(specs: TopicSpec[]): string {
  return [
    `# ${GENERATED_HEADER}`,
    "version: 2",
    "",
    "sources:",
    "  - name: landing",
    "    description: >",
    "      Everything the stream job lands (schemas/LANDING.md). On duckdb the Parquet files under",
    "      <PHONEPIPE_DATA_DIR>/landing/<topic>/ingest_date=YYYY-MM-DD/ are read directly; on snowflake and",
    "      postgres the raw tables the sink loads, one per topic, with the same columns.",
    "    schema: \"{{ 'RAW' if target.type == 'snowflake' else 'raw' }}\"",
    "    config:",
    "      loaded_at_field: ingested_at",
    "    tables:",
    ...specs.map(sourceTable),
    "",
  ].join("\n");
}

const pair = (c: LandingColumn): string => `('${c.name}', '${c.type}')`;

function wrapPairs(columns: LandingColumn[], indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const p of columns.map(pair)) {
    if (line && line.length + p.length + 2 > 100) {
      lines.push(line + ",");
      line = "";
    }
    line = line ? `${line}, ${p}` : p;
  }
  lines.push(line);
  return lines.map((l) => indent + l).join("\n");
}

export function renderDbtContractMacro(specs: TopicSpec[]): string {
  const topics = specs.map((s) => `        '${s.table}': '${s.topic}',`).join("\n");
  const ids = specs.map((s) => `        '${s.table}': '${s.recordId}',`).join("\n");
  const cols = specs
    .map((s) => `        '${s.table}': [\n${wrapPairs(s.columns, "            ")}],`)
    .join("\n");
  return `{#- ${GENERATED_HEADER}
    The landing contract: topic folder and typed columns of each landing source table. -#}
{% macro landing_topic(table_name) -%}
    {{- return({
${topics}
    }[table_name]) -}}
{%- endmacro %}

{#- The column identifying one record: the warehouse keeps one row per value. -#}
{% macro landing_record_id(table_name) -%}
    {{- return({
${ids}
    }[table_name]) -}}
{%- endmacro %}

{% macro landing_columns(table_name) -%}
    {%- set lineage = [
${wrapPairs([...LINEAGE_COLUMNS, PARTITION_COLUMN], "        ")}] -%}
    {%- set cols = {
${cols}
    } -%}
    {{- return(cols[table_name] + lineage) -}}
{%- endmacro %}
`;
}
