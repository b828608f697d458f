// The error for a run that cannot start or resume as asked (a changed configuration, suite or
// harness version; a directory that holds no run): bad input, exit code 2, nothing written. Apart
// from runner.ts so that the checks it runs (resume-checks.ts) need not import the runner.

export class RunSetupError extends Error {
  override name = 'RunSetupError';
}
