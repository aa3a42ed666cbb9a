/** Generated sections of README.md live between `<!-- name:start -->` and `<!-- name:end -->`. */

function markers(name: string): [string, string] {
  return [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
}

export function readmeSection(readme: string, name: string): string {
  const [start, end] = markers(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
  return readme.slice(from + start.length, to).trim();
}

export function replaceReadmeSection(readme: string, name: string, content: string): string {
  const [start, end] = markers(name);
  readmeSection(readme, name);
  return `${readme.slice(0, readme.indexOf(start) + start.length)}\n${content}\n${readme.slice(readme.indexOf(end))}`;
}
