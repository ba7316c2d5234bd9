'use strict';
// The local stack's page: plain JS against the real request API. Everything it shows comes from the API's own
// responses; /local/scenario (local-only) only fills the pickers with the seeded users, use cases and jobs.

const FIRST_POLL_MS = 500;
const MAX_POLL_MS = 5000;
const HIDDEN_TAB_POLL_MS = 15000;
const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

const $ = (id) => document.getElementById(id);
const state = { scenario: null };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

function user() { return $('user').value; }
function usecase() { return state.scenario.usecases.find((u) => u.id === $('usecase').value); }

/** Calls the API as the chosen user; rejects with the API's own error message. */
async function api(method, path, body) {
  // Percent-encoded UTF-8: fetch() refuses header values outside Latin-1, and the gateway decodes %XX (so any id
  // works, '%' included).
  const headers = { 'X-Dev-User': encodeURIComponent(user()) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    const err = new Error('The local gateway cannot be reached: is ./dev up still running?');
    err.transient = true;
    throw err;
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!res.ok) {
    const message = (data && data.error && data.error.message) || (data && data.message) || `HTTP ${res.status}`;
    const err = new Error(message);
    err.status = res.status;
    err.transient = res.status === 429 || res.status === 503 || res.status >= 502;
    err.retryAfterMs = 1000 * (parseInt(res.headers.get('Retry-After') || '0', 10) || 0);
    throw err;
  }
  return data;
}

/**
 * Polls until done: 0.5 s, then 1.5x longer each time up to 5 s; 15 s while the tab is hidden; a Retry-After
 * from the API (429/503) is honoured. Transient failures keep polling, others stop and are shown.
 */
function poll(load, onDoc, onError, isDone) {
  let delay = FIRST_POLL_MS;
  const schedule = (atLeast = 0) => {
    const wait = Math.max(document.hidden ? HIDDEN_TAB_POLL_MS : delay, atLeast);
    delay = Math.min(MAX_POLL_MS, Math.round(delay * 1.5));
    setTimeout(tick, wait);
  };
  const tick = async () => {
    try {
      const doc = await load();
      onDoc(doc);
      if (!isDone(doc)) schedule();
    } catch (e) {
      if (e.transient) { onError(e, true); schedule(e.retryAfterMs || 0); } else { onError(e, false); }
    }
  };
  schedule();
}

/** The options both export buttons send: the format, and compression only when chosen (default none). */
function exportOptions() {
  const options = { format: $('format').value };
  if ($('compression').value !== 'none') options.compression = $('compression').value;
  return options;
}

