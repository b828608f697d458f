// The shapes the viewer's API returns (harness/view/api.ts and the modules it calls), as the page
// reads them. The client is a set of classic scripts (see harness/view/assets.ts), so these are
// global declarations rather than imports.

interface TrialRow {
  id: string;
  arm: string;
  replicate: number;
  session: number;
  slot: number;
  task: string;
  suite: string;
  family: string;
  slice: string;
  success: boolean;
  score: number;
  turns: number;
  tool_calls: number;
  tokens: number;
  cost_usd: number;
  wall_ms: number;
  error_class: string;
  pitfalls_hit: string[];
}
interface TrialPage {
  total: number;
  offset: number;
  limit: number;
  rows: TrialRow[];
}
type TrialQuery = Partial<
  Record<
    | 'arm'
    | 'replicate'
    | 'session'
    | 'slot'
    | 'suite'
    | 'family'
    | 'success'
    | 'error_class'
    | 'pitfall'
    | 'task'
    | 'sort'
    | 'dir'
    | 'offset'
    | 'limit',
    string
  >
>;
declare function queryTrials(rows: readonly TrialRow[], query: TrialQuery): TrialPage;

interface ArmSuccess {
  arm: string;
  trials: number;
  successes: number;
}
interface RunSummary {
  id: string;
  name: string;
  model: string;
  arms: string[];
  status: string;
  created_at: string;
  updated_at: string;
  trials: number;
  planned?: number;
  cost_usd: number;
  simulated: boolean;
  stop_reason?: string;
  invalid?: string;
  per_arm: ArmSuccess[];
}
interface Facets {
  arm: string[];
  replicate: number[];
  session: number[];
  suite: string[];
  family: string[];
  error_class: string[];
  pitfall: string[];
}
interface MemoryIndex {
  arm: string;
  replicates: Array<{ rep: number; sessions: number[] }>;
}
interface DreamSummary {
  arm: string;
  rep: number;
  session: number;
  dream: string;
  status: string;
  review_mode: string;
  counts: Record<string, number>;
}
interface RunDetail {
  summary: RunSummary;
  manifest: { experiment: Record<string, unknown> };
  facets: Facets;
  memory: MemoryIndex[];
  dreams: DreamSummary[];
  previews: boolean;
}

interface TrialRecord {
  arm: string;
  replicate: number;
  session: number;
  slot: number;
  task: string;
  suite: string;
  family: string;
  model: string;
  success: boolean;
  score: number;
  turns: number;
  tool_calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
  wall_ms: number;
  error_class: string;
  error?: string;
  pitfalls_hit: string[];
  pitfalls_avoided: string[];
  feedback: string[];
  checks: Array<{ id: string; passed: boolean; detail?: string }>;
  grader?: {
    success: boolean;
    score: number;
    criteria: Array<{ criterion: string; score: number; passed: boolean; feedback?: string }>;
    failure?: string;
  };
  attempts?: Array<{ attempt: number; revision: number; success: boolean; score: number; turns: number; stop: string }>;
  notes?: string;
  transcript: string;
}
interface ViewMessage {
  role: string;
  content: unknown;
}
interface TurnView {
  n: number;
  messages: ViewMessage[];
  stop_reason?: string;
  usage?: Record<string, number>;
  cost_usd?: number;
  wall_ms?: number;
}
interface ThreadView {
  label: string;
  system: Array<{ label: string; text: string }>;
  opening: ViewMessage[];
  turns: TurnView[];
}
interface TranscriptView {
  format: string;
  threads: ThreadView[];
  tools: Array<{ name: string; description?: string }>;
  arm_calls: unknown[];
  runtime?: unknown;
  outcome?: unknown;
}
interface ArtifactFile {
  path: string;
  name: string;
  bytes: number;
  preview: boolean;
}
interface TrialDetail {
  id: string;
  record: TrialRecord;
  transcript?: TranscriptView;
  transcript_error?: string;
  artifacts: ArtifactFile[];
}

interface Provenance {
  id: string;
  trials: string[];
  support: number;
  written: number;
  dream: string;
  used: number;
  merged?: string[];
}
interface EntryView {
  key: string;
  file: string;
  text: string;
  id?: string;
  provenance?: Provenance;
}
interface SnapshotView {
  session: number;
  tokens: number;
  files: Array<{ file: string; text: string; raw: string }>;
  entries: EntryView[];
}
interface Change {
  n: number;
  kind: string;
  file: string;
  from_file?: string;
  id: string;
  category?: string;
  before?: string;
  after?: string;
  reason: string;
  evidence: string[];
  status: string;
  review?: { by: string; rule?: string; edited?: boolean; at?: string };
}
interface Changeset {
  dream: string;
  session: number;
  status: string;
  review_mode: string;
  created_at: string;
  changes: Change[];
  replay: { trials: number };
  analysis: { mode: string; findings: number; error?: string };
  dropped_findings: Array<{ text: string; reason: string; evidence: string[] }>;
  memory_tokens: { before: number; after?: number; cap: number | null };
  proposed?: Record<string, string>;
}
interface EntryEdit {
  dream: string;
  session: number;
  n: number;
  kind: string;
  status: string;
  reason: string;
  evidence: string[];
  before?: string;
  after?: string;
}
interface MemoryTimeline {
  arm: string;
  rep: number;
  snapshots: SnapshotView[];
  changesets: Changeset[];
  edits: Record<string, EntryEdit[]>;
}
interface EntryDiff {
  from: number;
  to: number;
  proposed: boolean;
  added: EntryView[];
  removed: EntryView[];
  changed: Array<{ before: EntryView; after: EntryView }>;
  unchanged: number;
  unified: string;
}

/** Written by the static export: API path -> data file, and the run files it copied. */
interface StaticIndex {
  files: Record<string, string>;
  copies: Record<string, string>;
}
interface Window {
  DREAMBENCH_STATIC?: StaticIndex;
  /** Called by each exported data file with its API path and value. */
  dreambenchData?: (path: string, value: unknown) => void;
}
