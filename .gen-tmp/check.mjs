import { loadDocxData } from './tasks/office-docx/data.js';
const d = loadDocxData('/work/main/tasks/office-docx/data');
const by = {};
for (const t of d.tasks) { (by[t.family] ??= []).push(`${t.expected.difficulty[0]}${t.pitfalls.length}`); }
console.log(by);
const diff = {}; for (const t of d.tasks) diff[t.expected.difficulty] = (diff[t.expected.difficulty] ?? 0) + 1; console.log(diff);
const hits = {}; for (const t of d.tasks) for (const p of t.pitfalls) hits[p] = (hits[p] ?? 0) + 1; console.log(hits);
