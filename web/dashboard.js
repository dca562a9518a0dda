/* truce's operations room: the agreement on a map with its events, live;
 * key figures and a timeline; filters kept in the URL's fragment; an
 * event's panel; the review queue of the token's party.
 *
 * Every piece of data comes from truce serve's API with the token of this
 * tab (sessionStorage, sent as Authorization: Bearer, never in a URL).
 * Every text from data is put in the page with textContent (or as a
 * text-only element given to Leaflet), never as HTML. */
'use strict';

(function () {
  const TOKEN_KEY = 'truce.token';
  // Up to this many events in view are drawn one marker each (clustered);
  // more are drawn as the server's grid of counts.
  const MARKER_LIMIT = 2000;
  const PAGE = 1000;
  const QUEUE_PAGE = 50;
  // GET /api/v1/stats judges every event that passes again (about 85 s
  // for a million, docs/performance.md): past this many the figures come
  // from the grid's counts and the full ones only on request.
  const STATS_AUTO_LIMIT = 200000;
  const VERDICT_COLOUR = { violation: '#c62828', possible: '#ef6c00', none: '#607d8b' };
  const STATUS_RING = {
    submitted: { color: '#ffffff', weight: 1.5, dashArray: null },
    confirmed: { color: '#1565c0', weight: 3, dashArray: null },
    jointly_verified: { color: '#2e7d32', weight: 3.5, dashArray: null },
    disputed: { color: '#6a1b9a', weight: 3, dashArray: '3 2' },
    rejected: { color: '#000000', weight: 3, dashArray: '1 2' }
  };
  const FILTER_KEYS = ['from', 'to', 'violation', 'status', 'corridor', 'km_min', 'km_max'];

  const $ = function (id) { return document.getElementById(id); };

  // ---- state ----
  let me = null;            // GET /api/v1/me
  let agreement = null;     // GET /api/v1/agreement
  let map = null;
  let clusters = null;      // markers of events (markercluster)
  let cells = null;         // the grid's cells
  let markers = new Map();  // event id -> circle marker
  let mode = 'none';        // 'markers' | 'grid'
  let loadedBox = null;     // the box the markers were loaded for (L.LatLngBounds)
  let viewSeq = 0;          // the latest view request; older answers are dropped
  let stream = null;
  let streamGen = 0;
  let queueNext = null;
  let filters = {};
  let statsTimer = null;
  let statsAuto = null;     // null: not known yet; whether stats load by themselves
  let gridTimer = null;

  // ---- the API ----

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
      this.status = status;
      this.field = problem && problem.field;
    }
  }

  // fetch `path` (same origin) with the token; the parsed answer (JSON,
  // or text for JSON Lines), or an ApiError.
  async function api(path, options) {
    const init = Object.assign({ cache: 'no-store' }, options || {});
    init.headers = Object.assign({ Authorization: 'Bearer ' + token() }, init.headers || {});
    const response = await fetch(path, init);
    const type = response.headers.get('Content-Type') || '';
    if (!response.ok) {
      let problem = null;
      if (type.indexOf('json') >= 0)
        problem = await response.json().catch(function () { return null; });
      if (response.status === 401)
        signOut('The token was refused: ' + ((problem && problem.detail) || 'unauthorized'));
      throw new ApiError(response.status, problem);
    }
    if (type.indexOf('x-ndjson') >= 0)
      return { text: await response.text(), link: response.headers.get('Link') };
    return response.json();
  }

  function jsonLines(text) {
    return text.split('\n').filter(function (l) { return l; }).map(function (l) {
      return JSON.parse(l);
    });
  }

  function nextLink(link) {
    const m = link && /<([^>]*)>;\s*rel="next"/.exec(link);
    return m ? m[1] : null;
  }

  // ---- filters and the URL's fragment ----

  function filterQuery() {
    const q = new URLSearchParams();
    FILTER_KEYS.forEach(function (k) {
      if (filters[k])
        q.set(k, filters[k]);
    });
    return q;
  }

  function withFilters(path, extra) {
    const q = filterQuery();
    Object.keys(extra || {}).forEach(function (k) { q.set(k, extra[k]); });
    const s = q.toString();
    return s ? path + '?' + s : path;
  }

  function readFragment() {
    const q = new URLSearchParams(location.hash.slice(1));
    const f = {};
    FILTER_KEYS.forEach(function (k) {
      if (q.get(k))
        f[k] = q.get(k);
    });
    return { filters: f, lat: parseFloat(q.get('lat')), lon: parseFloat(q.get('lon')),
             z: parseInt(q.get('z'), 10), event: q.get('event') };
  }

  // The fragment that reproduces this view: filters, map view, open event.
  function writeFragment() {
    const q = filterQuery();
    if (map) {
      const c = map.getCenter();
      q.set('lat', c.lat.toFixed(5));
      q.set('lon', c.lng.toFixed(5));
      q.set('z', String(map.getZoom()));
    }
    const open = $('event').dataset.id;
    if (!$('event').hidden && open)
      q.set('event', open);
    const hash = '#' + q.toString();
    if (location.hash !== hash)
      history.replaceState(null, '', hash);
    $('view-link').href = hash;
  }

  function formToFilters() {
    const form = $('filter-form');
    const f = {};
    ['from', 'to', 'corridor', 'km_min', 'km_max'].forEach(function (k) {
      const v = form.elements[k].value.trim();
      if (v)
        f[k] = v;
    });
    ['violation', 'status'].forEach(function (k) {
      const on = Array.from(form.querySelectorAll('input[name=' + k + ']:checked'))
        .map(function (i) { return i.value; });
      if (on.length)
        f[k] = on.join(',');
    });
    return f;
  }

  function filtersToForm() {
    const form = $('filter-form');
    ['from', 'to', 'corridor', 'km_min', 'km_max'].forEach(function (k) {
      form.elements[k].value = filters[k] || '';
    });
    ['violation', 'status'].forEach(function (k) {
      const on = (filters[k] || '').split(',');
      form.querySelectorAll('input[name=' + k + ']').forEach(function (i) {
        i.checked = on.indexOf(i.value) >= 0;
      });
    });
  }

  // ---- small DOM helpers (text only) ----

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className)
      e.className = className;
    if (text !== undefined && text !== null)
      e.textContent = String(text);
    return e;
  }

  function fact(list, term, value) {
    if (value === undefined || value === null || value === '')
      return;
    list.appendChild(el('dt', null, term));
    list.appendChild(el('dd', null, value));
  }

  function clear(node) {
    while (node.firstChild)
      node.removeChild(node.firstChild);
  }

  function fmt(n) {
    return typeof n === 'number' ? n.toLocaleString('en') : (n === null || n === undefined ? '–' : n);
  }

  // ---- sign-in ----

  function showSignIn(message) {
    $('room').hidden = true;
    $('who').hidden = true;
    $('legend').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = message || '';
    $('token').value = '';
    $('token').focus();
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    if (stream)
      stream.close();
    stream = null;
    streamGen++;
    me = null;
    // Nothing of this session stays for the next one to see.
    viewSeq++;
    clear($('queue-list'));
    clear($('figures-list'));
    clear($('timeline'));
    $('event').hidden = true;
    if (map) {
      clusters.clearLayers();
      cells.clearLayers();
    }
    markers = new Map();
    mode = 'none';
    showSignIn(message);
  }

  async function signIn() {
    try {
      me = await api('/api/v1/me');
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn(e.status === 401 ? 'This token is not known (or revoked).' : e.message);
      return;
    }
    $('sign-in').hidden = true;
    $('room').hidden = false;
    $('who').hidden = false;
    $('legend').hidden = false;
    $('who-text').textContent = me.role + (me.party ? ' · ' + me.party : '') +
      (me.name ? ' · ' + me.name : '');
    await openRoom();
  }

  // ---- the map ----

  function makeMap() {
    // No tile layer gives the zoom range: markercluster needs one.
    map = L.map('map', { minZoom: 3, maxZoom: 17 });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('Natural Earth; Who\u2019s On First, GeoNames');
    map.createPane('borders').style.zIndex = 250;
    map.createPane('agreement').style.zIndex = 350;
    clusters = L.markerClusterGroup({ maxClusterRadius: 40, chunkedLoading: true,
                                      showCoverageOnHover: false });
    cells = L.layerGroup();
    clusters.addTo(map);
    cells.addTo(map);
    map.fitBounds([[34.0, 35.0], [37.5, 39.0]]);
    map.on('moveend', function () {
      writeFragment();
      refreshView();
    });
    // The base: country borders, a file served with the page.
    fetch('/assets/borders.geojson').then(function (r) { return r.json(); }).then(function (g) {
      L.geoJSON(g, { pane: 'borders', interactive: false,
                     style: { color: '#5d6d7a', weight: 1.2, fillColor: '#eef0e8', fillOpacity: 1 } })
        .addTo(map);
    }).catch(function () { /* the map works without its base */ });
  }

  function addAgreementLayers(g) {
    const zones = [];
    const routes = [];
    const places = [];
    (g.features || []).forEach(function (f) {
      const role = f.properties && f.properties.role;
      if (role === 'zone')
        zones.push(f);
      else if (role === 'patrol_route')
        routes.push(f);
      else if (role === 'place')
        places.push(f);
    });
    L.geoJSON({ type: 'FeatureCollection', features: zones }, {
      pane: 'agreement', interactive: false,
      style: { color: '#ef6c00', weight: 2, fillColor: '#ffcc80', fillOpacity: 0.15 }
    }).addTo(map);
    L.geoJSON({ type: 'FeatureCollection', features: routes }, {
      pane: 'agreement', interactive: false,
      style: { color: '#1565c0', weight: 3, dashArray: '6 4' }
    }).addTo(map);
    places.forEach(function (f) {
      const c = f.geometry && f.geometry.coordinates;
      if (!c || f.geometry.type !== 'Point')
        return;
      const m = L.circleMarker([c[1], c[0]], { pane: 'agreement', radius: 2.5, color: '#333',
                                               weight: 1, fillOpacity: 1, interactive: false });
      m.bindTooltip(el('span', null, f.properties.name || ''),
                    { permanent: true, direction: 'right', className: 'truce-place', offset: [4, 0] });
      m.addTo(map);
    });
  }

  async function loadAgreement() {
    agreement = await api('/api/v1/agreement');
    $('agreement-title').textContent = agreement.id || '';
    const select = $('filter-form').elements.corridor;
    (agreement.corridors || []).forEach(function (c) {
      const o = el('option', null, c.name ? c.id + ' (' + c.name + ')' : c.id);
      o.value = c.id;
      select.appendChild(o);
    });
    filtersToForm();
    const features = api('/api/v1/agreement?f=geojson').then(addAgreementLayers);
    const corridors = (agreement.corridors || []).map(function (c) {
      return api('/api/v1/corridors/' + encodeURIComponent(c.id)).then(function (f) {
        L.geoJSON(f, { pane: 'agreement', interactive: false,
                       style: { color: '#6a1b9a', weight: 1.5, fillColor: '#ce93d8',
                                fillOpacity: 0.25 } }).addTo(map);
      });
    });
    await Promise.all([features].concat(corridors)).catch(function (e) {
      $('filter-error').textContent = 'The agreement\u2019s map: ' + e.message;
    });
  }

  function eventStyle(e) {
    const ring = STATUS_RING[e.status] || STATUS_RING.submitted;
    return { radius: 6, fillColor: VERDICT_COLOUR[e.violation] || VERDICT_COLOUR.none,
             fillOpacity: 0.9, color: ring.color, weight: ring.weight, dashArray: ring.dashArray,
             className: 'truce-event' };
  }

  function located(e) {
    return typeof e.lon === 'number' && typeof e.lat === 'number';
  }

  function putMarker(e) {
    if (!located(e))
      return;
    let m = markers.get(e.id);
    if (m) {
      m.setStyle(eventStyle(e));
      m.truceEvent = e;
      return;
    }
    m = L.circleMarker([e.lat, e.lon], eventStyle(e));
    m.truceEvent = e;
    m.on('click', function () { showEvent(e.id); });
    markers.set(e.id, m);
    clusters.addLayer(m);
  }

  function niceStep(x) {
    const p = Math.pow(10, Math.floor(Math.log10(x)));
    const f = x / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
  }

  function viewBox() {
    const b = map.getBounds().pad(0.25);
    const west = Math.max(-180, b.getWest());
    const east = Math.min(180, b.getEast());
    const south = Math.max(-90, b.getSouth());
    const north = Math.min(90, b.getNorth());
    const cell = niceStep((east - west) / 24);
    const w = Math.max(-180, Math.floor(west / cell) * cell);
    const s = Math.max(-90, Math.floor(south / cell) * cell);
    return { cell: cell, bbox: [w, s, Math.min(180, east), Math.min(90, north)] };
  }

  function bboxText(b) {
    return b.map(function (x) { return +x.toFixed(6); }).join(',');
  }

  // Count what the view holds; draw it as markers when few, as the
  // server's grid when many.
  async function refreshView() {
    if (!me)
      return;
    const seq = ++viewSeq;
    const v = viewBox();
    const inner = map.getBounds();
    if (mode === 'markers' && loadedBox && loadedBox.contains(inner))
      return;
    let grid;
    try {
      grid = await api(withFilters('/api/v1/grid', { bbox: bboxText(v.bbox), cell: String(v.cell) }));
    } catch (e) {
      $('filter-error').textContent = e.field ? e.field + ': ' + e.message : e.message;
      return;
    }
    if (seq !== viewSeq)
      return;
    if (statsAuto === null) {
      statsAuto = grid.total <= STATS_AUTO_LIMIT;
      if (statsAuto)
        refreshStats();
      else
        gridFigures(grid);
    }
    if (grid.total <= MARKER_LIMIT) {
      const events = [];
      let path = withFilters('/api/v1/events', { bbox: bboxText(v.bbox), limit: String(PAGE),
                                                 f: 'jsonl' });
      while (path) {
        const page = await api(path);
        if (seq !== viewSeq)
          return;
        jsonLines(page.text).forEach(function (e) { events.push(e); });
        path = nextLink(page.link);
      }
      cells.clearLayers();
      clusters.clearLayers();
      markers = new Map();
      events.forEach(putMarker);
      mode = 'markers';
      loadedBox = L.latLngBounds([v.bbox[1], v.bbox[0]], [v.bbox[3], v.bbox[2]]);
    } else {
      clusters.clearLayers();
      markers = new Map();
      loadedBox = null;
      drawCells(grid);
      mode = 'grid';
    }
    document.body.dataset.view = mode;
  }

  function drawCells(grid) {
    cells.clearLayers();
    (grid.features || []).forEach(function (f) {
      const p = f.properties;
      const size = Math.round(22 + 8 * Math.log10(Math.max(1, p.count)));
      const label = el('div', null, p.count >= 10000 ? Math.round(p.count / 1000) + 'k' : p.count);
      const icon = L.divIcon({ html: label, className: 'truce-cell' + (p.violation ? ' has-violation' : ''),
                               iconSize: [size, size] });
      const c = f.geometry.coordinates;
      const m = L.marker([c[1], c[0]], { icon: icon, keyboard: false,
                                         title: p.count + ' events, ' + p.violation + ' violations' });
      m.on('click', function () {
        const b = p.cell;
        map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
      });
      cells.addLayer(m);
    });
  }

  // ---- figures and timeline ----

  async function refreshStats() {
    let s;
    try {
      s = await api(withFilters('/api/v1/stats', { by: 'day' }));
    } catch (e) {
      $('timeline-caption').textContent = 'Figures: ' + e.message;
      return;
    }
    const list = $('figures-list');
    clear(list);
    const sum = s.summary || {};
    [['events', sum.events], ['violations', sum.violations], ['possible', sum.possible],
     ['killed after', sum.fatalities_after],
     ['days since last violation', sum.days_since_last_violation],
     ['rate after / before', sum.rate_ratio]].forEach(function (kv) {
      const d = el('div');
      d.appendChild(el('dt', null, kv[0]));
      d.appendChild(el('dd', null, fmt(kv[1])));
      list.appendChild(d);
    });
    drawTimeline((s.breakdowns && s.breakdowns.day) || [], s.ceasefire_utc);
  }

  // Figures from the grid's counts (of the view first shown), with a
  // button for the full ones.
  function gridFigures(grid) {
    const list = $('figures-list');
    clear(list);
    [['events in view', grid.total], ['violations', grid.violation],
     ['possible', grid.possible]].forEach(function (kv) {
      const d = el('div');
      d.appendChild(el('dt', null, kv[0]));
      d.appendChild(el('dd', null, fmt(kv[1])));
      list.appendChild(d);
    });
    clear($('timeline'));
    $('timeline-caption').textContent = '';
    const b = el('button', null, 'Figures and timeline over all ' + fmt(grid.total) +
      ' events (slow: each is judged again)');
    b.type = 'button';
    b.addEventListener('click', function () {
      b.disabled = true;
      statsAuto = true;
      refreshStats();
    });
    $('timeline-caption').appendChild(b);
  }

  function drawTimeline(days, ceasefire) {
    const svg = $('timeline');
    clear(svg);
    const ns = 'http://www.w3.org/2000/svg';
    if (!days.length) {
      $('timeline-caption').textContent = 'No events.';
      return;
    }
    const t0 = Date.parse(days[0].key + 'T00:00:00Z');
    const t1 = Date.parse(days[days.length - 1].key + 'T00:00:00Z');
    const span = Math.max(1, Math.round((t1 - t0) / 86400000) + 1);
    const max = Math.max.apply(null, days.map(function (d) { return d.events; }));
    const w = 300 / span;
    days.forEach(function (d) {
      const i = Math.round((Date.parse(d.key + 'T00:00:00Z') - t0) / 86400000);
      [['bar-events', d.events], ['bar-violations', d.violations]].forEach(function (b) {
        if (!b[1])
          return;
        const r = document.createElementNS(ns, 'rect');
        const h = 58 * b[1] / max;
        r.setAttribute('class', b[0]);
        r.setAttribute('x', String(i * w));
        r.setAttribute('width', String(Math.max(w * 0.9, 0.5)));
        r.setAttribute('y', String(60 - h));
        r.setAttribute('height', String(h));
        const title = document.createElementNS(ns, 'title');
        title.textContent = d.key + ': ' + d.events + ' events, ' + d.violations + ' violations';
        r.appendChild(title);
        svg.appendChild(r);
      });
    });
    if (ceasefire) {
      const x = 300 * (Date.parse(ceasefire) - t0) / (span * 86400000);
      if (x >= 0 && x <= 300) {
        const line = document.createElementNS(ns, 'line');
        line.setAttribute('class', 'ceasefire');
        line.setAttribute('x1', String(x));
        line.setAttribute('x2', String(x));
        line.setAttribute('y1', '0');
        line.setAttribute('y2', '60');
        svg.appendChild(line);
      }
    }
    $('timeline-caption').textContent = days[0].key + ' to ' + days[days.length - 1].key +
      ' · grey: events, red: violations, dashed: the ceasefire';
  }

  function statsSoon() {
    if (!statsAuto)
      return;
    clearTimeout(statsTimer);
    statsTimer = setTimeout(refreshStats, 2000);
  }

  // ---- the event's panel ----

  async function showEvent(id) {
    let e;
    try {
      e = await api('/api/v1/events/' + encodeURIComponent(id));
    } catch (err) {
      $('queue-error').textContent = id + ': ' + err.message;
      return;
    }
    const panel = $('event');
    panel.dataset.id = e.id;
    $('event-title').textContent = e.id;
    const facts = $('event-facts');
    clear(facts);
    fact(facts, 'verdict', e.violation);
    fact(facts, 'reason', e.reason);
    fact(facts, 'status', e.status + (e.confirmed_by && e.confirmed_by.length
      ? ' (confirmed by ' + e.confirmed_by.join(', ') + ')' : ''));
    fact(facts, 'date', e.local_start || e.start);
    fact(facts, 'phase', e.phase);
    fact(facts, 'place', [e.place, e.admin1, e.country].filter(Boolean).join(', '));
    fact(facts, 'type', [e.event_type, e.sub_event_type].filter(Boolean).join(' / '));
    fact(facts, 'actors', [e.actor1, e.actor2].filter(Boolean).join(' vs '));
    fact(facts, 'fatalities', e.fatalities);
    if (located(e))
      fact(facts, 'location', e.lat.toFixed(5) + ', ' + e.lon.toFixed(5) +
        (e.radius_m ? ' (± ' + fmt(e.radius_m) + ' m)' : ''));
    Object.keys(e.corridors || {}).forEach(function (c) {
      const k = e.corridors[c];
      fact(facts, 'corridor ' + c, (k.position || '') + ', ' +
        (typeof k.distance_m === 'number' ? (k.distance_m / 1000).toFixed(2) + ' km from the road, ' : '') +
        (typeof k.chainage_m === 'number' ? 'km ' + (k.chainage_m / 1000).toFixed(2) + ' along it' : '') +
        (k.side ? ', side ' + k.side : ''));
    });
    Object.keys(e.zones || {}).forEach(function (z) { fact(facts, 'zone ' + z, e.zones[z]); });
    fact(facts, 'rules', (e.rules || []).map(function (r) {
      return r.rule + (r.violation ? ' (' + r.violation + ')' : '');
    }).join('; '));
    fact(facts, 'sources', e.sources);
    fact(facts, 'notes', e.notes);
    fact(facts, 'received', e.received_at);
    fact(facts, 'verdicts', e.verdicts ? e.verdicts.length : null);
    const reviews = $('event-reviews');
    clear(reviews);
    (e.reviews || []).forEach(function (r) {
      reviews.appendChild(el('li', null, r.at + ' · ' + r.role + (r.party ? ' ' + r.party : '') +
        ' · ' + r.action + ' (' + r.from + ' \u2192 ' + r.to + ')' + (r.note ? ': ' + r.note : '')));
    });
    if (!(e.reviews || []).length)
      reviews.appendChild(el('li', null, 'none yet'));
    panel.hidden = false;
    writeFragment();
    showDuplicates(e.id);
  }

  // The stored reports truce dedup's rule links with this one, as links
  // that open their own panel (GET /api/v1/events/{id}/duplicates).
  async function showDuplicates(id) {
    const list = $('event-duplicates');
    clear(list);
    if (!token())
      return; // signed out while the event was fetched: nothing to ask for
    let d;
    try {
      d = await api('/api/v1/events/' + encodeURIComponent(id) + '/duplicates');
    } catch (err) {
      list.appendChild(el('li', 'error', err.message));
      return;
    }
    if ($('event').dataset.id !== id)
      return; // another event's panel opened meanwhile
    (d.likely_duplicates || []).forEach(function (x) {
      const li = el('li');
      const a = el('a', null, x.id);
      a.href = '#event=' + encodeURIComponent(x.id);
      a.addEventListener('click', function (ev) {
        ev.preventDefault();
        showEvent(x.id);
      });
      li.appendChild(a);
      li.appendChild(document.createTextNode(' · score ' + x.score.toFixed(2) + ' · ' + x.reason));
      list.appendChild(li);
    });
    if (!(d.likely_duplicates || []).length)
      list.appendChild(el('li', null, 'none found'));
  }

  // ---- the review queue ----

  function canReview() {
    return me && (me.role === 'party' || me.role === 'admin');
  }

  function queueItem(e) {
    const li = el('li');
    li.dataset.id = e.id;
    const title = el('div', 'title', e.id + ' ');
    title.appendChild(el('span', 'badge v-' + (e.violation || 'none'), e.violation));
    title.addEventListener('click', function () {
      showEvent(e.id);
      if (located(e))
        map.setView([e.lat, e.lon], Math.max(map.getZoom(), 11));
    });
    li.appendChild(title);
    li.appendChild(el('div', 'meta', [(e.local_start || e.start || '').slice(0, 16), e.place,
      e.event_type, 'status: ' + e.status].filter(Boolean).join(' · ')));
    if (canReview()) {
      const actions = el('div', 'actions');
      const confirm = el('button', null, 'Confirm');
      confirm.type = 'button';
      confirm.dataset.action = 'confirm';
      const dispute = el('button', null, 'Dispute');
      dispute.type = 'button';
      dispute.dataset.action = 'dispute';
      const note = el('input');
      note.type = 'text';
      note.placeholder = 'why (needed to dispute)';
      note.maxLength = 10000;
      note.setAttribute('aria-label', 'note');
      confirm.addEventListener('click', function () { review(li, 'confirm', note.value); });
      dispute.addEventListener('click', function () {
        if (!note.value.trim()) {
          note.focus();
          li.querySelector('.meta').textContent = 'A dispute needs a note.';
          return;
        }
        review(li, 'dispute', note.value);
      });
      actions.appendChild(confirm);
      actions.appendChild(dispute);
      actions.appendChild(note);
      li.appendChild(actions);
    }
    return li;
  }

  function queueHas(id) {
    return !!$('queue-list').querySelector('li[data-id="' + CSS.escape(id) + '"]');
  }

  function queueRemove(id) {
    const li = $('queue-list').querySelector('li[data-id="' + CSS.escape(id) + '"]');
    if (li)
      li.remove();
  }

  async function review(li, action, note) {
    const body = { action: action };
    if (note && note.trim())
      body.note = note.trim();
    if (me.role === 'admin')
      body.party = $('queue-party').value;
    li.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
    try {
      const answer = await api('/api/v1/events/' + encodeURIComponent(li.dataset.id) + '/reviews', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
      });
      afterReview(li.dataset.id, answer.status);
      $('queue-error').textContent = '';
    } catch (e) {
      $('queue-error').textContent = li.dataset.id + ': ' + e.message;
      li.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
    }
  }

  function afterReview(id, status) {
    const m = markers.get(id);
    if (m) {
      m.truceEvent.status = status;
      m.setStyle(eventStyle(m.truceEvent));
    }
    if (me.party || status === 'jointly_verified' || status === 'rejected')
      queueRemove(id);
    if (!$('event').hidden && $('event').dataset.id === id)
      showEvent(id);
    statsSoon();
  }

  async function refreshQueue(more) {
    const list = $('queue-list');
    const path = more ? queueNext : withFilters('/api/v1/queue', { limit: String(QUEUE_PAGE), f: 'jsonl' });
    if (!path)
      return;
    let page;
    try {
      page = await api(path);
    } catch (e) {
      $('queue-error').textContent = e.message;
      return;
    }
    if (!more)
      clear(list);
    jsonLines(page.text).forEach(function (e) {
      if (!queueHas(e.id))
        list.appendChild(queueItem(e));
    });
    queueNext = nextLink(page.link);
    $('queue-more').hidden = !queueNext;
  }

  // ---- live ----

  function setLive(on) {
    $('live').className = 'live ' + (on ? 'on' : 'off');
  }

  // A change to an event (the stream's `created`, `verdict`, `review`):
  // the event as GET /api/v1/events?f=jsonl gives it now.
  async function onChange(type, data) {
    let e;
    try {
      e = JSON.parse(data);
    } catch (err) {
      return;
    }
    if (mode === 'markers')
      putMarker(e);
    else {
      clearTimeout(gridTimer);
      gridTimer = setTimeout(function () { mode = 'none'; refreshView(); }, 1500);
    }
    const open = ['submitted', 'confirmed', 'disputed'].indexOf(e.status) >= 0;
    if (type === 'created' && open && !queueHas(e.id))
      $('queue-list').insertBefore(queueItem(e), $('queue-list').firstChild);
    else if (type !== 'created' && !open)
      queueRemove(e.id);
    else if (type === 'review' && me.party && queueHas(e.id)) {
      // Waiting for this party only while it has no position of its own
      // (and for this sign-in only: the token may be signed out meanwhile).
      const party = me.party;
      const full = await api('/api/v1/events/' + encodeURIComponent(e.id)).catch(function () { return null; });
      if (full && me && me.party === party && (full.reviews || []).some(function (r) {
        return r.party === party && (r.action === 'confirm' || r.action === 'dispute');
      }))
        queueRemove(e.id);
    }
    if (!me)
      return;
    if (!$('event').hidden && $('event').dataset.id === e.id)
      showEvent(e.id);
    statsSoon();
  }

  function startStream() {
    if (stream)
      stream.close();
    const gen = ++streamGen;
    stream = window.truceStream({
      url: function () { return withFilters('/api/v1/stream'); },
      token: token,
      onmessage: function (type, data) {
        if (gen === streamGen)
          onChange(type, data);
      },
      onstate: function (state) {
        if (gen !== streamGen)
          return;
        setLive(state === 'open');
        if (state === 'unauthorized')
          signOut('The token was refused.');
      }
    });
  }

  // ---- putting it together ----

  function reloadData() {
    mode = 'none';
    loadedBox = null;
    statsAuto = null; // the first grid says whether stats load by themselves
    startStream();
    refreshView();
    refreshQueue(false);
  }

  async function openRoom() {
    if (me.role === 'viewer' || me.role === 'reporter')
      $('queue-title').textContent = me.role === 'viewer' ? 'Open reports (read only)' : 'My open reports';
    else if (me.party)
      $('queue-title').textContent = 'Waiting for ' + me.party;
    if (me.role === 'admin') {
      $('queue-title').textContent = 'Open reports';
      const select = $('queue-party');
      clear(select);
      (me.parties || []).forEach(function (p) {
        const o = el('option', null, p);
        o.value = p;
        select.appendChild(o);
      });
      $('queue-as').hidden = false;
    }
    if (!map)
      makeMap();
    const frag = readFragment();
    filters = frag.filters;
    if (!isNaN(frag.lat) && !isNaN(frag.lon) && !isNaN(frag.z))
      map.setView([frag.lat, frag.lon], frag.z, { animate: false });
    await loadAgreement();
    reloadData();
    if (frag.event)
      showEvent(frag.event);
    writeFragment();
  }

  function wire() {
    $('sign-in-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      const t = $('token').value.trim();
      if (!t)
        return;
      sessionStorage.setItem(TOKEN_KEY, t);
      signIn();
    });
    $('sign-out').addEventListener('click', function () { signOut(''); });
    $('filter-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      filters = formToFilters();
      $('filter-error').textContent = '';
      writeFragment();
      reloadData();
    });
    $('filter-clear').addEventListener('click', function () {
      filters = {};
      filtersToForm();
      writeFragment();
      reloadData();
    });
    $('event-close').addEventListener('click', function () {
      $('event').hidden = true;
      writeFragment();
    });
    $('queue-more').addEventListener('click', function () { refreshQueue(true); });
    $('view-link').addEventListener('click', function (ev) {
      ev.preventDefault();
      writeFragment();
      if (navigator.clipboard)
        navigator.clipboard.writeText(location.href).catch(function () {});
    });
    window.addEventListener('hashchange', function () {
      if (!me)
        return;
      const frag = readFragment();
      filters = frag.filters;
      filtersToForm();
      if (!isNaN(frag.lat) && !isNaN(frag.lon) && !isNaN(frag.z))
        map.setView([frag.lat, frag.lon], frag.z);
      reloadData();
      if (frag.event)
        showEvent(frag.event);
    });
  }

  wire();
  if (token())
    signIn();
  else
    showSignIn('');
})();
