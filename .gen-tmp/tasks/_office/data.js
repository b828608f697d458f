// Shared by the office suites (office-docx, office-pptx): loading YAML with errors that name the
// file, the field path and what was expected; the pitfall schema (every pitfall hinges on one
// `tool.param` whose naive value is the tool's documented default); message templates; difficulty.
// The folder starts with `_`, so suite discovery skips it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatDirective } from '../../harness/core/directives.js';
import { packageRoot } from '../../harness/core/paths.js';
import { isAllowedValue } from './params.js';
export class DataError extends Error {
    constructor(message) {
        super(message);
        this.name = 'DataError';
    }
}
export const DIFFICULTIES = ['easy', 'medium', 'hard'];
export const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lowercase slug (a-z, 0-9, -)');
export const text = z.string().trim().min(1, 'a non-empty string');
export function pathText(path) {
    let out = '';
    for (const part of path) {
        if (typeof part === 'number')
            out += `[${part}]`;
        else if (typeof part === 'string' && /^[A-Za-z_][\w]*$/.test(part))
            out += out ? `.${part}` : part;
        else
            out += `[${JSON.stringify(String(part))}]`;
    }
    return out || '(top level)';
}
export function shown(file) {
    try {
        const rel = relative(packageRoot(), file);
        return rel.startsWith('..') ? file : rel;
    }
    catch {
        return file;
    }
}
export function readYaml(file) {
    let raw;
    try {
        raw = readFileSync(file, 'utf8');
    }
    catch (error) {
        throw new DataError(`${shown(file)}: cannot read the file (${error.message})`);
    }
    try {
        return parseYaml(raw);
    }
    catch (error) {
        throw new DataError(`${shown(file)}: not valid YAML: ${error.message}`);
    }
}
export function validate(file, schema, data) {
    const result = schema.safeParse(data);
    if (result.success)
        return result.data;
    const lines = result.error.issues.slice(0, 12).map((issue) => `  ${pathText(issue.path)}: ${issue.message}`);
    const more = result.error.issues.length > 12 ? `\n  ... and ${result.error.issues.length - 12} more` : '';
    throw new DataError(`${shown(file)}: invalid data:\n${lines.join('\n')}${more}`);
}
/** Collects cross-reference problems, then throws them together. */
export class Problems {
    suite;
    lines = [];
    constructor(suite) {
        this.suite = suite;
    }
    add(file, path, message) {
        this.lines.push(`${shown(file)}: ${pathText(path)}: ${message}`);
    }
    throwIfAny() {
        if (this.lines.length === 0)
            return;
        const head = this.lines.slice(0, 20).join('\n');
        const more = this.lines.length > 20 ? `\n... and ${this.lines.length - 20} more` : '';
        throw new DataError(`${this.suite} data is inconsistent:\n${head}${more}`);
    }
}
/** The task files of a data dir (tasks/*.yaml), sorted. */
export function taskFiles(dataDir) {
    const tasksDir = join(dataDir, 'tasks');
    let files;
    try {
        files = readdirSync(tasksDir)
            .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
            .sort()
            .map((f) => join(tasksDir, f));
    }
    catch (error) {
        throw new DataError(`${shown(tasksDir)}: cannot list task files (${error.message})`);
    }
    if (files.length === 0)
        throw new DataError(`${shown(tasksDir)}: expected task files (*.yaml), found none`);
    return files;
}
/**
 * The schema of a pitfalls.yaml entry: `choice` must name a parameter of one of the suite's tools,
 * `naive` must be its documented default, `fix` (and `drift.fix`) one of its allowed values, and
 * every message must name the fix with {directive}.
 */
