// How a suite teaches the built-in simulated agent to do its work. A policy is a competent but
// naive worker: it knows the job and the tools, not the pitfalls. Every setting that a pitfall can
// hinge on goes through `choose`, which takes the value from a lesson in memory, from a hint the
// agent saw earlier in this task (a tool error, or a revision request such as a grader's feedback),
// or from the naive default, according to the sim profile.
export {};
