// The hidden tests, judged from outside the solution's process. Two programs run in two separate
// sandboxes joined only by file descriptor 3 (harness/sandbox: runConnected):
//
//   worker  the prelude, the prompt and the solution, then a loop: read one call (arguments as plain
//           data), call the entry point, write back its value as plain data (or the exception it raised);
//   driver  the tests and the problem's helpers, with `candidate` a stand-in that sends each call to
//           the worker and decodes its reply; it prints a per-run marker only when check() returns.
//
// The pass decision is the driver's exit status and marker: the solution cannot print it (its stdout
// is another process's), cannot read the tests or the marker (another sandbox), cannot patch assert,
// require, builtins or excepthook where the tests run, and cannot return an object whose __eq__ lies:
// replies are decoded by a strict decoder into plain values (None/null, booleans, numbers, strings,
// bytes, lists, tuples, dicts, sets), so only data crosses. A worker that exits, is killed or answers
// with something else makes the call raise in the driver, and the run fails even if a test caught it.

import type { CodingProblem } from './problem.js';
import { assemble, JS_PRELUDE, PYTHON_PRELUDE_FOR, type Program } from './programs.js';

/** The two programs of one isolated run. */
export interface IsolatedPrograms {
  driver: Program;
  worker: Program;
}

// ----------------------------------------------------------------------------------------------
// Python

/** Plain-data codec shared by both Python programs: [tag, payload]. Encoding refuses any other type. */
const PY_CODEC = `
class _DbRefused(Exception):
    pass
def _db_enc(v, depth=0):
    if depth > 200:
        raise _DbRefused("a value nested more than 200 levels deep")
    if v is None:
        return ["n"]
    if v is True or v is False:
        return ["b", v]
    if isinstance(v, int):
        return ["i", int.__repr__(v)]
    if isinstance(v, float):
        return ["f", float.__repr__(v)]
    if type(v) is complex:
        return ["c", [float.__repr__(v.real), float.__repr__(v.imag)]]
    if isinstance(v, str):
        return ["s", str.__str__(v)]
    if isinstance(v, (bytes, bytearray)):
        return ["y", bytes(v).hex()]
    if isinstance(v, tuple):
        return ["t", [_db_enc(x, depth + 1) for x in tuple.__iter__(v)]]
    if isinstance(v, list):
        return ["l", [_db_enc(x, depth + 1) for x in list.__iter__(v)]]
    if isinstance(v, dict):
        return ["d", [[_db_enc(k, depth + 1), _db_enc(x, depth + 1)] for k, x in dict.items(v)]]
    if isinstance(v, frozenset):
        return ["F", [_db_enc(x, depth + 1) for x in frozenset.__iter__(v)]]
    if isinstance(v, set):
        return ["S", [_db_enc(x, depth + 1) for x in set.__iter__(v)]]
    kind = type(v).__name__
    custom = "__eq__" in type(v).__dict__
    raise _DbRefused("a value of type " + kind + (" (which defines its own __eq__)" if custom else "") + ", not plain data (None, bool, int, float, complex, str, bytes, list, tuple, dict, set)")
def _db_dec(v, depth=0):
    if depth > 200 or type(v) is not list or not v or type(v[0]) is not str:
        raise _DbRefused("a malformed value")
    tag = v[0]
    p = v[1] if len(v) > 1 else None
    if tag == "n":
        return None
    if tag == "b" and type(p) is bool:
        return p
    if tag == "i" and type(p) is str:
        return int(p)
    if tag == "f" and type(p) is str:
        return float(p)
    if tag == "c" and type(p) is list and len(p) == 2:
        return complex(float(p[0]), float(p[1]))
    if tag == "s" and type(p) is str:
        return p
    if tag == "y" and type(p) is str:
        return bytes.fromhex(p)
    if type(p) is list:
        if tag == "l":
            return [_db_dec(x, depth + 1) for x in p]
        if tag == "t":
            return tuple(_db_dec(x, depth + 1) for x in p)
        if tag == "S":
            return set(_db_dec(x, depth + 1) for x in p)
        if tag == "F":
            return frozenset(_db_dec(x, depth + 1) for x in p)
        if tag == "d":
            out = {}
            for pair in p:
                if type(pair) is not list or len(pair) != 2:
                    raise _DbRefused("a malformed value")
                out[_db_dec(pair[0], depth + 1)] = _db_dec(pair[1], depth + 1)
            return out
    raise _DbRefused("a malformed value")
`;

