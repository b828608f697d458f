// Replay and analyse, on the fixed transcripts in fixtures/transcripts.

import { describe, expect, it } from 'vitest';
import { fixtureTranscripts, scriptedModel } from '../testing/dream-fixtures.js';
import { SimModel } from '../models/sim/sim-model.js';
import { analyseWithModel, analyseWithRules, analysisRequest, parseFindings, type Finding } from './analyse.js';
import { digestTranscript, renderDigest, type ReplayedTrial } from './replay.js';
import { textOf } from '../core/messages.js';

const replayed = (): ReplayedTrial[] =>
  fixtureTranscripts().map((t) => digestTranscript(t, { id: t.trial_id, session: Number(/\/s(\d+)\//.exec(t.trial_id)![1]) }));

const byChoice = (findings: Finding[], choice: string): Finding | undefined => findings.find((f) => f.text.includes(`${choice}=`));

describe('replay', () => {
  it('digests a transcript: errors (one per listed problem), feedback, tools, settings of calls that went through', () => {
    const motion = replayed().find((t) => t.family === 'motion')!;
    expect(motion.errors).toHaveLength(2);
    expect(motion.errors[0]).toMatch(/render_docx\.caption="court-block"/);
    expect(motion.errors[1]).toMatch(/render_docx\.body_font_size="12"/);
    expect(motion.tools).toEqual(['write_section', 'render_docx', 'render_docx', 'submit']);
    // Only the successful render's settings count as used.
    expect(motion.settings).toContainEqual({ choice: 'render_docx.caption', value: 'court-block' });
    expect(motion.settings).not.toContainEqual({ choice: 'render_docx.caption', value: 'simple' });
    expect(motion.session).toBe(1);
    const text = renderDigest(motion);
    expect(text.split('\n')[0]).toBe('### Trial fx/r1/s001/001-motion-01');
    expect(text).toContain('tools: write_section -> render_docx x2 -> submit');
    expect(text).toContain('tool errors:');
  });
});

describe('analyse: the sim answers purpose "dream"', () => {
  const sim = new SimModel('default?lesson_noise=0', new Map());

  it('groups the settings named by errors and feedback, cites the trials, and reports the newest value', async () => {
    const result = await analyseWithModel(replayed(), { model: sim, seedKey: 'test', batchSize: 40 });
    expect(result.ok).toBe(true);
    expect(result.usage.calls).toBe(1);
    const numbering = byChoice(result.findings, 'render_docx.numbering')!;
    expect(numbering).toMatchObject({ kind: 'error', scope: 'general' });
    expect(numbering.evidence).toEqual(['fx/r1/s001/000-nda-01', 'fx/r1/s001/003-nda-02']);
    // Closing: "Very truly yours," in session 1, "Best regards," in session 2: the newer wins.
    const closing = byChoice(result.findings, 'render_docx.closing')!;
    expect(closing.text).toContain('render_docx.closing="Best regards,"');
    expect(closing.kind).toBe('preference');
    expect(closing.evidence).toEqual(['fx/r1/s002/000-engagement-letter-02', 'fx/r1/s002/001-demand-letter-01']);
    expect(byChoice(result.findings, 'render_docx.caption')!.evidence).toEqual(['fx/r1/s001/001-motion-01']);
  });

  it('is deterministic given the seed key, and noise gives vague findings', async () => {
    const a = await analyseWithModel(replayed(), { model: sim, seedKey: 'k', batchSize: 40 });
    const b = await analyseWithModel(replayed(), { model: sim, seedKey: 'k', batchSize: 40 });
    expect(a.findings).toEqual(b.findings);
    const noisy = await analyseWithModel(replayed(), {
      model: new SimModel('default?lesson_noise=1', new Map()),
      seedKey: 'k',
      batchSize: 40,
    });
    expect(noisy.findings.length).toBeGreaterThan(0);
    expect(noisy.findings.every((f) => !/="/.test(f.text))).toBe(true);
  });

  it('batches the trials', async () => {
    const result = await analyseWithModel(replayed(), { model: sim, seedKey: 'k', batchSize: 3 });
    expect(result.batches).toBe(3);
    expect(result.usage.calls).toBe(3);
  });
});

describe('analyse: validation and the repair retry', () => {
  const valid = JSON.stringify({
    findings: [{ kind: 'error', scope: 'nda', text: 'Set render_docx.numbering="legal-flat".', evidence: ['fx/r1/s001/000-nda-01'] }],
  });

  it('validates the JSON (shape, kinds, known evidence ids)', () => {
    const known = new Set(['fx/r1/s001/000-nda-01']);
    expect(parseFindings(valid, known).ok).toBe(true);
    expect(parseFindings('```json\n' + valid + '\n```', known).ok).toBe(true);
    expect(parseFindings('I think you should...', known)).toEqual({ ok: false, error: 'no JSON object found in the reply' });
    const unknown = parseFindings(valid.replace('000-nda-01', '999-nda-99'), known);
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.error).toMatch(/findings\[0\]\.evidence\[0\]: unknown trial id "fx\/r1\/s001\/999-nda-99"/);
    expect(!parseFindings('{"findings":[{"kind":"rumour","scope":"x","text":"t","evidence":["fx/r1/s001/000-nda-01"]}]}', known).ok).toBe(
      true,
    );
  });

  it('repairs a malformed reply with ONE retry that shows the validation error', async () => {
    const model = scriptedModel(['{"findings": [ {"kind": "error", ', valid]);
    const result = await analyseWithModel(replayed(), { model, seedKey: 'k', batchSize: 40 });
    expect(result.ok).toBe(true);
    expect(result.repaired).toBe(1);
    expect(result.usage.calls).toBe(2);
    const retry = model.requests[1]!.request;
    expect(retry.messages).toHaveLength(3);
    expect(textOf(retry.messages[2]!.content)).toMatch(/could not be used: (no JSON object|not valid JSON)/);
    expect(model.requests.every((r) => r.context.purpose === 'dream')).toBe(true);
  });

  it('fails (without throwing) when the retry is malformed too', async () => {
    const model = scriptedModel(['nonsense', '{"findings": "still nonsense"}', valid]);
    const result = await analyseWithModel(replayed(), { model, seedKey: 'k', batchSize: 40 });
    expect(result.ok).toBe(false);
    expect(result.usage.calls).toBe(2);
    expect(result.error).toMatch(/malformed after one repair retry/);
    expect(result.error).toMatch(/retry: findings: /);
  });
});

describe('analyse: rules (no model)', () => {
  it('finds the same settings with no model cost', () => {
    const result = analyseWithRules(replayed());
    expect(result.usage.calls).toBe(0);
    expect(byChoice(result.findings, 'render_docx.closing')!.text).toContain('"Best regards,"');
    expect(byChoice(result.findings, 'render_docx.numbering')!.scope).toBe('nda');
    expect(result.findings.map((f) => f.text).join('\n')).not.toMatch(/\(see fix\)\.?\)/);
  });

  it('writes the request the sim and real models read', () => {
    const request = analysisRequest(replayed());
    const text = textOf(request.messages[0]!.content);
    expect(text).toContain('### Trial fx/r1/s002/001-demand-letter-01');
    expect(request.system[0]!.text).toContain('Reply with JSON only');
  });
});
