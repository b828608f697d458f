// The viewer's style sheet, served as /assets/view.css and written by the static export. Kept as a
// string in a module so it travels inside dist/ with the compiled code.

export const VIEW_CSS = `
:root { --fg: #1d2330; --muted: #5d6677; --line: #d9dde5; --bg: #f6f7f9; --ok: #1a7f37; --bad: #b42318; --accent: #2457c5; --add: #e6f4ea; --del: #fdecea; --chg: #fff6dd; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header#top { display: flex; gap: 16px; align-items: center; padding: 8px 16px; background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
header#top a#home { font-weight: 700; color: var(--fg); text-decoration: none; }
#crumbs a { margin-right: 8px; }
#live { margin-left: auto; color: var(--muted); font-size: 12px; }
main { padding: 16px; max-width: 1500px; margin: 0 auto; }
a { color: var(--accent); }
h1 { font-size: 20px; margin: 4px 0 12px; }
h2 { font-size: 16px; margin: 18px 0 8px; }
h3 { font-size: 14px; margin: 12px 0 6px; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f5; position: sticky; top: 41px; }
th.sortable { cursor: pointer; user-select: none; }
th.sorted-asc::after { content: " ▲"; } th.sorted-desc::after { content: " ▼"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: var(--ok); } .bad { color: var(--bad); }
.muted { color: var(--muted); }
.pill { display: inline-block; padding: 0 6px; border-radius: 8px; background: #eef1f5; font-size: 12px; margin: 0 2px; }
.pill.running { background: #dbe7ff; } .pill.completed { background: var(--add); } .pill.awaiting_review { background: var(--chg); } .pill.failed { background: var(--del); }
.filters { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; align-items: end; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
.pager { margin: 8px 0; display: flex; gap: 8px; align-items: center; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 8px 0; }
.msg { border-left: 3px solid var(--line); padding: 4px 10px; margin: 6px 0; background: #fff; }
.msg.assistant { border-left-color: var(--accent); } .msg.user { border-left-color: #8a6d3b; }
.role { font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; }
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
.block { margin: 4px 0; }
.tool-use { background: #f0f4ff; padding: 4px 8px; border-radius: 4px; }
.tool-result { background: #f7f7f2; padding: 4px 8px; border-radius: 4px; }
.tool-result.error { background: var(--del); }
details.thinking { background: #f5f0ff; padding: 4px 8px; border-radius: 4px; }
details.unknown { background: #fff3e0; padding: 4px 8px; border-radius: 4px; }
.turn-head { display: flex; gap: 12px; font-size: 12px; color: var(--muted); border-top: 1px dashed var(--line); padding-top: 6px; margin-top: 10px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.grid2 > div { min-width: 0; }
.entry { padding: 3px 6px; border-radius: 4px; margin: 2px 0; }
.entry.added { background: var(--add); } .entry.removed { background: var(--del); } .entry.changed { background: var(--chg); }
.diff-add { background: var(--add); display: block; } .diff-del { background: var(--del); display: block; }
.change { border: 1px solid var(--line); border-radius: 6px; padding: 8px; margin: 6px 0; background: #fff; }
.change.pending { border-color: #d4a72c; }
.actions button, button { margin-right: 6px; padding: 3px 10px; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; }
.actions textarea { width: 100%; min-height: 50px; }
.error-box { background: var(--del); padding: 8px; border-radius: 4px; }
.tabs a { margin-right: 12px; }
td.chosen { background: #eef3ff; }
td.entry-label { max-width: 640px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
iframe.preview { width: 100%; height: 600px; border: 1px solid var(--line); }
`;
