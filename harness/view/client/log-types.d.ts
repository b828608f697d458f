// The shapes of the log API's answers (harness/view/log-api.ts), as the pages read them.

interface ConversationRow {
  id: string;
  file: string;
  format: string;
  started_at: string;
  task: string;
  family: string;
  request: string;
  messages: number;
  turns: number;
  tool_calls: number;
  tool_errors: number;
  outcome: string;
  outcome_source: string;
  feedback: string[];
  memory: number;
}
interface LogsSummary {
  found: string;
  roots: string[];
  conversations: number;
  memory?: string;
}
type LogQuery = Partial<Record<'format' | 'outcome' | 'source' | 'family' | 'memory' | 'q' | 'sort' | 'dir' | 'offset' | 'limit', string>>;
interface LogsAnswer extends LogsSummary {
  facets: { format: string[]; outcome: string[]; source: string[]; family: string[] };
  page: { total: number; offset: number; limit: number; rows: ConversationRow[] };
}
interface MemoryLink {
  entry: string;
  file: string;
  text: string;
  status: string;
  dream: string;
  change?: { kind: string; n: number; reason: string };
  conversations: string[];
  /** In /api/logs-memory: the cited conversations that are among the logs served. */
  known?: string[];
}
interface LogDetail {
  row: ConversationRow;
  transcript: TranscriptView;
  memory?: MemoryLink[];
}
