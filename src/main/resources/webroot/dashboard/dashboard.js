// vxnet dashboard: reads /dashboard/events (server-sent events, one snapshot a second) and draws the cluster.
// Rates are counter deltas between two snapshots divided by the time between their gathers; latencies are the
// instances' own p50/p99 over their last 10 s. Plain JavaScript, no build step; charts by the vendored uPlot.
'use strict';

(() => {
  const HISTORY = 120;          // points kept for the charts (two minutes at one a second)
  const HIT_RATIO_WINDOW = 10;  // snapshots the DNS cache hit ratio is computed over (about 10 s)
  const STALE_MS = 3500;        // no snapshot for this long: say so

  // How each service is read: the counter of its main rate, its unit, and which counters are errors.
  const WEB_ERRORS = ['responses_5xx', 'invalid_requests', 'header_timeouts'];
  const SERVICES = {
    https: { label: 'HTTPS', rate: 'requests', unit: 'req/s', errors: WEB_ERRORS },
    http: { label: 'HTTP', rate: 'requests', unit: 'req/s', errors: WEB_ERRORS },
    tcp: { label: 'TCP echo', rate: 'bytes_in', unit: 'B/s', bytes: true, errors: ['refused'] },
    udp: { label: 'UDP echo', rate: 'datagrams_in', unit: 'dgram/s', errors: ['oversize', 'rate_limited', 'send_errors'] },
    chat: { label: 'Chat', rate: 'lines_in', unit: 'msg/s', errors: ['refused', 'overlong_lines', 'bad_messages', 'slow_disconnects'] },
    dns: { label: 'DNS',  rate: 'requests', unit: 'req/s', errors: ['bad_requests', 'upstream_errors', 'busy'] },
    fetch: { label: 'Fetch', rate: 'requests', unit: 'req/s', errorPrefix: 'failed_' },
    bridge: { label: 'TCP bridge', rate: 'frames_in', unit: 'frames/s', errors: ['bad_frames', 'oversize_frames', 'denied', 'request_errors', 'slow_disconnects'] },
  };
  const ORDER = Object.keys(SERVICES);

  const $ = (selector, root = document) => root.querySelector(selector);
  const el = (tag, attrs = {}, text) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === 'class') node.className = value; else node.setAttribute(key, value);
    }
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // ---- numbers --------------------------------------------------------------------------------------------
  const nf = new Intl.NumberFormat('en-US');
  const fmtCount = (n) => (n == null ? '–' : nf.format(Math.round(n)));
  const fmtRate = (n) => {
    if (n == null) return '–';
    if (n === 0) return '0';
    if (n < 10) return n.toFixed(1);
    return nf.format(Math.round(n));
  };
  const fmtBytes = (n) => {
    if (n == null) return '–';
    const units = ['B', 'KB', 'MB', 'GB'];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return (i === 0 ? Math.round(n) : n.toFixed(n < 10 ? 1 : 0)) + ' ' + units[i];
  };
  const fmtMs = (ms) => {
    if (ms == null) return '–';
    if (ms < 1) return ms.toFixed(2);
    if (ms < 100) return ms.toFixed(1);
    return nf.format(Math.round(ms));
  };
  const fmtPercent = (ratio) => (ratio == null ? '–' : (ratio * 100).toFixed(ratio >= 0.995 || ratio < 0.1 ? 0 : 1) + ' %');
  const clock = (ms) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false });

  // ---- reading snapshots ----------------------------------------------------------------------------------
  const spec = (service) => SERVICES[service] || { label: service, rate: 'requests', unit: '/s', errors: [] };
  const errorsOf = (service, counters) => {
    const s = spec(service);
    let sum = 0;
    for (const [name, value] of Object.entries(counters || {})) {
      if ((s.errors && s.errors.includes(name)) || (s.errorPrefix && name.startsWith(s.errorPrefix))) sum += value;
    }
    return sum;
  };
  const delta = (now, before) => Math.max(0, (now || 0) - (before || 0)); // a restarted instance counts from 0 again
  const nodesByName = (snapshot) => {
    const map = new Map();
    for (const node of (snapshot && snapshot.stats.nodes) || []) map.set(node.node, node);
    return map;
  };
  const worstLatency = (instances, name = 'request') => {
    let p50 = null;
    let p99 = null;
    for (const instance of instances || []) {
      const window = instance.latency && instance.latency[name];
      if (window && window.count > 0) {
        p50 = Math.max(p50 ?? 0, window.p50_ms);
        p99 = Math.max(p99 ?? 0, window.p99_ms);
      }
    }
    return { p50, p99 };
  };

  /** What one service on one node did since the previous snapshot. */
  function serviceView(service, now, before, seconds) {
    const s = spec(service);
    const counters = now.counters || {};
    const old = before && before.counters;
    const view = {
      service,
      label: s.label,
      unit: s.unit,
      bytes: !!s.bytes,
      status: now.status,
      instancesAnswered: now.instances_answered,
      instancesExpected: now.instances_expected,
      total: counters[s.rate],
      rate: old && seconds > 0 ? delta(counters[s.rate], old[s.rate]) / seconds : null,
      errorsTotal: errorsOf(service, counters),
      errorsRate: old && seconds > 0 ? delta(errorsOf(service, counters), errorsOf(service, old)) / seconds : null,
      ...worstLatency(now.instances),
      instances: [],
    };
    const oldInstances = new Map(((before && before.instances) || []).map((i) => [i.instance, i]));
    for (const instance of now.instances || []) {
      const was = oldInstances.get(instance.instance);
      const latency = (instance.latency && instance.latency.request) || null;
      view.instances.push({
        name: instance.instance,
        total: (instance.counters || {})[s.rate],
        rate: was && seconds > 0 ? delta(instance.counters[s.rate], was.counters[s.rate]) / seconds : null,
        p50: latency && latency.count > 0 ? latency.p50_ms : null,
        p99: latency && latency.count > 0 ? latency.p99_ms : null,
        errorsTotal: errorsOf(service, instance.counters),
      });
    }
    return view;
  }

  // ---- state ----------------------------------------------------------------------------------------------
  let previous = null;
  const recent = [];                 // the last HIT_RATIO_WINDOW + 1 snapshots
  const lastKnown = new Map();       // node -> {views, at}: what a node showed before it went
  const cards = new Map();           // node -> its card's elements
  const chartData = { x: [], rates: [[], [], [], [], []], latency: [[], [], [], []] };
  let charts = null;
  let updates = 0;
  let lastMessageAt = 0;

  // ---- rendering ------------------------------------------------------------------------------------------
  function setPill(kind, text) {
    const pill = $('#connection');
    pill.className = 'pill pill-' + kind;
    if (pill.textContent !== text) pill.textContent = text;
  }

  function setSummary(key, text) {
    const node = $(`[data-summary="${key}"]`);
    if (node && node.textContent !== text) node.textContent = text;
  }

  function card(name) {
    let c = cards.get(name);
    if (c) return c;
    const root = el('article', { class: 'node', 'data-node': name, 'aria-labelledby': 'node-' + cssId(name) });
    const head = el('div', { class: 'node-head' });
    const title = el('h3', { id: 'node-' + cssId(name) }, name);
    const state = el('span', { class: 'node-state', 'data-field': 'state' });
    const note = el('span', { class: 'node-note', 'data-field': 'note' });
    head.append(title, state, note);
    const wrap = el('div', { class: 'table-wrap' });
    const table = el('table', { class: 'grid services' });
    table.append(el('caption', { class: 'visually-hidden' }, 'Services on node ' + name));
    const headRow = el('tr');
    for (const [label, numeric, title] of [['service', false], ['inst.', true, 'instances answering / running'],
      ['rate', true], ['total', true, 'since the instances started'], ['p50 ms', true, 'median over the last 10 s'],
      ['p99 ms', true, '99th percentile over the last 10 s'], ['err/s', true, 'errors per second']]) {
      const th = el('th', { scope: 'col', class: numeric ? 'num' : '' }, label);
      if (title) th.title = title;
      headRow.append(th);
    }
    table.append(el('thead'), el('tbody'));
    table.tHead.append(headRow);
    wrap.append(table);
    const details = el('details', { class: 'instances' });
    const summary = el('summary', {}, 'instances');
    const instanceWrap = el('div', { class: 'table-wrap' });
    const instanceTable = el('table', { class: 'grid' });
    const instanceHead = el('tr');
    for (const [label, numeric] of [['instance', false], ['rate', true], ['total', true], ['p50 ms', true], ['p99 ms', true], ['errors', true]]) {
      instanceHead.append(el('th', { scope: 'col', class: numeric ? 'num' : '' }, label));
    }
    instanceTable.append(el('thead'), el('tbody'));
    instanceTable.tHead.append(instanceHead);
    instanceWrap.append(instanceTable);
    details.append(summary, instanceWrap);
    root.append(head, wrap, details);
    c = { root, state, note, body: table.tBodies[0], summary, instances: instanceTable.tBodies[0], rows: new Map() };
    cards.set(name, c);
    return c;
  }

  function cssId(name) {
    return name.replace(/[^A-Za-z0-9_-]/g, '_');
  }

  function cell(row, field, text, numeric = true) {
    let td = row.querySelector(`[data-field="${field}"]`);
    if (!td) {
      td = el('td', { 'data-field': field, class: numeric ? 'num' : '' });
      row.append(td);
    }
    if (td.textContent !== text) td.textContent = text;
    return td;
  }

  function renderServices(c, views, live) {
    const seen = new Set();
    for (const view of views) {
      seen.add(view.service);
      let row = c.rows.get(view.service);
      if (!row) {
        row = el('tr', { 'data-service': view.service });
        const th = el('th', { scope: 'row' }, view.label);
        row.append(th);
        c.rows.set(view.service, row);
      }
      const fmt = view.bytes ? (n) => fmtBytes(n) : fmtCount;
      row.classList.toggle('timeout', live && view.status === 'timeout');
      cell(row, 'instances', `${view.instancesAnswered}/${view.instancesExpected}`);
      cell(row, 'rate', live ? (view.bytes ? fmtBytes(view.rate) + '/s' : fmtRate(view.rate) + ' ' + view.unit) : '–');
      cell(row, 'total', fmt(view.total));
      cell(row, 'p50', fmtMs(view.p50));
      cell(row, 'p99', fmtMs(view.p99));
      const errors = cell(row, 'errors', live ? fmtRate(view.errorsRate) : '–');
      errors.classList.toggle('err', live && view.errorsRate > 0);
      errors.title = fmtCount(view.errorsTotal) + ' errors in all';
    }
    for (const [service, row] of c.rows) {
      if (!seen.has(service)) { row.remove(); c.rows.delete(service); }
    }
    const ordered = [...c.rows.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
    ordered.forEach(([, row], i) => { if (c.body.children[i] !== row) c.body.insertBefore(row, c.body.children[i] || null); });
    if (c.rows.size === 0 && !c.body.querySelector('.empty')) {
      c.body.append(el('tr', { class: 'empty' }, ''));
      c.body.lastChild.append(el('td', { colspan: '7' }, 'no data since this page opened'));
    } else if (c.rows.size > 0) {
      c.body.querySelectorAll('.empty').forEach((row) => row.remove());
    }

    const instances = views.flatMap((view) => view.instances.map((instance) => ({ view, instance })));
    c.summary.textContent = `instances (${instances.length})`;
    const body = el('tbody');
    for (const { view, instance } of instances) {
      const row = el('tr', { 'data-instance': instance.name });
      row.append(el('th', { scope: 'row' }, instance.name));
      cell(row, 'rate', live ? (view.bytes ? fmtBytes(instance.rate) + '/s' : fmtRate(instance.rate)) : '–');
      cell(row, 'total', view.bytes ? fmtBytes(instance.total) : fmtCount(instance.total));
      cell(row, 'p50', fmtMs(instance.p50));
      cell(row, 'p99', fmtMs(instance.p99));
      cell(row, 'errors', fmtCount(instance.errorsTotal));
      body.append(row);
    }
    c.instances.replaceWith(body);
    c.instances = body;
  }

  const rank = (service) => (ORDER.indexOf(service) + ORDER.length + 1) % (ORDER.length + 1);

  function renderNodes(snapshot, views) {
    const container = $('#nodes');
    const order = [];
    for (const entry of snapshot.roster) {
      const c = card(entry.node);
      order.push(c.root);
      if (entry.state === 'gone') {
        c.root.classList.add('gone');
        c.root.classList.remove('partial');
        c.root.dataset.state = 'gone';
        c.state.textContent = 'gone since ' + clock(entry.since_ms);
        c.note.textContent = `${entry.reason}; last seen ${clock(entry.last_seen_ms)}`;
        const known = lastKnown.get(entry.node);
        renderServices(c, known ? known.views : [], false);
      } else {
        const nodeViews = views.get(entry.node) || [];
        const partial = nodeViews.some((view) => view.status === 'timeout');
        c.root.classList.remove('gone');
        c.root.classList.toggle('partial', partial);
        c.root.dataset.state = partial ? 'partial' : 'up';
        c.state.textContent = partial ? 'up, some instances silent' : 'up';
        c.note.textContent = 'up since ' + clock(entry.since_ms) + (entry.node === snapshot.gathered_by ? ' · serves this page' : '');
        renderServices(c, nodeViews, true);
      }
    }
    // up nodes first, then gone ones, each by name (the roster's order)
    order.sort((a, b) => (a.dataset.state === 'gone') - (b.dataset.state === 'gone'));
    order.forEach((root, i) => { if (container.children[i] !== root) container.insertBefore(root, container.children[i] || null); });
    for (const [name, c] of cards) {
      if (!snapshot.roster.some((entry) => entry.node === name)) { c.root.remove(); cards.delete(name); }
    }
  }

  function renderRooms(snapshot) {
    const rooms = new Map();
    for (const node of snapshot.stats.nodes) {
      const chat = node.services.chat;
      for (const instance of (chat && chat.instances) || []) {
        for (const [room, members] of Object.entries((instance.details && instance.details.rooms) || {})) {
          const entry = rooms.get(room) || { members: 0, nodes: new Set() };
          entry.members += members;
          entry.nodes.add(node.node);
          rooms.set(room, entry);
        }
      }
    }
    const body = el('tbody');
    const sorted = [...rooms.entries()].sort((a, b) => b[1].members - a[1].members || a[0].localeCompare(b[0]));
    for (const [room, entry] of sorted) {
      const row = el('tr', { 'data-room': room });
      row.append(el('th', { scope: 'row' }, room));
      cell(row, 'members', fmtCount(entry.members));
      cell(row, 'nodes', [...entry.nodes].sort().join(', '), false);
      body.append(row);
    }
    if (sorted.length === 0) {
      const row = el('tr', { class: 'empty' });
      row.append(el('td', { colspan: '3' }, 'no room has members'));
      body.append(row);
    }
    $('#rooms').tBodies[0].replaceWith(body);
    return sorted.length;
  }

  function sumViews(views, service, pick) {
    let sum = null;
    for (const nodeViews of views.values()) {
      for (const view of nodeViews) {
        if (view.service === service && pick(view) != null) sum = (sum ?? 0) + pick(view);
      }
    }
    return sum;
  }

  function maxViews(views, services, pick) {
    let max = null;
    for (const nodeViews of views.values()) {
      for (const view of nodeViews) {
        if (services.includes(view.service) && pick(view) != null) max = Math.max(max ?? 0, pick(view));
      }
    }
    return max;
  }

  /** Cache hits over hits and misses in the last HIT_RATIO_WINDOW snapshots, counted per node that was in both. */
  function dnsHitRatio() {
    if (recent.length < 2) return null;
    const oldest = nodesByName(recent[0]);
    let hits = 0;
    let lookups = 0;
    for (const [name, node] of nodesByName(recent[recent.length - 1])) {
      const now = node.services.dns && node.services.dns.counters;
      const then = oldest.get(name) && oldest.get(name).services.dns && oldest.get(name).services.dns.counters;
      if (now && then) {
        const h = delta(now.cache_hits, then.cache_hits);
        hits += h;
        lookups += h + delta(now.cache_misses, then.cache_misses);
      }
    }
    return lookups > 0 ? hits / lookups : null;
  }

  function renderSummary(snapshot, views, roomCount) {
    const up = snapshot.roster.filter((entry) => entry.state === 'up').length;
    const gone = snapshot.roster.length - up;
    setSummary('nodes', `${up} up`);
    setSummary('nodes-note', gone > 0 ? `${gone} gone` : `all ${snapshot.stats.nodes_expected} answering`);

    const httpRate = (sumViews(views, 'https', (v) => v.rate) ?? 0) + (sumViews(views, 'http', (v) => v.rate) ?? 0);
    setSummary('http-rate', previous ? fmtRate(httpRate) : '–');
    const p50 = maxViews(views, ['https', 'http'], (v) => v.p50);
    const p99 = maxViews(views, ['https', 'http'], (v) => v.p99);
    setSummary('http-latency', `p50 ${fmtMs(p50)} ms · p99 ${fmtMs(p99)} ms`);

    setSummary('chat-rate', fmtRate(sumViews(views, 'chat', (v) => v.rate)));
    const chatOpen = sumTotals(snapshot, 'chat', 'open');
    setSummary('chat-note', `${fmtCount(chatOpen)} connected · ${roomCount} room${roomCount === 1 ? '' : 's'}`);

    setSummary('udp-rate', fmtRate(sumViews(views, 'udp', (v) => v.rate)));
    const tcpRate = sumViews(views, 'tcp', (v) => v.rate);
    setSummary('tcp-note', `TCP echo ${fmtBytes(tcpRate)}/s · ${fmtCount(sumTotals(snapshot, 'tcp', 'open'))} open`);

    const ratio = dnsHitRatio();
    setSummary('dns-hit-ratio', fmtPercent(ratio));
    const dnsHits = sumTotals(snapshot, 'dns', 'cache_hits');
    const dnsMisses = sumTotals(snapshot, 'dns', 'cache_misses');
    const dnsRate = sumViews(views, 'dns', (v) => v.rate);
    setSummary('dns-note', `${fmtRate(dnsRate)} req/s · ${fmtPercent(dnsHits + dnsMisses > 0 ? dnsHits / (dnsHits + dnsMisses) : null)} since start`);

    const open = sumTotals(snapshot, 'fetch', 'connections_open');
    const inFlight = sumTotals(snapshot, 'fetch', 'in_flight');
    const reused = sumTotals(snapshot, 'fetch', 'requests_on_reused_connections');
    const requests = sumTotals(snapshot, 'fetch', 'requests');
    const perOrigin = fetchPoolBound(snapshot);
    setSummary('fetch-pool', snapshot.stats.totals.fetch ? `${fmtCount(open)} open` : '–');
    setSummary('fetch-note', snapshot.stats.totals.fetch
      ? `${fmtCount(inFlight)} in flight · ${fmtPercent(requests > 0 ? reused / requests : null)} reused`
        + (perOrigin ? ` · ≤ ${perOrigin}/origin/instance` : '')
      : 'no fetch service');

    let errorsRate = null;
    let worst = null;
    for (const nodeViews of views.values()) {
      for (const view of nodeViews) {
        if (view.errorsRate != null) {
          errorsRate = (errorsRate ?? 0) + view.errorsRate;
          if (view.errorsRate > 0 && (!worst || view.errorsRate > worst.errorsRate)) worst = view;
        }
      }
    }
    setSummary('errors-rate', fmtRate(errorsRate));
    const errorsNode = $('[data-summary="errors-rate"]');
    errorsNode.classList.toggle('err', errorsRate > 0);
    setSummary('errors-note', worst ? `most from ${worst.label}` : 'none in the last second');
    return { httpRate, p50, p99, dnsRate };
  }

  function sumTotals(snapshot, service, counter) {
    const total = snapshot.stats.totals[service];
    return total ? total.counters[counter] || 0 : 0;
  }

  function fetchPoolBound(snapshot) {
    for (const node of snapshot.stats.nodes) {
      for (const instance of (node.services.fetch && node.services.fetch.instances) || []) {
        if (instance.details && instance.details.max_connections_per_origin) return instance.details.max_connections_per_origin;
      }
    }
    return null;
  }

  // ---- charts ---------------------------------------------------------------------------------------------
  const RATE_SERIES = [
    ['HTTP req/s', '#0072b2'], ['chat msg/s', '#d55e00'], ['UDP datagrams/s', '#009e73'], ['DNS req/s', '#b5478f'], ['fetch req/s', '#8a6d00'],
  ];
  const LATENCY_SERIES = [
    ['HTTP p50', '#2b8cc4'], ['HTTP p99', '#0072b2'], ['DNS p99', '#b5478f'], ['fetch p99', '#8a6d00'],
  ];

  function makeChart(target, series, data) {
    const width = Math.max(280, target.clientWidth);
    const opts = {
      width,
      height: 170,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        { stroke: '#4a5563', grid: { stroke: '#e3e7ec' }, ticks: { stroke: '#d5dbe3' } },
        { stroke: '#4a5563', grid: { stroke: '#e3e7ec' }, ticks: { stroke: '#d5dbe3' }, size: 52 },
      ],
      series: [{}, ...series.map(([label, stroke]) => ({ label, stroke, width: 2, points: { show: false } }))],
    };
    return new uPlot(opts, data, target);
  }

  function ensureCharts() {
    if (charts || typeof uPlot === 'undefined') return;
    const rates = $('#rates-chart');
    const latency = $('#latency-chart');
    charts = {
      rates: makeChart(rates, RATE_SERIES, [chartData.x, ...chartData.rates]),
      latency: makeChart(latency, LATENCY_SERIES, [chartData.x, ...chartData.latency]),
    };
    const resize = () => {
      charts.rates.setSize({ width: Math.max(280, rates.clientWidth), height: 170 });
      charts.latency.setSize({ width: Math.max(280, latency.clientWidth), height: 170 });
    };
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver(resize).observe($('.charts'));
    } else {
      window.addEventListener('resize', resize);
    }
  }

  function pushChart(snapshot, views, summary) {
    if (!previous) return; // rates need two snapshots
    const push = (array, value) => { array.push(value); if (array.length > HISTORY) array.shift(); };
    push(chartData.x, snapshot.at_ms / 1000);
    push(chartData.rates[0], summary.httpRate);
    push(chartData.rates[1], sumViews(views, 'chat', (v) => v.rate) ?? 0);
    push(chartData.rates[2], sumViews(views, 'udp', (v) => v.rate) ?? 0);
    push(chartData.rates[3], summary.dnsRate ?? 0);
    push(chartData.rates[4], sumViews(views, 'fetch', (v) => v.rate) ?? 0);
    push(chartData.latency[0], summary.p50);
    push(chartData.latency[1], summary.p99);
    push(chartData.latency[2], maxViews(views, ['dns'], (v) => v.p99));
    push(chartData.latency[3], maxViews(views, ['fetch'], (v) => v.p99));
    ensureCharts();
    if (charts) {
      charts.rates.setData([chartData.x, ...chartData.rates]);
      charts.latency.setData([chartData.x, ...chartData.latency]);
    }
  }

  // ---- one snapshot ---------------------------------------------------------------------------------------
  function onSnapshot(snapshot) {
    const seconds = previous ? (snapshot.at_ms - previous.at_ms) / 1000 : 0;
    const before = nodesByName(previous);
    const views = new Map();
    for (const node of snapshot.stats.nodes) {
      const old = before.get(node.node);
      const nodeViews = Object.entries(node.services)
        .map(([service, now]) => serviceView(service, now, old && old.services[service], seconds));
      views.set(node.node, nodeViews);
      lastKnown.set(node.node, { views: nodeViews, at: snapshot.at_ms });
    }
    recent.push(snapshot);
    if (recent.length > HIT_RATIO_WINDOW + 1) recent.shift();

    renderNodes(snapshot, views);
    const roomCount = renderRooms(snapshot);
    const summary = renderSummary(snapshot, views, roomCount);
    pushChart(snapshot, views, summary);

    const problems = $('#problems');
    const text = (snapshot.stats.problems || []).join(' · ');
    problems.hidden = text === '';
    problems.textContent = text;
    $('#updated').textContent = `updated ${clock(snapshot.at_ms)} · gathered by ${snapshot.gathered_by} in `
      + `${snapshot.stats.elapsed_ms} ms · latency over the last ${snapshot.window_s} s`;
    previous = snapshot;
    updates++;
    $('#dashboard').dataset.updates = String(updates);
  }

  // ---- the stream -----------------------------------------------------------------------------------------
  function connect() {
    const source = new EventSource('events');
    source.onopen = () => setPill('live', 'live');
    source.onmessage = (event) => {
      lastMessageAt = Date.now();
      setPill('live', 'live');
      try {
        onSnapshot(JSON.parse(event.data));
      } catch (error) {
        console.error('vxnet dashboard: cannot show a snapshot', error);
      }
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) { // refused (e.g. 429): the browser does not retry by itself
        setPill('down', 'disconnected; retrying in 5 s');
        setTimeout(connect, 5000);
      } else {
        setPill('down', 'reconnecting…');
      }
    };
  }

  setInterval(() => {
    if (lastMessageAt > 0 && Date.now() - lastMessageAt > STALE_MS && $('#connection').classList.contains('pill-live')) {
      setPill('wait', `no snapshot for ${Math.round((Date.now() - lastMessageAt) / 1000)} s`);
    }
  }, 1000);

  connect();
})();
