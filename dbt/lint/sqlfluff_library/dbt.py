"""Stand-ins for dbt's cross-database macros (dbt.dateadd, dbt.type_string, dbt.listagg), used only by
sqlfluff's jinja templater to render the models for linting. They render the DuckDB form of each macro."""


def dateadd(datepart, interval, from_date_or_timestamp):
    return f"date_add({from_date_or_timestamp}, cast({interval} as bigint) * interval 1 {datepart})"


def type_string():
    return "varchar"


def listagg(measure, delimiter_text="','", order_by_clause=None, limit_num=None):
    order = f" {order_by_clause}" if order_by_clause else ""
    return f"string_agg({measure}, {delimiter_text}{order})"
