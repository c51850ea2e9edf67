/** Splits Prisma's `?schema=` parameter off a PostgreSQL URL; `pg` does not understand it. */
export function parseDatabaseUrl(url: string): { connectionString: string; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

/** Quotes an identifier for SQL (schemas and databases made by tests have generated names). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
