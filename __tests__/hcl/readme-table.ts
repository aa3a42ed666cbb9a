/**
 * Reads the markdown table under `## <section>` of a generated README back into rows keyed by the header
 * names, for tests that compare it with the module. Cells keep their markdown; a leading name cell in code
 * (`name`) is given without the backticks.
 */
export function readmeTable(markdown: string, section: string): Record<string, string>[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`## ${section}`);
  if (start < 0) throw new Error(`README has no "## ${section}" section`);
  const table: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break;
    if (line.startsWith('|')) table.push(line);
  }
  const [header, separator, ...rows] = table.map(cells);
  if (!header || !separator?.every((cell) => /^-+$/.test(cell))) return [];
  return rows.map((row) => {
    const entry = Object.fromEntries(header.map((name, index) => [name, row[index] ?? '']));
    entry.name = entry.name.replace(/^`(.*)`$/, '$1');
    return entry;
  });
}

/** The cells of a table row: split on pipes that are not escaped, trimmed. */
function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}
