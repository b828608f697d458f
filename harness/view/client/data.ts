// Where the page gets its data: the viewer's API over http, or, in a static export opened from
// file://, the data files the export wrote (each a script that hands its value to dreambenchData;
// classic scripts load from file:// where fetch cannot). Also the review token.

const staticIndex = (): StaticIndex | undefined => window.DREAMBENCH_STATIC;
const isStatic = (): boolean => document.body.dataset.mode === 'static';

/** An API path with its query, keys sorted (the static export names its files by this exact string). */
function apiPath(path: string, params: Record<string, string | number | undefined> = {}): string {
  const entries = Object.entries(params)
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]): [string, string] => [k, String(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const query = new URLSearchParams(entries).toString();
  return query ? `${path}?${query}` : path;
}

const staticValues = new Map<string, unknown>();
window.dreambenchData = (path, value) => void staticValues.set(path, value);

function loadStatic<T>(path: string): Promise<T> {
  if (staticValues.has(path)) return Promise.resolve(staticValues.get(path) as T);
  const file = staticIndex()?.files[path];
  if (!file)
    return Promise.reject(new Error(`This static copy does not include ${path} (open the run with \`dreambench view\` to see it).`));
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = file;
    script.onload = () =>
      staticValues.has(path) ? resolve(staticValues.get(path) as T) : reject(new Error(`${file} holds no data for ${path}`));
    script.onerror = () => reject(new Error(`cannot load ${file}`));
    document.head.appendChild(script);
  });
}

async function getJson<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const full = apiPath(path, params);
  if (isStatic()) return loadStatic<T>(full);
  const res = await fetch(full, { headers: { Accept: 'application/json' } });
  const body = (await res.json()) as unknown;
  if (!res.ok) throw new Error((body as { error?: string }).error ?? `${res.status} ${res.statusText}`);
  return body as T;
}

/** A page of trials: from the server, or filtered here over every row in a static copy. */
async function getTrials(runId: string, query: TrialQuery): Promise<TrialPage> {
  if (!isStatic()) return getJson<TrialPage>(`/api/run/${runId}/trials`, query);
  const all = await loadStatic<{ rows: TrialRow[] }>(apiPath(`/api/run/${runId}/trials-all`));
  return queryTrials(all.rows, query);
}

/** The conversations table: from the server, or searched and filtered here over every row in a static copy. */
async function getLogs(query: LogQuery): Promise<LogsAnswer> {
  if (!isStatic()) return getJson<LogsAnswer>('/api/logs', query);
  const { rows, text, ...rest } = await loadStatic<LogsAll>(apiPath('/api/logs-all'));
  return { ...rest, page: queryConversations(rows, new Map(Object.entries(text)), query) };
}

/** The URL of a run's file (download) or of its PDF preview, or undefined when a static copy lacks it. */
function fileUrl(runId: string, path: string, kind: 'file' | 'preview' = 'file'): string | undefined {
  const full = apiPath(`/api/run/${runId}/${kind}`, { path });
  return isStatic() ? staticIndex()?.copies[full] : full;
}

const TOKEN_KEY = 'dreambench-view-token';

/** The review token: from ?token= in the address (then removed from it), or as typed earlier in this tab. */
function reviewToken(): string {
  const url = new URL(location.href);
  const given = url.searchParams.get('token');
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.toString());
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function setReviewToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
}

async function postReview(runId: string, decision: Record<string, unknown>): Promise<Changeset> {
  const res = await fetch(`/api/run/${runId}/review`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Dreambench-Token': reviewToken() },
    body: JSON.stringify(decision),
  });
  const body = (await res.json()) as { changeset?: Changeset; error?: string };
  if (!res.ok || !body.changeset) throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  return body.changeset;
}