function formatBytes(n) {
  if (n == null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function statusBadge(status) {
  return el('span', { class: `status ${status}`, 'data-role': 'status', textContent: status });
}

/** Progress bar and line from a status document's progress: streams done of total, events, bytes. */
function progressView(doc) {
  const p = doc.progress || {};
  const bar = el('progress', { max: 1 });
  if (doc.status === 'SUCCEEDED') bar.value = 1;
  else if (p.streamsTotal > 0) bar.value = p.streamsDone / p.streamsTotal;
  else if (FINISHED.has(doc.status)) bar.value = 0;
  else bar.removeAttribute('value'); // indeterminate while QUEUED
  const parts = [];
  if (p.streamsTotal > 0) parts.push(`${p.streamsDone}/${p.streamsTotal} log streams`);
  if (p.events != null) parts.push(`${Number(p.events).toLocaleString()} events`);
  if (p.bytes) parts.push(formatBytes(p.bytes));
  return [bar, el('div', { class: 'detail' }, parts.join(' · '))];
}

function downloadView(doc) {
  if (!doc.download || !doc.download.url) return null;
  const d = doc.download;
  // A plain link to the presigned URL: S3 answers with Content-Disposition: attachment, so the browser saves it.
  return el('a', { class: 'download', href: d.url, 'data-role': 'download', textContent:
      `Download ${d.filename} (${formatBytes(d.sizeBytes)})` });
}

function errorView(message) {
  return el('p', { class: 'error', 'data-role': 'error', textContent: message });
}

function addCard(card) {
  $('no-exports').hidden = true;
  $('exports').prepend(card);
}

// ---- one export -------------------------------------------------------------------------------------------------

async function exportOne(trainingId) {
  const card = el('div', { class: 'card', 'data-kind': 'export', 'data-training-id': trainingId });
  const title = el('h3', {}, trainingId);
  const body = el('div', {});
  card.append(title, body);
  addCard(card);
  const seen = [];
  const render = (doc) => {
    card.dataset.status = doc.status;
    // Every status this card has shown, in order (QUEUED RUNNING SUCCEEDED): what the user watched happen.
    if (seen[seen.length - 1] !== doc.status) seen.push(doc.status);
    card.dataset.seen = seen.join(' ');
    title.replaceChildren(trainingId, statusBadge(doc.status), el('span', { class: 'id' }, doc.exportId || ''));
    body.replaceChildren(...progressView(doc));
    const link = downloadView(doc);
    if (link) body.append(link);
    if (doc.error) body.append(errorView(doc.error.message));
  };
  const fail = (e, transient) => {
    if (!transient) { card.dataset.status = 'ERROR'; title.replaceChildren(trainingId, statusBadge('ERROR')); }
    body.querySelector('.error')?.remove();
    body.append(errorView(e.message + (transient ? ' Retrying…' : '')));
  };
  let created;
  try {
    created = await api('POST', `/usecases/${encodeURIComponent(usecase().id)}/trainings/${encodeURIComponent(trainingId)}/log-exports`,
        exportOptions());
  } catch (e) { fail(e, false); return; }
  render(created);
  poll(() => api('GET', created.statusUrl || `/log-exports/${created.exportId}`), render, fail,
      (doc) => FINISHED.has(doc.status));
}

// ---- a batch ----------------------------------------------------------------------------------------------------

async function exportBatch(trainingIds) {
  const card = el('div', { class: 'card', 'data-kind': 'batch' });
  const title = el('h3', {}, `Batch of ${trainingIds.length}`);
  const rows = el('div', {});
  const archiveBox = el('div', { class: 'archive', 'data-role': 'archive' });
  card.append(title, rows, archiveBox);
  addCard(card);
  const rowFor = new Map();
  for (const id of trainingIds) {
    const row = el('div', { class: 'batch-row', 'data-training-id': id }, el('strong', {}, id),
        statusBadge('…'), el('div', {}));
    rowFor.set(id, row);
    rows.append(row);
  }
  const linked = new Set();
  const renderItem = (item) => {
    const row = rowFor.get(item.trainingId);
    if (!row) return;
    const status = item.status || (item.error ? 'FAILED' : 'QUEUED');
    row.dataset.status = status;
    row.children[1].replaceWith(statusBadge(status));
    const cell = row.children[2];
    if (item.error) { cell.replaceChildren(errorView(item.error.message)); return; }
    if (item.progress) cell.replaceChildren(...progressView(item));
    if (status === 'SUCCEEDED' && item.exportId && !linked.has(item.exportId)) {
      // The batch lists statuses; the download link comes from the export's own status document.
      linked.add(item.exportId);
      api('GET', `/log-exports/${item.exportId}`).then((doc) => {
        cell.replaceChildren(...progressView(doc));
        const link = downloadView(doc);
        if (link) cell.append(link);
      }).catch((e) => cell.replaceChildren(errorView(e.message)));
    }
  };
  const summary = el('div', { class: 'batch-summary' });
  card.insertBefore(summary, rows);
  let archiveWanted = false; // the user clicked "Download all": save the zip as soon as it is built
  const renderArchive = (doc) => {
    const a = doc.archive;
    if (!a) {
      const items = itemsOf(doc);
      const finished = items.length > 0 && items.every((i) => FINISHED.has(i.status) || (i.error && !i.status));
      if (finished && items.some((i) => i.status === 'SUCCEEDED') && !archiveBox.querySelector('button')) {
        const button = el('button', { 'data-role': 'download-all', textContent: 'Download all (one zip)' });
        button.addEventListener('click', () => requestArchive(doc.batchId, button));
        archiveBox.replaceChildren(button);
      }
      return;
    }
    archiveBox.dataset.status = a.status;
    const p = a.progress || {};
    const detail = p.entriesTotal ? `${p.entriesDone}/${p.entriesTotal} files · ${formatBytes(p.bytes)}` : '';
    archiveBox.replaceChildren(el('strong', {}, 'All files as one zip'), statusBadge(a.status),
        el('span', { class: 'detail' }, detail));
    if (a.download) {
      const link = el('a', { class: 'download', href: a.download.url, 'data-role': 'archive-download',
        textContent: `Download ${a.download.filename} (${formatBytes(a.download.sizeBytes)})` });
      archiveBox.append(link);
      if (archiveWanted) { archiveWanted = false; link.click(); }
    }
    if (a.error) archiveBox.append(errorView(a.error.message));
  };
  const render = (doc) => {
    card.dataset.status = doc.status || '';
    title.replaceChildren(`Batch of ${trainingIds.length}`, doc.status ? statusBadge(doc.status) : '',
        el('span', { class: 'id' }, doc.batchId || ''));
    if (doc.counts) {
      // The batch page's counts include the exports the fan-out has not created yet (as QUEUED).
      const parts = Object.entries(doc.counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
      summary.textContent = `${doc.total} exports: ${parts.join(', ') || 'none'}`;
    }
    for (const item of itemsOf(doc)) renderItem(item);
    renderArchive(doc);
  };
  /** POST …/archive, then poll the batch until the archive is built (or failed) and save it. */
  const requestArchive = async (batchId, button) => {
    button.disabled = true;
    archiveWanted = true;
    try {
      const reply = await api('POST', `/log-export-batches/${batchId}/archive`);
      renderArchive(reply);
    } catch (e) {
      button.disabled = false;
      archiveBox.querySelector('.error')?.remove();
      archiveBox.append(errorView(e.message));
      return;
    }
    poll(() => api('GET', `/log-export-batches/${batchId}`), render, fail,
        (doc) => doc.archive && FINISHED.has(doc.archive.status));
  };
  const fail = (e, transient) => {
    card.querySelector(':scope > .error')?.remove();
    card.append(errorView(e.message + (transient ? ' Retrying…' : '')));
  };
  let created;
  try {
    created = await api('POST', `/usecases/${encodeURIComponent(usecase().id)}/log-exports`,
        { trainingIds, ...exportOptions() });
  } catch (e) { card.dataset.status = 'ERROR'; fail(e, false); return; }
  render(created);
  if (!created.batchId) return;
  poll(() => api('GET', created.statusUrl || `/log-export-batches/${created.batchId}`), render, fail,
      (doc) => itemsOf(doc).every((i) => FINISHED.has(i.status) || (i.error && !i.status)));
}

function itemsOf(doc) {
  return doc.exports || doc.items || [];
}

// ---- pickers ----------------------------------------------------------------------------------------------------

function renderJobs() {
  const uc = usecase();
  const member = uc.members.includes(user());
  $('membership').textContent = member
    ? `${user()} is a member of ${uc.id} (account ${uc.accountId}).`
    : `${user()} is not a member of ${uc.id}: exports will be refused by the API.`;
  const tbody = $('jobs').querySelector('tbody');
  tbody.replaceChildren();
  for (const job of uc.trainingJobs) {
    const pick = el('input', { type: 'checkbox', class: 'pick', value: job.name });
    pick.addEventListener('change', updateBatchButton);
    const button = el('button', { class: 'export-one', textContent: 'Export logs' });
    button.addEventListener('click', () => exportOne(job.name));
    const streams = job.streams.length;
    tbody.append(el('tr', { 'data-job': job.name },
        el('td', {}, pick),
        el('td', {}, el('div', {}, job.name), el('div', { class: 'desc' }, job.description || '')),
        el('td', { class: 'num' }, streams === 0 ? 'none yet' : String(streams)),
        el('td', { class: 'num' }, Number(job.events).toLocaleString()),
        el('td', {}, button)));
  }
  $('select-all').checked = false;
  updateBatchButton();
}

function selected() {
  return [...document.querySelectorAll('#jobs input.pick:checked')].map((c) => c.value);
}

function updateBatchButton() {
  const n = selected().length;
  $('export-batch').disabled = n === 0;
  $('export-batch').textContent = n ? `Export ${n} selected as a batch` : 'Export selected as a batch';
}

async function init() {
  state.scenario = await (await fetch('/local/scenario')).json();
  for (const u of state.scenario.users) $('user').append(el('option', { value: u.id, textContent: u.name }));
  for (const u of state.scenario.usecases) {
    $('usecase').append(el('option', { value: u.id, textContent: u.description ? `${u.id} — ${u.description}` : u.id }));
  }
  $('user').addEventListener('change', renderJobs);
  $('usecase').addEventListener('change', renderJobs);
  $('select-all').addEventListener('change', (e) => {
    document.querySelectorAll('#jobs input.pick').forEach((c) => { c.checked = e.target.checked; });
    updateBatchButton();
  });
  $('export-batch').addEventListener('click', () => exportBatch(selected()));
  renderJobs();
  document.body.dataset.ready = 'true';
}

init().catch((e) => {
  document.querySelector('main').prepend(errorView(`Cannot load the scenario: ${e.message}`));
});
