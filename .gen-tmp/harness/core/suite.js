// The contract between the engine and a task suite. A suite is a folder under tasks/ whose index
// module default-exports a `Suite`; the engine never names a suite in its own code.
export function pitfallApplies(pitfall, family) {
    return pitfall.families.includes('*') || pitfall.families.includes(family);
}
/** The value that works for a pitfall in a session, given the active drift events. */
export function currentFix(pitfall, drifted) {
    return drifted.has(pitfall.id) && pitfall.drift ? pitfall.drift.fix : pitfall.fix;
}
