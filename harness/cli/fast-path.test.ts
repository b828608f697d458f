import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCli } from './build-cli.js';
import { answerFast, topLevelHelp } from './fast-path.js';

describe('the fast answers of the command line', () => {
  it('prints the same top-level help as yargs, at the full width and in a narrow terminal', async () => {
    for (const width of [110, 80, 60]) {
      const fromYargs = await (await buildCli([], width)).getHelp();
      expect(topLevelHelp(width)).toBe(`${fromYargs}\n`);
    }
  });

  it("prints the package's version for --version", () => {
    let out = '';
    expect(answerFast(['--version'], (t) => (out += t))).toBe(true);
    expect(out).toBe(`${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}\n`);
  });

  it('leaves everything but a lone --version or --help to yargs', () => {
    const never = () => expect.unreachable('nothing should be printed');
    for (const argv of [[], ['run', '--help'], ['--help', 'run'], ['list'], ['-v'], ['--versions']])
      expect(answerFast(argv, never)).toBe(false);
  });
});
