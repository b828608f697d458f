import type { CommandModule } from 'yargs';
import { loadAllSuites } from '../../registry/suites.js';
import { armNames, loadArmFactory } from '../../registry/arms.js';
import { SIM_PROFILES } from '../../models/sim/profiles.js';

export const listCommand: CommandModule<object, object> = {
  command: 'list',
  describe: 'List the suites, arms and sim profiles this installation has',
  handler: async () => {
    const out: string[] = ['Suites:'];
    for (const suite of (await loadAllSuites()).values()) {
      out.push(
        `  ${suite.name.padEnd(18)} ${suite.tasks.length} tasks, ${suite.families.length} families, ${suite.pitfalls.length} pitfalls: ${suite.description}`,
      );
    }
    out.push('', 'Arms:');
    for (const name of armNames()) out.push(`  ${name.padEnd(18)} ${(await loadArmFactory(name)).description}`);
    out.push('', 'Sim profiles (sim:<profile>; they describe the harness, not a real model):');
    for (const p of Object.values(SIM_PROFILES)) {
      out.push(
        `  ${p.name.padEnd(18)} skill ${p.skill}, apply_lesson ${p.apply_lesson}, recover ${p.recover}, follow_injection ${p.follow_injection}, lesson_noise ${p.lesson_noise}, grader_accuracy ${p.grader_accuracy}, classify_accuracy ${p.classify_accuracy}`,
      );
    }
    process.stdout.write(out.join('\n') + '\n');
  },
};
