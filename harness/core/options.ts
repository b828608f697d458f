// Small helpers for arms to validate their options with messages that name the option.

export function rejectUnknownOptions(arm: string, options: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new Error(`unknown option "${key}" for arm ${arm}; expected ${allowed.length ? `one of ${allowed.join(', ')}` : 'no options'}`);
    }
  }
}

export function numberOption(arm: string, options: Record<string, unknown>, key: string, fallback: number, min = 0): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new Error(`option "${key}" of arm ${arm} must be a number >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function enumOption<T extends string>(arm: string, options: Record<string, unknown>, key: string, allowed: readonly T[], fallback: T): T {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new Error(`option "${key}" of arm ${arm} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}
