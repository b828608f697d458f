// A run that reports a failed assertion has failed, whatever its exit status. Node's console.assert
// only prints "Assertion failed" to stderr and carries on, so tests written with it pass every stub;
// the pass rules of the coding suites and of the custom suite's script graders refuse such runs.

const FAILED_ASSERTION = /^(?:Assertion failed\b|AssertionError\b)/m;

/** Whether the output of a run reports a failed assertion (Node's console.assert, or an AssertionError that was caught and printed). */
export function reportsFailedAssertion(stdout: string, stderr: string): boolean {
  return FAILED_ASSERTION.test(stderr) || FAILED_ASSERTION.test(stdout);
}
