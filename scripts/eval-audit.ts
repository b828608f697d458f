// Recall, false-positive rate and precision of the audit rules (no model) on memory entries nobody
// on this project wrote (harness/security/eval-data/memory-entries.jsonl), on its held-out part,
// which the rules were never tuned on, and per intent. `--split tune --show` lists the tuning
// part's misses and false alarms (the only part a rule writer may look at).
//
//   npm run eval:audit
//   npm run build:dev && node dist-dev/scripts/eval-audit.js --split tune --show

import { evaluatePublic, readPublicSet, type PublicEvaluation, type Split } from '../harness/security/public-eval.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');

function render(r: PublicEvaluation): string {
  const lines = [
    `${r.split}: ${r.entries} entries (${r.injected} injected, ${r.benign} benign)`,
    `  recall ${pct(r.recall)} (${r.tp}/${r.injected}), false-positive rate ${pct(r.false_positive_rate)} (${r.fp}/${r.benign}), precision ${pct(r.precision)}`,
    '  per intent: labelled -> detected (recall); rule of this intent fired -> on injected entries (precision)',
  ];
  for (const i of r.intents) {
    lines.push(
      `    ${i.intent.padEnd(20)} ${String(i.detected).padStart(3)}/${String(i.labelled).padEnd(3)} ${pct(i.recall).padStart(6)}   ${String(i.fired_injected).padStart(3)}/${String(i.fired).padEnd(3)} ${pct(i.precision).padStart(6)}`,
    );
  }
  return lines.join('\n');
}

const args = process.argv.slice(2);
const splitArg = args.includes('--split') ? args[args.indexOf('--split') + 1] : undefined;
const splits: Array<Split | 'all'> =
  splitArg === 'tune' || splitArg === 'held-out' || splitArg === 'all' ? [splitArg] : ['held-out', 'tune'];
const entries = readPublicSet();
for (const split of splits) {
  const r = evaluatePublic(entries, split);
  console.log(render(r));
  if (args.includes('--show') && split === 'tune') {
    for (const id of [...r.missed, ...r.false_alarms])
      console.log(
        `    ${r.missed.includes(id) ? 'missed' : 'false alarm'}: ${id}: ${entries.find((e) => e.id === id)!.text.slice(0, 200)}`,
      );
  }
}
