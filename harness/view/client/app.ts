// The viewer's entry point: a hash router (works over http and from file://), and live updates
// from the server's event stream: when a run's journal grows, the page showing it is re-rendered.

interface Route {
  parts: string[];
  params: URLSearchParams;
}

function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const q = hash.indexOf('?');
  const path = q >= 0 ? hash.slice(0, q) : hash;
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '') };
}

let rendering = Promise.resolve();

function render(): Promise<void> {
  const { parts, params } = currentRoute();
  const page = async (): Promise<void> => {
    const [first, runId, kind, ...rest] = parts;
    if (first === 'run' && runId && kind === 'trial') return trialPage(runId, rest.join('/'));
    if (first === 'run' && runId && kind === 'memory') return memoryPage(runId, params);
    if (first === 'run' && runId) return trialsPage(runId, params);
    if (first === 'compare') return comparePage(params);
    if (first === 'logs' && runId === 'memory') return logsMemoryPage();
    if (first === 'logs') return logsPage(params);
    if (first === 'log') return logPage(params.get('id') ?? '');
    return runsPage();
  };
  rendering = rendering
    .then(() => page().catch((error: unknown) => show(errorBox(error))))
    // A counter of finished renders: lets a test (or a curious person) tell when the page has settled.
    .then(() => void (document.body.dataset.renders = String(Number(document.body.dataset.renders ?? '0') + 1)));
  return rendering;
}

function followLive(): void {
  if (document.body.dataset.mode !== 'server' || typeof EventSource === 'undefined') return;
  const badge = document.getElementById('live')!;
  const source = new EventSource('/api/live');
  let timer: number | undefined;
  source.onopen = () => (badge.textContent = 'live');
  source.onerror = () => (badge.textContent = 'live updates paused');
  source.onmessage = (message) => {
    const update = JSON.parse(message.data as string) as { run: string; events: Array<{ type?: string }> };
    badge.textContent = `live · ${update.run}: ${update.events.length} new event${update.events.length === 1 ? '' : 's'}`;
    const { parts } = currentRoute();
    const showing = parts.length === 0 || (parts[0] === 'run' && parts[1] === update.run && parts[2] !== 'trial');
    if (!showing) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void render(), 1000);
  };
}

reviewToken();
window.addEventListener('hashchange', () => void render());
void render();
followLive();
