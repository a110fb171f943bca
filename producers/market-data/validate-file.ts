import { Column, ReferencePrice, validateHeader, validateRow } from "./validate";

/** Validation of a whole market-data file (pure): the header, each row, and duplicates across rows. */

export interface RawRow {
  line: number;
  /** The row's cells as read, in file order (for the rejects file). */
  cells: string[];
}

export interface Rejected {
  line: number;
  reasons: string[];
  cells: string[];
}

export interface FileValidation {
  headerErrors: string[];
  good: ReferencePrice[];
  rejected: Rejected[];
}

/**
 * Validates a whole file's rows (pure): each row on its own, then across rows (the same kind, subject and
 * date twice is ambiguous, so the second and later occurrences are rejected naming the first line).
 */
export function validateRows(
  header: string[],
  rows: RawRow[],
  ctx: { sourceFile: string; loadedAt: number; today: Date },
): FileValidation {
  const headerErrors = validateHeader(header);
  if (headerErrors.length > 0) return { headerErrors, good: [], rejected: [] };
  if (rows.length === 0)
    return { headerErrors: ["the file has a header but no data rows"], good: [], rejected: [] };
  const names = header.map((h) => h.trim()) as Column[];
  const good: ReferencePrice[] = [];
  const rejected: Rejected[] = [];
  const firstLineOf = new Map<string, number>();
  for (const r of rows) {
    if (r.cells.length !== names.length) {
      rejected.push({
        line: r.line,
        cells: r.cells,
        reasons: [`has ${r.cells.length} fields, the header has ${names.length}`],
      });
      continue;
    }
    const row: Partial<Record<Column, string>> = {};
    names.forEach((n, i) => (row[n] = r.cells[i]));
    const res = validateRow(row, r.line, ctx);
    if (!res.ok) {
      rejected.push({ line: r.line, cells: r.cells, reasons: res.errors });
      continue;
    }
    const key = `${res.record.kind}\u0000${res.subject}\u0000${res.record.effective_date}`;
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      rejected.push({
        line: r.line,
        cells: r.cells,
        reasons: [`duplicate of line ${first} (same kind, subject and effective_date)`],
      });
      continue;
    }
    firstLineOf.set(key, r.line);
    good.push(res.record);
  }
  return { headerErrors, good, rejected };
}
