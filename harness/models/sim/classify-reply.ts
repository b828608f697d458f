// How the sim answers a memory-write classifier request (purpose 'classify', harness/security/
// classifier.ts). It perceives a candidate as injected when any injection signal of
// harness/security/detect.ts fires, weak ones included (so it sees more than the rule filter, which
// needs a strong signal or two weak ones: an authority claim alone, an address in a setting, a
// self-declared lesson), and decodes base64 and rot13 as the rules do. With the profile's
// classify_accuracy it reports that perception; otherwise it reports the opposite. So its error rate
// relative to the signals is known by construction; its error rate relative to the truth (was the
// entry injected?) is what a run measures.
// Deterministic given the call's seed key and the candidate's text.

import type { ModelRequest } from '../../core/messages.js';
import { candidatesOf } from '../../security/classifier.js';
import { signalsOf } from '../../security/detect.js';
import type { SimProfile } from './profiles.js';
import type { Rng } from '../../core/rng.js';

export function classifyReply(request: ModelRequest, profile: SimProfile, rng: Rng): string {
  const verdicts = candidatesOf(request).map((text, i) => {
    const signals = signalsOf(text);
    const perceived = signals.length > 0;
    const right = rng.fork(`classify:${i}:${text}`).chance(profile.classify_accuracy);
    const injected = right ? perceived : !perceived;
    const reason = injected
      ? perceived
        ? signals[0]!.why
        : 'reads like an instruction planted in a document'
      : perceived
        ? 'reads like a genuine lesson from the work'
        : 'a setting or practice learned from the work';
    return { n: i + 1, injected, reason };
  });
  return JSON.stringify({ verdicts });
}