export function pitfallSchema(params) {
    return z
        .strictObject({
        id: slug,
        kind: z.enum(['format_quirk', 'tool_workaround', 'preference', 'rule']),
        families: z.array(text).min(1, "at least one family id, or ['*']"),
        description: text,
        surfaces: z.enum(['tool_error', 'review']),
        choice: z.string().regex(/^[a-z_]+\.[a-z_]+$/, 'a tool parameter as <tool>.<param>'),
        naive: text,
        fix: text,
        error: text.optional(),
        feedback: text.optional(),
        drift: z
            .strictObject({ fix: text, note: text, template: text.optional(), stale_error: text.optional(), feedback: text.optional() })
            .optional(),
    })
        .superRefine((p, ctx) => {
        const param = params.get(p.choice);
        if (!param) {
            ctx.addIssue({ code: 'custom', path: ['choice'], message: `expected a tool parameter (${[...params.keys()].join(', ')}), got "${p.choice}"` });
            return;
        }
        if (p.naive !== param.default)
            ctx.addIssue({ code: 'custom', path: ['naive'], message: `expected "${param.default}", the default of ${p.choice}` });
        for (const [path, value] of [
            [['fix'], p.fix],
            [['drift', 'fix'], p.drift?.fix],
        ]) {
            if (value !== undefined && !isAllowedValue(param, value)) {
                ctx.addIssue({ code: 'custom', path: [...path], message: `expected an allowed value of ${p.choice}, got "${value}"` });
            }
        }
        if (p.fix === p.naive)
            ctx.addIssue({ code: 'custom', path: ['fix'], message: 'expected a fix different from the naive value' });
        if (p.surfaces === 'tool_error' && !p.error)
            ctx.addIssue({ code: 'custom', path: ['error'], message: 'expected an error message for a tool_error pitfall' });
        if (p.surfaces === 'review' && !p.feedback)
            ctx.addIssue({ code: 'custom', path: ['feedback'], message: 'expected reviewer feedback for a review pitfall' });
        for (const [path, message] of [
            [['error'], p.error],
            [['feedback'], p.feedback],
            [['drift', 'stale_error'], p.drift?.stale_error],
            [['drift', 'feedback'], p.drift?.feedback],
        ]) {
            if (message !== undefined && !message.includes('{directive}')) {
                ctx.addIssue({ code: 'custom', path: [...path], message: 'expected the message to name the fix with {directive}' });
            }
        }
    });
}
/** Fill a pitfall message template: {directive} tool.param="fix", {value}, {fix}, {template}, {detail}. */
export function fillMessage(message, pitfall, values) {
    return message
        .replaceAll('{directive}', formatDirective(pitfall.choice, values.fix))
        .replaceAll('{value}', values.value ?? '')
        .replaceAll('{fix}', values.fix)
        .replaceAll('{template}', values.template)
        .replaceAll('{detail}', values.detail ?? '');
}
/** The house template in force: a drift that replaces the template renames it. */
export function templateName(pitfalls, drifted, base) {
    let name = base;
    for (const p of pitfalls)
        if (drifted.has(p.id) && p.drift?.template)
            name = p.drift.template;
    return name;
}
/** The message a tool_error pitfall gives for a wrong value (the stale-fix message under drift). */
export function toolErrorMessage(pitfall, value, fix, drifted, template, detail) {
    const stale = drifted.has(pitfall.id) && pitfall.drift?.stale_error && value === pitfall.fix;
    return fillMessage(stale ? pitfall.drift.stale_error : pitfall.error, pitfall, { value, fix, template, ...(detail !== undefined ? { detail } : {}) });
}
/** The reviewer's message for a review pitfall (the drifted feedback under drift). */
export function reviewMessage(pitfall, fix, drifted, template, detail) {
    const message = (drifted.has(pitfall.id) && pitfall.drift?.feedback) || pitfall.feedback;
    return fillMessage(message, pitfall, { fix, template, ...(detail !== undefined ? { detail } : {}) });
}
/** Difficulty from how many pitfalls can bite and how much content there is. */
export function difficultyOf(pitfalls, size) {
    const score = pitfalls + (size === 'large' ? 1 : 0);
    return score <= 3 ? 'easy' : score <= 5 ? 'medium' : 'hard';
}
