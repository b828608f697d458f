// --cache DIR and --replay, shared by `run` and `resume` (see harness/models/cache.ts).

import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { newCacheStats, type CacheOptions } from '../models/cache.js';
import { UsageError } from './exit.js';

export interface CacheArgs {
  cache?: string;
  replay?: boolean;
}

export function withCacheFlags<T>(y: Argv<T>): Argv<T & CacheArgs> {
  return y
    .option('cache', {
      type: 'string',
      describe:
        'response cache folder: replies are served from it when present and stored in it otherwise (content-addressed, safe to share)',
    })
    .option('replay', {
      type: 'boolean',
      describe: 'with --cache: answer every model call from the cache, never call a model (a miss fails the run, exit 1)',
    }) as Argv<T & CacheArgs>;
}

/** The runner's cache options from the flags; --replay without --cache is bad input (exit 2). */
export function cacheOptionsFrom(args: CacheArgs): CacheOptions | undefined {
  if (args.replay && !args.cache) throw new UsageError('--replay needs --cache DIR: the folder to replay the replies from');
  if (!args.cache) return undefined;
  // Absolute, so that a resume from another directory finds the same cache (the manifest records it).
  return { dir: resolve(args.cache), mode: args.replay ? 'replay' : 'record', stats: newCacheStats() };
}

export function describeCache(options: CacheOptions | undefined): string {
  if (!options?.stats) return '';
  const s = options.stats;
  return options.mode === 'replay'
    ? `Replayed from ${options.dir}: ${s.hits} cached replies, no model calls.\n`
    : `Response cache ${options.dir}: ${s.hits} hits, ${s.misses} model calls, ${s.stored} replies stored.\n`;
}
