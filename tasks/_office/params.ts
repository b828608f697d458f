// Tool parameters of the office suites as data: name, documented default, allowed values. Pitfalls
// hinge on these; the defaults are what a naive agent gets. One parser validates raw tool input
// against them with messages that say what is allowed.

export interface ToolParam {
  /** `tool.param` */
  choice: string;
  name: string;
  /** What the tool uses when the parameter is omitted. */
  default: string;
  /** Allowed values; absent for free text (a style id, a font name) and sizes. */
  values?: readonly string[];
  /** A whole number (of points) within these bounds. */
  points?: { min: number; max: number };
  description: string;
}

export function isAllowedValue(param: ToolParam, value: string): boolean {
  if (param.values) return param.values.includes(value);
  if (param.points) {
    const n = Number(value);
    return Number.isInteger(n) && n >= param.points.min && n <= param.points.max;
  }
  return value.trim().length > 0 && value.length <= 80;
}

/** JSON-schema properties for a tool's settings. */
export function paramProperties(params: readonly ToolParam[]): Record<string, unknown> {
  return Object.fromEntries(
    params.map((p) => [
      p.name,
      p.values ? { type: 'string', enum: [...p.values], description: p.description } : { type: 'string', description: p.description },
    ]),
  );
}

/**
 * Read a tool's settings from raw input (defaults for omitted ones). `known` lists the tool's other,
 * non-setting parameters, which are passed over here.
 */
export function parseSettings(
  tool: string,
  params: readonly ToolParam[],
  input: Record<string, unknown>,
  known: readonly string[] = [],
): { settings: Record<string, string> } | { error: string } {
  for (const key of Object.keys(input)) {
    if (!params.some((p) => p.name === key) && !known.includes(key)) {
      return { error: `${tool}: unknown parameter "${key}"; expected one of ${[...known, ...params.map((p) => p.name)].join(', ')}` };
    }
  }
  const settings: Record<string, string> = {};
  for (const p of params) {
    const raw = input[p.name];
    if (raw === undefined || raw === null) {
      settings[p.name] = p.default;
      continue;
    }
    if (p.points) {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+(\.0+)?\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n < p.points.min || n > p.points.max) {
        return {
          error: `${tool}: ${p.name} must be a whole number of points from ${p.points.min} to ${p.points.max}, got ${JSON.stringify(raw)}`,
        };
      }
      settings[p.name] = String(n);
      continue;
    }
    if (typeof raw !== 'string') return { error: `${tool}: ${p.name} must be a string, got ${JSON.stringify(raw)}` };
    const value = raw.trim();
    if (p.values && !p.values.includes(value))
      return { error: `${tool}: ${p.name} must be one of ${p.values.map((v) => `"${v}"`).join(', ')}; got "${raw}"` };
    if (!value) return { error: `${tool}: ${p.name} must not be empty` };
    if (value.length > 80) return { error: `${tool}: ${p.name} is too long (at most 80 characters)` };
    settings[p.name] = value;
  }
  return { settings };
}
