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
  /** Tokens the log reports for the whole conversation; absent when it reports none. */
  usage?: Record<string, number>;
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
/** /api/logs-all: every row and its lower-cased searchable text, for a static copy that queries in the page. */
interface LogsAll extends LogsSummary {
  facets: LogsAnswer['facets'];
  rows: ConversationRow[];
  text: Record<string, string>;
}
/** harness/view/log-query.ts, loaded as a classic script (log-query.js). */
declare function queryConversations(
  rows: readonly ConversationRow[],
  text: ReadonlyMap<string, string>,
  query: LogQuery,
): LogsAnswer['page'];
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
