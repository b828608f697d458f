// Checks of JUnit XML for the tests: `xmllint --schema schema/junit.xsd` where xmllint is installed
// (.ci/run installs libxml2-utils), and everywhere a structural check of the same rules: well-formed
// nesting, the element order of the schema, required attributes, counters that match the test cases.

import { execFileSync } from 'node:child_process';

let available: boolean | undefined;

export function xmllintAvailable(): boolean {
  if (available === undefined) {
    try {
      execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
}

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (s: string): string => s.replace(/&(lt|gt|amp|quot|apos);/g, (_m, e: string) => ENTITY[e]!);

/** A minimal parser for the XML we write (no DTDs, CDATA or comments). Throws on bad nesting. */
function parse(xml: string): Element {
  const root: Element = { name: '#document', attrs: {}, children: [] };
  const stack: Element[] = [root];
  const tag = /<\?[^>]*\?>|<\/([A-Za-z][\w.-]*)\s*>|<([A-Za-z][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(xml))) {
    if (m[6]) throw new Error(`stray "<" at ${m.index}`);
    if (m[5] !== undefined) {
      if (/[<>]/.test(m[5]) || /&(?!(lt|gt|amp|quot|apos);)/.test(m[5])) throw new Error(`unescaped text at ${m.index}`);
      continue;
    }
    if (m[1]) {
      const open = stack.pop();
      if (!open || open.name !== m[1]) throw new Error(`</${m[1]}> closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    if (m[2]) {
      const attrs: Record<string, string> = {};
      for (const a of (m[3] ?? '').matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} on <${m[2]}>`);
        if (/[<&](?!(lt|gt|amp|quot|apos);)/.test(a[2]!.replace(/&(lt|gt|amp|quot|apos);/g, '')))
          throw new Error(`unescaped attribute ${a[1]}`);
        attrs[a[1]!] = decode(a[2]!);
      }
      const el: Element = { name: m[2], attrs, children: [] };
      stack.at(-1)!.children.push(el);
      if (!m[4]) stack.push(el);
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack.at(-1)!.name}> is never closed`);
  return root;
}

export interface JUnitStructure {
  errors: string[];
  testcases: Array<{ classname: string; name: string; failure: boolean }>;
}

/** The schema's rules, checked without xmllint. */
export function checkJUnitStructure(xml: string): JUnitStructure {
  const errors: string[] = [];
  const testcases: JUnitStructure['testcases'] = [];
  let doc: Element;
  try {
    doc = parse(xml);
  } catch (error) {
    return { errors: [`not well-formed: ${(error as Error).message}`], testcases };
  }
  const count = /^\d+$/;
  const seconds = /^\d+(\.\d+)?$/;
  /** Children in the schema's order: each rank at most once, except the repeatable ones. */
  const orderOf = (children: Element[], rank: Record<string, number>, repeatable: string[], where: string): void => {
    let last = -1;
    const seen = new Set<number>();
    for (const c of children) {
      const r = rank[c.name];
      if (r === undefined) errors.push(`${where}: unexpected <${c.name}>`);
      else if (r < last) errors.push(`${where}: <${c.name}> out of order`);
      else if (seen.has(r) && !repeatable.includes(c.name))
        errors.push(`${where}: more than one <${c.name}>${r === 0 && where.startsWith('testcase') ? ' or failure/error/skipped' : ''}`);
      if (r !== undefined) {
        last = Math.max(last, r);
        seen.add(r);
      }
    }
  };
  const roots = doc.children;
  if (roots.length !== 1 || roots[0]!.name !== 'testsuites') return { errors: ['the root element must be <testsuites>'], testcases };
  const top = roots[0]!;
  for (const a of ['tests', 'failures', 'errors'])
    if (top.attrs[a] !== undefined && !count.test(top.attrs[a]!)) errors.push(`testsuites: ${a} is not a count`);
  let allTests = 0;
  let allFailures = 0;
  for (const suite of top.children) {
    if (suite.name !== 'testsuite') {
      errors.push(`testsuites: unexpected <${suite.name}>`);
      continue;
    }
    const name = suite.attrs.name ?? '?';
    for (const a of ['name', 'tests', 'failures', 'errors'])
      if (suite.attrs[a] === undefined) errors.push(`testsuite ${name}: missing ${a}`);
    for (const a of ['tests', 'failures', 'errors', 'skipped'])
      if (suite.attrs[a] !== undefined && !count.test(suite.attrs[a]!)) errors.push(`testsuite ${name}: ${a} is not a count`);
    if (suite.attrs.time !== undefined && !seconds.test(suite.attrs.time)) errors.push(`testsuite ${name}: time is not in seconds`);
    if (suite.attrs.timestamp !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(suite.attrs.timestamp))
      errors.push(`testsuite ${name}: timestamp is not yyyy-mm-ddThh:mm:ss`);
    orderOf(suite.children, { properties: 0, testcase: 1, 'system-out': 2, 'system-err': 3 }, ['testcase'], `testsuite ${name}`);
    const cases = suite.children.filter((c) => c.name === 'testcase');
    let failures = 0;
    let skipped = 0;
    for (const tc of cases) {
      for (const a of ['name', 'classname', 'time'])
        if (tc.attrs[a] === undefined) errors.push(`testcase ${tc.attrs.name ?? '?'}: missing ${a}`);
      if (tc.attrs.time !== undefined && !seconds.test(tc.attrs.time)) errors.push(`testcase ${tc.attrs.name}: time is not in seconds`);
      const outcome = tc.children.filter((c) => ['failure', 'error', 'skipped'].includes(c.name));
      orderOf(tc.children, { failure: 0, error: 0, skipped: 0, 'system-out': 1, 'system-err': 2 }, [], `testcase ${tc.attrs.name}`);
      const failed = outcome.some((c) => c.name === 'failure' || c.name === 'error');
      if (failed) failures++;
      if (outcome.some((c) => c.name === 'skipped')) skipped++;
      testcases.push({ classname: tc.attrs.classname ?? '', name: tc.attrs.name ?? '', failure: failed });
    }
    if (Number(suite.attrs.tests) !== cases.length)
      errors.push(`testsuite ${name}: tests="${suite.attrs.tests}" but it holds ${cases.length} testcase(s)`);
    if (suite.attrs.failures !== undefined && Number(suite.attrs.failures) + Number(suite.attrs.errors ?? 0) !== failures) {
      errors.push(
        `testsuite ${name}: failures+errors="${Number(suite.attrs.failures) + Number(suite.attrs.errors ?? 0)}" but ${failures} testcase(s) failed`,
      );
    }
    if (suite.attrs.skipped !== undefined && Number(suite.attrs.skipped) !== skipped)
      errors.push(`testsuite ${name}: skipped="${suite.attrs.skipped}" but ${skipped} skipped`);
    allTests += cases.length;
    allFailures += failures;
  }
  if (top.attrs.tests !== undefined && Number(top.attrs.tests) !== allTests)
    errors.push(`testsuites: tests="${top.attrs.tests}" but there are ${allTests}`);
  if (top.attrs.failures !== undefined && Number(top.attrs.failures) + Number(top.attrs.errors ?? 0) !== allFailures)
    errors.push(`testsuites: failures do not add up`);
  return { errors, testcases };
}
