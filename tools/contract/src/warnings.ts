/**
 * The operations of the validation-mismatch warning when it is the only reason a schemathesis run failed (every
 * test case passed): schemathesis flags an operation when most of ITS generated data was rejected, which for an
 * operation near that threshold depends on the server's state (a resource made earlier in the run), not only on
 * the seed. Undefined when anything else failed.
 */
export function mismatchOnly(output: string): string[] | undefined {
  if (!/Warnings fail the run/.test(output)) return undefined;
  const cases = /Test cases:\n\s*([^\n]*)/.exec(output)?.[1] ?? '';
  if (!/generated/.test(cases) || /failed|errored|error/i.test(cases)) return undefined;
  const section = /Schema validation mismatch:[^\n]*\n((?:[ \t]+- [^\n]+\n)+)/.exec(output);
  return section?.[1]
    .split('\n')
    .map((line) => line.trim().replace(/^- /, ''))
    .filter(Boolean);
}
