// The house-style review of a Python solution's signature (the coding-type-hints pitfall). The
// facts come from Python's own `ast`, run in the sandbox on the solution as assembled with the
// prompt (the agent's code is parsed, never executed here); the rules are judged in TypeScript.

import { findInterpreter, runSandboxed } from '../../harness/sandbox/sandbox.js';
import { TYPING_GENERICS } from './source.js';

export interface SignatureFacts {
  /** The entry point is defined at the top level. */
  found: boolean;
  /** The source does not parse. */
  syntax_error?: string;
  /** Parameters without a type hint. */
  unannotated: string[];
  returns: boolean;
  /** typing generics used in the hints (List, Optional, ...). */
  typing_generics: string[];
  /** builtin generics used in the hints (list[...], X | Y). */
  builtin_generics: string[];
}

const ANALYSER = `import ast, json, sys
typing_names = set(${JSON.stringify(TYPING_GENERICS)})
builtin_names = {"list", "dict", "tuple", "set", "frozenset", "type"}

def facts(source, name):
    empty = {"found": False, "unannotated": [], "returns": False, "typing_generics": [], "builtin_generics": []}
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        return dict(empty, syntax_error=str(error))
    found = None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            found = node
    if found is None:
        return empty
    a = found.args
    params = a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x is not None]
    unannotated = [p.arg for p in params if p.annotation is None and p.arg not in ("self", "cls")]
    hints = [p.annotation for p in params if p.annotation is not None] + ([found.returns] if found.returns is not None else [])
    typing_used, builtin_used = set(), set()
    for hint in hints:
        for node in ast.walk(hint):
            if isinstance(node, ast.Name) and node.id in typing_names:
                typing_used.add(node.id)
            elif isinstance(node, ast.Attribute) and node.attr in typing_names:
                typing_used.add(node.attr)
            elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in builtin_names:
                builtin_used.add(node.value.id + "[]")
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
                builtin_used.add("X | Y")
    return {"found": True, "unannotated": unannotated, "returns": found.returns is not None, "typing_generics": sorted(typing_used), "builtin_generics": sorted(builtin_used)}

subjects = json.load(open("subjects.json", encoding="utf-8"))
print(json.dumps([facts(s["source"], s["name"]) for s in subjects]))
`;

/** Facts about many signatures in one sandbox run. */
export async function signatureFactsBatch(subjects: ReadonlyArray<{ source: string; entryPoint: string }>): Promise<SignatureFacts[]> {
  if (subjects.length === 0) return [];
  const result = await runSandboxed({
    command: [findInterpreter('python3'), '-I', '-S', '-B', 'analyse.py'],
    files: { 'analyse.py': ANALYSER, 'subjects.json': JSON.stringify(subjects.map((s) => ({ source: s.source, name: s.entryPoint }))) },
    timeoutMs: 30_000,
    limits: { cpuSeconds: 30 },
  });
  if (result.exitCode !== 0)
    throw new Error(`the signature analysis failed: ${result.stderr.trim().split('\n').at(-1) ?? result.signal ?? 'no output'}`);
  return JSON.parse(result.stdout) as SignatureFacts[];
}

export async function signatureFacts(source: string, entryPoint: string): Promise<SignatureFacts> {
  return (await signatureFactsBatch([{ source, entryPoint }]))[0]!;
}

/** What is wrong with a signature under a type-hint style ('typing' or 'builtin'), or undefined when it meets it. */
export function styleProblem(facts: SignatureFacts, style: string, entryPoint: string): string | undefined {
  if (facts.syntax_error) return `the solution does not parse (${facts.syntax_error})`;
  if (!facts.found) return `no top-level function ${entryPoint}`;
  const missing = [...facts.unannotated.map((p) => `parameter ${p}`), ...(facts.returns ? [] : ['the return value'])];
  if (missing.length > 0) return `no type hint on ${missing.join(', ')}`;
  if (style === 'typing' && facts.builtin_generics.length > 0)
    return `builtin generics (${facts.builtin_generics.join(', ')}) instead of the typing module's`;
  if (style === 'builtin' && facts.typing_generics.length > 0)
    return `typing generics (${facts.typing_generics.join(', ')}) instead of builtin ones`;
  return undefined;
}