/** Line-framed JSON over fd 3, blocking. */
const PY_CHANNEL = `
import os as _db_os, json as _db_json
_db_buffer = bytearray()
class _DbGone(RuntimeError):
    pass
def _db_send(obj):
    data = (_db_json.dumps(obj) + "\\n").encode()
    try:
        while data:
            data = data[_db_os.write(3, data):]
    except OSError:
        raise _DbGone("the solution's process ended before it answered (it exited or was killed)") from None
def _db_recv():
    while b"\\n" not in _db_buffer:
        try:
            chunk = _db_os.read(3, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            raise _DbGone("the solution's process ended before it answered (it exited or was killed)")
        _db_buffer.extend(chunk)
        if len(_db_buffer) > (64 << 20):
            raise _DbGone("the solution's process sent more than 64 MiB without a line break")
    line, _, rest = bytes(_db_buffer).partition(b"\\n")
    _db_buffer[:] = rest
    return _db_json.loads(line)
`;

function pythonWorker(problem: CodingProblem, solution: string, prelude: (module: string) => string): Program {
  const entry = JSON.stringify(problem.entry_point);
  const source = `${prelude(assemble(problem, solution))}

def _dreambench_serve():
${indent(`${PY_CODEC}${PY_CHANNEL}
import sys as _db_sys
fn = globals().get(${entry})
if not callable(fn):
    _db_send({"ready": False, "error": "the solution defines no function " + ${entry}})
    return
_db_send({"ready": True})
while True:
    try:
        request = _db_recv()
    except _DbGone:
        return
    try:
        args = [_db_dec(a) for a in request["args"]]
        kwargs = {k: _db_dec(a) for k, a in request["kwargs"]}
    except Exception as error:
        _db_send({"refused": "could not decode the arguments: " + str(error)})
        continue
    try:
        value = fn(*args, **kwargs)
    except BaseException as error:
        _db_send({"raised": [type(error).__name__, str(error)[:500]]})
        continue
    finally:
        for stream in (_db_sys.stdout, _db_sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
    try:
        reply = {"value": _db_enc(value)}
    except _DbRefused as refused:
        reply = {"refused": str(refused)}
    except RecursionError:
        reply = {"refused": "a value nested too deeply"}
    _db_send(reply)
`)}
_dreambench_serve()
`;
  return { file: 'solution_worker.py', source, marker: '' };
}

function pythonDriver(problem: CodingProblem, tests: string, marker: string): Program {
  const literal = (text: string): string => `_db_json.loads(${JSON.stringify(JSON.stringify(text))})`;
  const source = `import sys as _db_sys, builtins as _db_builtins
${PY_CODEC}${PY_CHANNEL}
_db_failures = []
def _db_fail(message):
    _db_failures.append(message)
    raise _DbGone(message) if message.startswith("the solution's process") else TypeError(message)
try:
    _db_hello = _db_recv()
except _DbGone as gone:
    _db_hello = {"error": str(gone)}
if not _db_hello.get("ready"):
    print("the solution did not load: " + str(_db_hello.get("error", "")), file=_db_sys.stderr)
    _db_sys.exit(1)
def _db_candidate(*args, **kwargs):
    if _db_failures:
        raise _DbGone(_db_failures[0])
    try:
        _db_send({"args": [_db_enc(a) for a in args], "kwargs": [[k, _db_enc(a)] for k, a in kwargs.items()]})
        reply = _db_recv()
    except _DbGone as gone:
        _db_fail(str(gone))
    if "value" in reply:
        try:
            return _db_dec(reply["value"])
        except _DbRefused as refused:
            _db_fail("the solution returned " + str(refused))
    if "raised" in reply:
        name, message = reply["raised"]
        kind = getattr(_db_builtins, str(name), None)
        if isinstance(kind, type) and issubclass(kind, Exception):
            raise kind(message)
        raise RuntimeError(str(name) + ": " + str(message))
    _db_fail("the solution returned " + str(reply.get("refused", "an unreadable reply")))
_db_candidate.__name__ = ${JSON.stringify(problem.entry_point)}
_db_namespace = {"__name__": "__main__", "__builtins__": _db_builtins}
try:
    exec(compile(${literal(problem.prompt)}, "<problem>", "exec"), _db_namespace)
except Exception:
    pass
_db_namespace[${JSON.stringify(problem.entry_point)}] = _db_candidate
exec(compile(${literal(tests)}, "<hidden tests>", "exec"), _db_namespace)
_db_namespace["check"](_db_candidate)
if _db_failures:
    print("RuntimeError: " + _db_failures[0], file=_db_sys.stderr)
    _db_sys.exit(1)
_db_sys.stdout.write(${JSON.stringify(`\n${marker}\n`)})
`;
  return { file: 'evaluate.py', source, marker };
}

// ----------------------------------------------------------------------------------------------
// JavaScript

const JS_CODEC = `
class DbRefused extends Error {}
function dbEnc(v, depth = 0) {
  if (depth > 200) throw new DbRefused('a value nested more than 200 levels deep');
  if (v === null) return ['n'];
  if (v === undefined) return ['u'];
  if (typeof v === 'boolean') return ['b', v];
  if (typeof v === 'number') return ['f', Object.is(v, -0) ? '-0' : String(v)];
  if (typeof v === 'bigint') return ['i', v.toString()];
  if (typeof v === 'string') return ['s', v];
  if (Array.isArray(v)) return ['l', Array.prototype.map.call(v, (x) => dbEnc(x, depth + 1))];
  if (v instanceof Map) return ['M', [...Map.prototype.entries.call(v)].map(([k, x]) => [dbEnc(k, depth + 1), dbEnc(x, depth + 1)])];
  if (v instanceof Set) return ['S', [...Set.prototype.values.call(v)].map((x) => dbEnc(x, depth + 1))];
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return ['d', Object.keys(v).map((k) => [k, dbEnc(v[k], depth + 1)])];
  }
  const kind = typeof v === 'object' ? (v.constructor && v.constructor.name) || 'object' : typeof v;
  throw new DbRefused('a value of type ' + kind + ', not plain data (null, undefined, boolean, number, bigint, string, array, plain object, Map, Set)');
}
function dbDec(v, depth = 0) {
  if (depth > 200 || !Array.isArray(v) || typeof v[0] !== 'string') throw new DbRefused('a malformed value');
  const [tag, p] = v;
  if (tag === 'n') return null;
  if (tag === 'u') return undefined;
  if (tag === 'b' && typeof p === 'boolean') return p;
  if (tag === 'f' && typeof p === 'string') return Number(p);
  if (tag === 'i' && typeof p === 'string') return BigInt(p);
  if (tag === 's' && typeof p === 'string') return p;
  if (Array.isArray(p)) {
    if (tag === 'l') return p.map((x) => dbDec(x, depth + 1));
    if (tag === 'S') return new Set(p.map((x) => dbDec(x, depth + 1)));
    if (tag === 'M') return new Map(p.map((pair) => [dbDec(pair[0], depth + 1), dbDec(pair[1], depth + 1)]));
    if (tag === 'd') {
      const out = {};
      for (const pair of p) {
        if (!Array.isArray(pair) || typeof pair[0] !== 'string') throw new DbRefused('a malformed value');
        Object.defineProperty(out, pair[0], { value: dbDec(pair[1], depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
  throw new DbRefused('a malformed value');
}
`;

/** Blocking line-framed JSON over fd 3 (a sleep on EAGAIN, in case the descriptor is non-blocking). */
const JS_CHANNEL = `
const dbFs = require('fs');
const dbSleeper = new Int32Array(new SharedArrayBuffer(4));
const dbChunk = Buffer.alloc(1 << 16);
let dbBuffer = Buffer.alloc(0);
class DbGone extends Error {}
const dbGone = () => new DbGone("the solution's process ended before it answered (it exited or was killed)");
function dbSend(obj) {
  const data = Buffer.from(JSON.stringify(obj) + '\\n');
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += dbFs.writeSync(3, data, offset);
    } catch (error) {
      if (error.code === 'EAGAIN') { Atomics.wait(dbSleeper, 0, 0, 2); continue; }
      throw dbGone();
    }
  }
}
function dbRecv() {
  for (;;) {
    const nl = dbBuffer.indexOf(10);
    if (nl >= 0) {
      const line = dbBuffer.subarray(0, nl).toString();
      dbBuffer = dbBuffer.subarray(nl + 1);
      return JSON.parse(line);
    }
    let n;
    try {
      n = dbFs.readSync(3, dbChunk, 0, dbChunk.length, null);
    } catch (error) {
      if (error.code === 'EAGAIN') { Atomics.wait(dbSleeper, 0, 0, 2); continue; }
      throw dbGone();
    }
    if (n === 0) throw dbGone();
    dbBuffer = Buffer.concat([dbBuffer, dbChunk.subarray(0, n)]);
    if (dbBuffer.length > 64 * 1024 * 1024) throw new DbGone("the solution's process sent more than 64 MiB without a line break");
  }
}
`;

function jsWorker(problem: CodingProblem, solution: string): Program {
  const entry = problem.entry_point;
  const source = `${JS_PRELUDE}${assemble(problem, solution)}
;
(async (fn) => {
${JS_CODEC}${JS_CHANNEL}
  if (typeof fn !== 'function') { dbSend({ ready: false, error: ${JSON.stringify(`the solution defines no function ${entry}`)} }); return; }
  dbSend({ ready: true });
  for (;;) {
    let request;
    try { request = dbRecv(); } catch { return; }
    let args;
    try { args = request.args.map((a) => dbDec(a)); } catch (error) { dbSend({ refused: 'could not decode the arguments: ' + error.message }); continue; }
    let value;
    try {
      value = fn(...args);
      if (value && typeof value.then === 'function') value = await value;
    } catch (error) {
      dbSend({ raised: [error && error.name ? String(error.name) : 'Error', String(error && error.message !== undefined ? error.message : error).slice(0, 500)] });
      continue;
    }
    let reply;
    try { reply = { value: dbEnc(value) }; } catch (error) { reply = { refused: error instanceof DbRefused ? error.message : 'an unreadable value' }; }
    dbSend(reply);
  }
})(typeof ${entry} === 'function' ? ${entry} : undefined);
`;
  return { file: 'solution_worker.cjs', source, marker: '' };
}

function jsDriver(problem: CodingProblem, tests: string, marker: string): Program {
  const source = `${JS_CODEC}${JS_CHANNEL}
const dbFailures = [];
const dbHello = dbRecv();
if (!dbHello.ready) { console.error('the solution did not load: ' + (dbHello.error || '')); process.exit(1); }
function dbFail(message) {
  dbFailures.push(message);
  throw message.startsWith("the solution's process") ? new DbGone(message) : new TypeError(message);
}
const ${problem.entry_point} = function (...args) {
  if (dbFailures.length) throw new DbGone(dbFailures[0]);
  let reply;
  try {
    dbSend({ args: args.map((a) => dbEnc(a)), kwargs: [] });
    reply = dbRecv();
  } catch (error) {
    dbFail(error instanceof DbRefused ? 'an argument cannot be sent: ' + error.message : error.message);
  }
  if ('value' in reply) {
    try { return dbDec(reply.value); } catch (error) { dbFail('the solution returned ' + error.message); }
  }
  if ('raised' in reply) {
    const [name, message] = reply.raised;
    const Kind = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError }[name];
    if (Kind) throw new Kind(message);
    const error = new Error(message);
    error.name = String(name);
    throw error;
  }
  dbFail('the solution returned ' + (reply.refused || 'an unreadable reply'));
};
const __dreambench_check = (function () {
${tests.endsWith('\n') ? tests : `${tests}\n`};
return typeof check === 'function' ? check : undefined;
})();
if (typeof __dreambench_check !== 'function') throw new Error('the tests define no check(candidate) function');
Promise.resolve()
  .then(() => __dreambench_check(${problem.entry_point}))
  .then(
    () => {
      if (dbFailures.length) { console.error('Error: ' + dbFailures[0]); process.exitCode = 1; return; }
      process.stdout.write(${JSON.stringify(`\n${marker}\n`)});
    },
    (error) => { console.error(error && error.stack ? error.stack : String(error)); process.exitCode = 1; },
  );
`;
  return { file: 'evaluate.cjs', source, marker };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `    ${line}` : line))
    .join('\n');
}

/** The driver (tests) and worker (solution) programs for one run of `tests` against `solution`. */
export function isolatedPrograms(problem: CodingProblem, solution: string, tests: string, marker: string): IsolatedPrograms {
  if (problem.language === 'python')
    return { driver: pythonDriver(problem, tests, marker), worker: pythonWorker(problem, solution, PYTHON_PRELUDE_FOR) };
  return { driver: jsDriver(problem, tests, marker), worker: jsWorker(problem, solution) };
}
