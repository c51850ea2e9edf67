import type pg from 'pg';

/**
 * What PostgreSQL's catalog says about one schema, in a form two schemas can be compared with toEqual:
 * schema names are stripped, rows are sorted, and objects Prisma's schema language cannot express
 * (CHECK constraints, partial indexes) are kept apart so a comparison can leave them out.
 */
export interface SchemaCatalog {
  tables: string[];
  columns: { table: string; column: string; type: string; notNull: boolean; default: string | null }[];
  constraints: { table: string; name: string; type: 'p' | 'u' | 'f'; definition: string }[];
  indexes: {
    table: string;
    name: string;
    unique: boolean;
    primary: boolean;
    columns: string[];
    definition: string;
  }[];
  sequences: string[];
  /** Not comparable with a Prisma-generated schema; listed for assertions of their own. */
  handWritten: { checks: string[]; partialIndexes: string[] };
}

const TABLES = `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT (c.relname = ANY($2)) ORDER BY 1`;

const COLUMNS = `SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type,
    a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS "default"
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT (c.relname = ANY($2)) AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY 1, 2`;

const CONSTRAINTS = `SELECT c.relname AS "table", k.conname AS name, k.contype AS type, pg_get_constraintdef(k.oid) AS definition
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND NOT (c.relname = ANY($2)) ORDER BY 1, 2`;

const INDEXES = `SELECT t.relname AS "table", i.relname AS name, x.indisunique AS "unique", x.indisprimary AS "primary",
    ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnatts) AS k ORDER BY k) AS columns,
    pg_get_indexdef(x.indexrelid) AS definition, x.indpred IS NOT NULL AS partial
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE n.nspname = $1 AND NOT (t.relname = ANY($2)) ORDER BY 1, 2`;

const SEQUENCES = `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND c.relkind = 'S' ORDER BY 1`;

export async function readCatalog(
  client: pg.Client,
  schema: string,
  ignoreTables: string[] = [],
): Promise<SchemaCatalog> {
  const strip = (text: string) => text.replaceAll(`"${schema}".`, '').replaceAll(`${schema}.`, '');
  const args = [schema, ignoreTables];
  const tables = await client.query<{ name: string }>(TABLES, args);
  const columns = await client.query<SchemaCatalog['columns'][number]>(COLUMNS, args);
  const constraints = await client.query<{ table: string; name: string; type: string; definition: string }>(
    CONSTRAINTS,
    args,
  );
  const indexes = await client.query<SchemaCatalog['indexes'][number] & { partial: boolean }>(INDEXES, args);
  const sequences = await client.query<{ name: string }>(SEQUENCES, [schema]);
  const keys = constraints.rows.filter((k) => k.type === 'p' || k.type === 'u' || k.type === 'f');
  return {
    tables: tables.rows.map((t) => t.name),
    columns: columns.rows.map((c) => ({ ...c, default: c.default === null ? null : strip(c.default) })),
    constraints: keys.map((k) => ({
      ...k,
      type: k.type as 'p' | 'u' | 'f',
      definition: strip(k.definition),
    })),
    indexes: indexes.rows
      .filter((i) => !i.partial)
      .map(({ partial: _partial, ...i }) => ({ ...i, definition: strip(i.definition) })),
    sequences: sequences.rows.map((s) => s.name),
    handWritten: {
      checks: constraints.rows.filter((k) => k.type === 'c').map((k) => `${k.table}.${k.name}`),
      partialIndexes: indexes.rows.filter((i) => i.partial).map((i) => `${i.table}.${i.name}`),
    },
  };
}
