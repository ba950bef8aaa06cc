/*
 * Squad Planner dashboard: plain DOM, no framework. Every call to the API goes through the typed
 * client `@squad/client` (bundled into vendor/squad-client.js by `npm run build:dashboard`).
 *
 * Two modes, chosen by the date controls:
 * - live (asOf and knownAt empty): follows GET /v1/clubs/{club}/updates (Server-Sent Events)
 *   through the client's `liveUpdates()`. The first message is a snapshot of the three club
 *   documents; every update carries only the documents that changed, and what changed in them
 *   is highlighted for a few seconds. The client reconnects by itself with Last-Event-ID, so the
 *   server resumes where the stream broke.
 * - time travel (either date set): the three REST documents for those clocks, no stream.
 *
 * Every piece of text from the API goes into the page through text nodes or attribute values
 * (see h()), never through innerHTML, so a report cannot inject markup.
 *
 * Access: when the service needs a key to read (READ_API_KEYS), its 401 makes the page ask for
 * one; the key is kept in localStorage and sent as a Bearer header on every request and stream
 * (the client streams over fetch, so it can send headers, unlike EventSource). Without keys
 * nothing is asked.
 */
import { createSquadClient, StreamRefusedError } from './vendor/squad-client.js';

(() => {
  /** How long an item that just changed keeps its highlight. */
  const HIGHLIGHT_MS = 6000;
  const DOCUMENTS = ['squad-depth', 'targets', 'outgoing'];
  /** Where the API key the user typed is kept (this browser only). */
  const KEY_STORAGE = 'squad-planner.api-key';

  const POSITION_NAMES = {
    GK: 'Goalkeeper',
    RB: 'Right-back',
    CB: 'Centre-back',
    LB: 'Left-back',
    DM: 'Defensive midfielder',
    CM: 'Central midfielder',
    AM: 'Attacking midfielder',
    RW: 'Right winger',
    LW: 'Left winger',
    ST: 'Striker',
  };
  const STATUS_LABELS = {
    available: 'Available',
    injured: 'Injured',
    'away-on-loan': 'Away on loan',
    'on-loan-here': 'On loan here',
  };

  const find = (testId) => document.querySelector(`[data-testid="${testId}"]`);
  const els = {
    form: find('controls'),
    club: find('club-select'),
    clubSearch: find('club-search'),
    clubMatches: find('club-matches'),
    asOf: find('as-of'),
    knownAt: find('known-at'),
    backToLive: find('back-to-live'),
    live: find('live-indicator'),
    context: find('context'),
    error: find('error'),
    main: find('dashboard'),
    board: find('squad-board'),
    boardMeta: find('board-meta'),
    manager: find('board-manager'),
    targets: find('targets'),
    targetsMeta: find('targets-meta'),
    outgoing: find('outgoing'),
    outgoingMeta: find('outgoing-meta'),
    keyForm: find('key-form'),
    keyInput: find('api-key'),
    keyReason: find('key-reason'),
  };

  const state = {
    club: '',
    asOf: '',
    knownAt: '',
    /** The three documents on show, by model name; null while none is loaded. */
    docs: null,
    /** The club document (GET /v1/clubs/{club}) for the board's day: its manager; null when none. */
    clubDoc: null,
    /** Stops the live stream in live mode (an AbortController), null when none is open. */
    stream: null,
    /** Bumped on every reload, so a late answer for an earlier choice is dropped. */
    generation: 0,
    /** data-key → time its highlight ends. */
    highlights: new Map(),
    highlightTimer: undefined,
    /** The API key sent with every request, '' when none (the service may not need one). */
    apiKey: readStoredKey(),
  };
  /** The typed client, made again whenever the key changes. */
  let client = clientFor(state.apiKey);

  function clientFor(apiKey) {
    return createSquadClient({ baseUrl: location.origin, ...(apiKey ? { apiKey } : {}) });
  }

  function readStoredKey() {
    try {
      return localStorage.getItem(KEY_STORAGE) || '';
    } catch {
      return ''; // storage disabled: the key lasts as long as the page
    }
  }

  function storeKey(key) {
    state.apiKey = key;
    client = clientFor(key);
    try {
      if (key) localStorage.setItem(KEY_STORAGE, key);
      else localStorage.removeItem(KEY_STORAGE);
    } catch {
      // storage disabled: keep it in memory only
    }
  }

  // ------------------------------------------------------------------ DOM helpers

  /** Builds an element; children are nodes or text (strings become text nodes, never markup). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') el.className = value;
      else el.setAttribute(name, String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false || child === '') continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  /** "atletico-madrid" → "Atletico Madrid": the API only knows clubs by slug. */
  const clubName = (slug) =>
    slug
      ? slug
          .split('-')
          .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
          .join(' ')
      : '';
  /** "TalksRefused" → "Talks refused". */
  const humanType = (type) =>
    String(type)
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .replace(/^./, (c) => c.toUpperCase())
      .replace(/ ([A-Z])/g, (_, c) => ` ${c.toLowerCase()}`);
  const humanStage = (stage) => String(stage).replace(/-/g, ' ');
  const euros = (value) =>
    new Intl.NumberFormat('en', {
      style: 'currency',
      currency: 'EUR',
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(value);
  const playerName = (entry) => entry.name || entry.player;
  const sourceName = (source) => (typeof source === 'string' ? source : source && source.name) || 'unknown source';
  const reportDate = (ref) => (ref.publishedOn ? `${ref.publishedOnApprox ? '~' : ''}${ref.publishedOn}` : 'undated');

  /** Items (text or nodes) separated by commas. */
  const joined = (items) => items.map((item, i) => (i ? [', ', item] : item));
  const badge = (kind, value, text, extra = {}) => h('span', { class: `badge ${kind}-${value}`, ...extra }, text);
  /**
   * The flag of a fact that is an old report, not news (`stale: true` on an injury, a loan, a
   * pursuit): a visible "stale" badge with the day of its latest news; `what` names the fact
   * for screen readers and in the tooltip.
   */
  const staleBadge = (what, news, testId) => {
    if (!news || news.stale !== true) return null;
    const since = news.lastNewsOn ? `${news.lastNewsOnApprox ? '~' : ''}${news.lastNewsOn}` : 'unknown';
    return h(
      'span',
      {
        class: 'badge stale',
        'data-testid': testId,
        'data-last-news': news.lastNewsOn,
        title: `${what}: an old report, not news — no news since ${since}`,
      },
      h('span', { class: 'visually-hidden' }, `${what}: `),
      'stale',
      h('span', { class: 'stale-since' }, ` · no news since ${since}`),
    );
  };

  // ------------------------------------------------------------------ state and URL

  const isLive = () => !state.asOf && !state.knownAt;
  /** A real calendar day written YYYY-MM-DD, or '' (what a date input accepts). */
  const validDate = (value) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value || '')) return '';
    const day = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value ? value : '';
  };

  /** Keeps ?club=&asOf=&knownAt= in the address bar, so a view can be bookmarked or shared. */
  function syncUrl() {
    const params = new URLSearchParams();
    if (state.club) params.set('club', state.club);
    if (state.asOf) params.set('asOf', state.asOf);
    if (state.knownAt) params.set('knownAt', state.knownAt);
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
  }

  function setLiveIndicator(mode, text) {
    els.live.dataset.state = mode;
    els.live.querySelector('.live-label').textContent = text;
  }

  function setBusy(busy) {
    els.main.setAttribute('aria-busy', String(busy));
  }

  // ------------------------------------------------------------------ errors

  /** An RFC 9457 problem from the API, or a network failure in the same shape. */
  class Problem extends Error {
    constructor(body, status) {
      super((body && body.detail) || `Request failed (${status})`);
      this.title = (body && body.title) || 'Error';
      this.status = status;
      this.errors = (body && Array.isArray(body.errors) && body.errors) || [];
    }
  }

  /** A GET through the typed client: its document, or a Problem (the API's, or a network failure). */
  async function read(path, params) {
    let answer;
    try {
      answer = await client.api.GET(path, { params });
    } catch {
      throw new Problem({ title: 'Network error', detail: 'The API could not be reached. Is the server running?' }, 0);
    }
    if (answer.error !== undefined || !answer.response.ok) throw new Problem(answer.error, answer.response.status);
    return answer.data;
  }

  /** The API refused the request for want of a (valid) key: ask for one; false for any other problem. */
  function askForKeyIf(problem) {
    if (!problem || problem.status !== 401) return false;
    closeStream();
    const hadKey = Boolean(state.apiKey);
    storeKey('');
    els.keyReason.textContent = hadKey
      ? 'That API key was refused; enter another.'
      : 'This service needs an API key to read.';
    els.keyForm.hidden = false;
    els.keyInput.value = '';
    els.keyInput.focus();
    state.docs = null;
    setBusy(false);
    setLiveIndicator('offline', 'Needs a key');
    render();
    return true;
  }

  function showError(problem, prefix) {
    const errors = problem.errors || [];
    const parts = [
      h('strong', {}, prefix || problem.title || 'Error'),
      ' ',
      h('span', { 'data-testid': 'error-detail' }, problem.message),
    ];
    if (errors.length)
      parts.push(
        h(
          'ul',
          {},
          errors.map((e) => h('li', {}, `${e.field}: ${e.reason}`)),
        ),
      );
    els.error.replaceChildren(...parts);
    els.error.hidden = false;
  }

  function clearError() {
    els.error.hidden = true;
    els.error.replaceChildren();
  }

  // ------------------------------------------------------------------ loading

  function closeStream() {
    if (state.stream) state.stream.abort();
    state.stream = null;
  }

  /** Loads what the controls ask for: the live stream, or the REST documents for the clocks. */
  function reload({ keepDocs } = { keepDocs: true }) {
    syncUrl();
    closeStream();
    clearError();
    const generation = ++state.generation;
    if (!keepDocs) {
      state.docs = null;
      state.clubDoc = null;
      clearHighlights();
    }
    if (!state.club) {
      setBusy(false);
      render();
      return;
    }
    setBusy(true);
    render();
    if (isLive()) openStream(generation);
    else void fetchDocuments(generation);
  }

  function openStream(generation) {
    setLiveIndicator('connecting', 'Connecting…');
    const stream = new AbortController();
    state.stream = stream;
    const current = () => state.stream === stream && state.generation === generation;
    const messages = client.liveUpdates(
      { club: state.club },
      {
        signal: stream.signal,
        onStatus: (status) => {
          if (!current()) return;
          // dropped (or the service starting, catching up): the client retries by itself and
          // resumes after the last id it received
          if (status === 'reconnecting') setLiveIndicator('reconnecting', 'Reconnecting…');
          else if (state.docs) setLiveIndicator('live', 'Live');
        },
      },
    );
    void follow(messages, current, generation);
  }

  async function follow(messages, current, generation) {
    try {
      for await (const message of messages) {
        if (!current()) return;
        // snapshot: the documents as of now; reset: the same, after a resume the server could not serve
        if (message.event === 'snapshot' || message.event === 'reset') {
          state.docs = mergeDocuments(null, message.data.changes);
          clearError();
          setBusy(false);
          setLiveIndicator('live', `Live · position ${message.data.storePosition}`);
          render();
          void fetchClub(generation, {});
        } else if (message.event === 'update' && state.docs) {
          const next = mergeDocuments(state.docs, message.data.changes);
          markChanged(changedKeys(state.docs, next));
          state.docs = next;
          setLiveIndicator(
            'live',
            `Live · updated ${new Date().toLocaleTimeString()} · position ${message.data.storePosition}`,
          );
          render();
          void fetchClub(generation, {}); // a report may have appointed a manager
        }
      }
    } catch (error) {
      // the server refused the stream (unknown club, a key it does not take…): say why
      if (!current()) return;
      closeStream();
      setLiveIndicator('offline', 'Offline');
      const problem =
        error instanceof StreamRefusedError
          ? new Problem(error.problem, error.status)
          : new Problem({ title: 'Live updates', detail: String(error) }, 0);
      if (generation !== state.generation || askForKeyIf(problem)) return;
      state.docs = null;
      setBusy(false);
      showError(problem);
      render();
    }
  }

  async function fetchDocuments(generation) {
    setLiveIndicator('off', 'Time travel · not live');
    const query = {
      ...(state.asOf ? { asOf: state.asOf } : {}),
      ...(state.knownAt ? { knownAt: state.knownAt } : {}),
    };
    const params = { path: { club: state.club }, query };
    try {
      const [clubDoc, ...documents] = await Promise.all([
        // the manager is a nicety: the board still shows without it
        read('/v1/clubs/{club}', params).catch(() => null),
        ...DOCUMENTS.map((model) => read(`/v1/clubs/{club}/${model}`, params)),
      ]);
      if (generation !== state.generation) return;
      state.docs = Object.fromEntries(DOCUMENTS.map((model, i) => [model, documents[i]]));
      state.clubDoc = clubDoc;
      clearHighlights();
    } catch (problem) {
      if (generation !== state.generation || askForKeyIf(problem)) return;
      state.docs = null;
      showError(problem);
    }
    setBusy(false);
    render();
  }

  /** Live mode: the club document for today (its manager), shown once it arrives. */
  async function fetchClub(generation, query) {
    let clubDoc;
    try {
      clubDoc = await read('/v1/clubs/{club}', { path: { club: state.club }, query });
    } catch (problem) {
      if (generation !== state.generation || askForKeyIf(problem)) return;
      clubDoc = null; // the board still shows; the manager line says nothing is known
    }
    if (generation !== state.generation) return;
    state.clubDoc = clubDoc;
    renderManager(state.docs && state.docs['squad-depth']);
  }

  /** The documents after a message: each change replaces its model's document. */
  function mergeDocuments(previous, changes) {
    const docs = { ...(previous || {}) };
    for (const change of changes || []) if (change.club === state.club) docs[change.model] = change.document;
    return docs;
  }

  // ------------------------------------------------------------------ highlights

  /** Every item on show, by data-key, with a fingerprint of what it says. */
  function fingerprints(docs) {
    const out = new Map();
    const put = (key, value) => out.set(key, JSON.stringify(value));
    const depth = docs && docs['squad-depth'];
    if (depth) {
      for (const group of depth.groups || []) put(`group:${group.group}`, group);
      for (const position of depth.positions || []) {
        const { players, cover, incomingTargets, outgoingCandidates, ...counts } = position;
        put(`position:${position.position}`, counts);
        for (const player of players || []) put(`player:${player.player}`, player);
      }
      for (const player of depth.unpositioned || []) put(`player:${player.player}`, player);
    }
    for (const target of (docs && docs.targets && docs.targets.targets) || []) put(`target:${target.player}`, target);
    for (const candidate of (docs && docs.outgoing && docs.outgoing.outgoing) || [])
      put(`outgoing:${candidate.player}`, candidate);
    return out;
  }

  function changedKeys(before, after) {
    const old = fingerprints(before);
    const changed = [];
    for (const [key, value] of fingerprints(after)) if (old.get(key) !== value) changed.push(key);
    return changed;
  }

  function markChanged(keys) {
    const until = Date.now() + HIGHLIGHT_MS;
    for (const key of keys) state.highlights.set(key, until);
  }

  function clearHighlights() {
    state.highlights.clear();
    clearTimeout(state.highlightTimer);
  }

  /** Puts the highlight class on items that changed recently, and takes it off once they expire. */
  function applyHighlights() {
    const now = Date.now();
    for (const [key, until] of state.highlights) if (until <= now) state.highlights.delete(key);
    for (const el of document.querySelectorAll('[data-key]'))
      el.classList.toggle('is-changed', state.highlights.has(el.dataset.key));
    clearTimeout(state.highlightTimer);
    if (state.highlights.size > 0) {
      const next = Math.min(...state.highlights.values());
      state.highlightTimer = setTimeout(applyHighlights, Math.max(50, next - now));
    }
  }

  // ------------------------------------------------------------------ rendering

  function render() {
    const docs = state.docs;
    renderContext(docs);
    const depth = docs && docs['squad-depth'];
    const targets = docs && docs.targets;
    const outgoing = docs && docs.outgoing;
    const waiting = els.main.getAttribute('aria-busy') === 'true';
    const placeholder = (what) =>
      h(
        'p',
        { class: 'placeholder' },
        !state.club ? 'Pick a club.' : waiting ? `Loading ${what}…` : `No ${what} to show.`,
      );

    els.board.replaceChildren(...(depth ? renderBoard(depth) : [placeholder('squad')]));
    els.board.dataset.position = depth ? String(depth.storePosition) : '';
    els.boardMeta.textContent = depth ? boardMeta(depth) : '';
    renderManager(depth);

    els.targets.replaceChildren(...(targets ? renderTargets(targets) : [placeholder('targets')]));
    els.targetsMeta.textContent = targets ? `${targets.open} open · ${targets.targets.length} listed` : '';

    els.outgoing.replaceChildren(...(outgoing ? renderOutgoing(outgoing) : [placeholder('outgoing candidates')]));
    els.outgoingMeta.textContent = outgoing ? `${outgoing.outgoing.length} listed` : '';
    applyHighlights();
  }

  function renderContext(docs) {
    const doc = docs && (docs['squad-depth'] || docs.targets || docs.outgoing);
    if (!state.club) {
      els.context.textContent = '';
      return;
    }
    const asOf = doc ? `${doc.asOf}${isLive() ? ' (today)' : ''}` : state.asOf || 'today';
    const knownAt = doc ? doc.knownAt || 'latest' : state.knownAt || 'latest';
    const parts = [
      h('strong', {}, clubName(state.club)),
      h('span', {}, `as of ${asOf}`),
      h('span', {}, `known at ${knownAt}`),
    ];
    if (doc) parts.push(h('span', {}, `store position ${doc.storePosition}`));
    els.context.replaceChildren(...parts);
  }

  /** The club's manager on the board's day, from the club document read with the board's clocks. */
  function renderManager(depth) {
    const clubDoc = state.clubDoc;
    if (!depth || !clubDoc || clubDoc.club !== state.club) {
      els.manager.hidden = true;
      els.manager.replaceChildren();
      return;
    }
    const m = clubDoc.manager;
    // h() flattens and turns text into text nodes; replaceChildren() alone would not
    const line = h(
      'span',
      { class: 'manager' },
      h('span', { class: 'manager-label' }, 'Manager'),
      ' ',
      m
        ? [
            h('strong', { 'data-testid': 'manager-name' }, m.name),
            h(
              'span',
              { class: 'manager-detail', 'data-testid': 'manager-since' },
              ` · since ${m.sinceApprox ? '~' : ''}${m.since}`,
            ),
            m.formation
              ? h('span', { class: 'manager-detail', 'data-testid': 'manager-formation' }, ` · prefers ${m.formation}`)
              : null,
          ]
        : h('span', { class: 'manager-none', 'data-testid': 'manager-none' }, 'No manager known'),
    );
    els.manager.replaceChildren(line);
    els.manager.hidden = false;
  }

  function boardMeta(depth) {
    const t = depth.totals;
    return `Formation ${depth.formation} · ${t.squad} in squad · ${t.available} available · ${t.injured} injured · ${t.awayOnLoan} away on loan`;
  }

  function renderBoard(depth) {
    const positions = new Map((depth.positions || []).map((p) => [p.position, p]));
    const cards = (depth.groups || []).map((group) =>
      h(
        'article',
        {
          class: `group verdict-${group.verdict}`,
          'data-testid': `group-${group.group}`,
          'data-verdict': group.verdict,
        },
        h(
          'header',
          { class: 'group-head', 'data-key': `group:${group.group}` },
          h('h3', {}, clubName(group.group)),
          badge('verdict', group.verdict, group.verdict),
          h(
            'p',
            { class: 'counts' },
            `${group.squad} in squad / need ${group.need} · ${group.available} available · ${group.injured} injured · ${group.awayOnLoan} away on loan`,
          ),
        ),
        group.positions
          .map((code) => positions.get(code))
          .filter(Boolean)
          .map(renderPosition),
      ),
    );
    if ((depth.unpositioned || []).length) {
      cards.push(
        h(
          'article',
          { class: 'group', 'data-testid': 'group-unpositioned' },
          h('header', { class: 'group-head' }, h('h3', {}, 'Position unknown')),
          h('ul', { class: 'players' }, depth.unpositioned.map(renderPlayer)),
        ),
      );
    }
    return cards;
  }

  function renderPosition(position) {
    const players = position.players || [];
    return h(
      'section',
      { class: 'position', 'data-testid': `position-${position.position}` },
      h(
        'div',
        { class: 'position-head', 'data-key': `position:${position.position}` },
        h('abbr', { title: POSITION_NAMES[position.position] || position.position }, position.position),
        // squad (not away on loan) against the formation's need
        h(
          'span',
          { class: 'position-counts', title: 'in squad / needed' },
          `${position.squad}/${position.need}`,
          h('small', {}, players.length ? ` · ${position.available} available` : ' · no players'),
        ),
        badge('verdict', position.verdict, position.verdict, { 'data-testid': `verdict-${position.position}` }),
      ),
      // an empty position is one line, so thin squads (seed data) stay short on a phone
      players.length ? h('ul', { class: 'players' }, players.map(renderPlayer)) : null,
      notes(position),
    );
  }

  function renderPlayer(player) {
    return h(
      'li',
      {
        class: `player status-${player.status}`,
        'data-testid': `player-${player.player}`,
        'data-status': player.status,
        'data-key': `player:${player.player}`,
      },
      h('span', { class: 'player-name', title: player.player }, playerName(player)),
      badge('status', player.status, STATUS_LABELS[player.status] || player.status),
      staleBadge('Injury', player.injury, 'stale-injury'),
      staleBadge('Loan', player.loan, 'stale-loan'),
      statusDetail(player) ? h('span', { class: 'player-detail' }, statusDetail(player)) : null,
      player.contractExpiresOn
        ? h('span', { class: 'player-detail', 'data-testid': 'contract' }, `Contract to ${player.contractExpiresOn}`)
        : null,
      (player.wantedBy || []).length
        ? h(
            'span',
            { class: 'player-detail', 'data-testid': 'wanted-by' },
            'Wanted by ',
            joined(
              player.wantedBy.map((s) => [
                `${clubName(s.club)} (${humanStage(s.stage)})`,
                staleBadge(`${clubName(s.club)}'s pursuit`, s, 'stale-suitor'),
              ]),
            ),
          )
        : null,
    );
  }

  /** Why a player is not simply available: injury and expected return, or the loan. */
  function statusDetail(player) {
    if (player.status === 'injured' && player.injury) {
      const i = player.injury;
      return [
        i.injury,
        `since ${i.since}`,
        i.expectedReturnOn ? `expected back ${i.expectedReturnOn}` : 'return date unknown',
      ]
        .filter(Boolean)
        .join(' · ');
    }
    if (player.status === 'away-on-loan' && player.loan) {
      return `at ${clubName(player.loan.toClub)}${player.loan.until ? ` until ${player.loan.until}` : ''}`;
    }
    if (player.status === 'on-loan-here') {
      return `from ${clubName(player.registeredAt)}${player.loan && player.loan.until ? ` until ${player.loan.until}` : ''}`;
    }
    return '';
  }

  /** Cover from other positions, targets for this one and players who may leave it. */
  function notes(position) {
    const lines = [];
    const list = (items, describe) => items.map(describe).join(', ');
    if ((position.cover || []).length)
      lines.push(['Cover', list(position.cover, (c) => `${playerName(c)} (${STATUS_LABELS[c.status] || c.status})`)]);
    if ((position.incomingTargets || []).length) {
      lines.push([
        'Targets',
        joined(
          position.incomingTargets.map((t) => [
            `${playerName(t)} (${humanStage(t.stage)}${t.priority ? `, ${t.priority}` : ''})`,
            staleBadge(`Pursuit of ${playerName(t)}`, t, 'stale-target'),
          ]),
        ),
      ]);
    }
    if ((position.outgoingCandidates || []).length)
      lines.push(['May leave', list(position.outgoingCandidates, playerName)]);
    if (!lines.length) return null;
    return h(
      'dl',
      { class: 'notes' },
      lines.map(([term, text]) => [h('dt', {}, term), h('dd', {}, text)]),
    );
  }

  function renderTargets(doc) {
    if (!doc.targets.length)
      return [
        h(
          'p',
          { class: 'empty-state', 'data-testid': 'targets-empty' },
          `No targets with news in the year before ${doc.asOf}.`,
        ),
      ];
    return doc.targets.map((t) =>
      h(
        'article',
        {
          class: `card target${t.open ? '' : ' closed'}`,
          'data-testid': `target-${t.player}`,
          'data-stage': t.stage,
          'data-key': `target:${t.player}`,
        },
        h(
          'header',
          { class: 'card-head' },
          h('h3', { title: t.player }, playerName(t)),
          t.position ? h('abbr', { class: 'pos', title: POSITION_NAMES[t.position] || t.position }, t.position) : null,
          badge('stage', t.stage, humanStage(t.stage), { 'data-testid': 'stage' }),
          t.priority ? badge('priority', t.priority, `${t.priority} priority`) : null,
          staleBadge('Pursuit', t, 'stale-target'),
        ),
        facts([
          ['Club', t.currentClub && clubName(t.currentClub)],
          ['Since', t.since],
          [
            'Rivals',
            (t.rivals || []).length
              ? joined(
                  t.rivals.map((r) => [
                    `${clubName(r.club)} (${humanStage(r.stage)})`,
                    staleBadge(`${clubName(r.club)}'s pursuit`, r, 'stale-rival'),
                  ]),
                )
              : 'none known',
          ],
          [
            'Valuation',
            t.valuation && `${euros(t.valuation.valueEur)} (${sourceName(t.valuation.source)}, ${t.valuation.on})`,
          ],
          [
            'Contract',
            t.contractExpiry &&
              `until ${t.contractExpiry.expiresOn}${t.contractExpiry.club ? ` at ${clubName(t.contractExpiry.club)}` : ''}`,
          ],
          [
            'Last bid',
            t.lastBid && `${euros(t.lastBid.amountEur)} on ${t.lastBid.on}${t.lastBid.rejected ? ', rejected' : ''}`,
          ],
          ['Renewal expected', t.renewalExpectedFrom && `from ${t.renewalExpectedFrom}`],
        ]),
        reports('Supporting reports', 'supporting', t.supporting || [], (r) => [
          h('span', { class: 'source' }, sourceName(r.source)),
          h('time', {}, reportDate(r)),
          h('span', { class: 'claims' }, (r.claims || []).map(describeClaim).join('; ')),
        ]),
        reports('Contradicting reports', 'contradicting', t.contradicting || [], (r) => [
          h('span', { class: 'source' }, sourceName(r.source)),
          h('time', {}, reportDate(r)),
          h('span', { class: 'claims' }, `disputes ${humanType(r.disputes).toLowerCase()}: “${r.statement}”`),
        ]),
      ),
    );
  }

  function describeClaim(claim) {
    const detail =
      claim.reason || claim.priority || (claim.amountEur ? euros(claim.amountEur) : '') || claim.expectedFrom || '';
    const disputed = (claim.contradictedBy || []).length
      ? ` (disputed by ${claim.contradictedBy.map((c) => sourceName(c.source)).join(', ')})`
      : '';
    return `${humanType(claim.type)}${detail ? `: ${detail}` : ''}${disputed}`;
  }

  function reports(title, kind, items, row) {
    if (!items.length) return kind === 'supporting' ? h('p', { class: 'empty' }, 'No supporting reports.') : null;
    return h(
      'div',
      { class: `reports ${kind}`, 'data-testid': kind },
      h('h4', {}, `${title} (${items.length})`),
      h(
        'ul',
        {},
        items.map((r) => h('li', {}, row(r))),
      ),
    );
  }

  function facts(rows) {
    const present = rows.filter(([, value]) => value);
    return h(
      'dl',
      { class: 'facts' },
      present.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
    );
  }

  function renderOutgoing(doc) {
    if (!doc.outgoing.length)
      return [
        h('p', { class: 'empty-state', 'data-testid': 'outgoing-empty' }, `No outgoing candidates on ${doc.asOf}.`),
      ];
    return doc.outgoing.map((o) => {
      const depth = o.depthAtPosition;
      const line = (d) => `${d.squad} in squad, ${d.available} available`;
      return h(
        'article',
        { class: 'card outgoing', 'data-testid': `outgoing-${o.player}`, 'data-key': `outgoing:${o.player}` },
        h(
          'header',
          { class: 'card-head' },
          h('h3', { title: o.player }, playerName(o)),
          o.position ? h('abbr', { class: 'pos', title: POSITION_NAMES[o.position] || o.position }, o.position) : null,
          badge('status', o.status, STATUS_LABELS[o.status] || o.status),
        ),
        h('p', { class: 'reason' }, o.reason),
        facts([
          ['Flagged', `${o.flaggedOn} by ${sourceName(o.source)}`],
          [
            'Back from loan',
            o.returnedFromLoan && `${clubName(o.returnedFromLoan.fromClub)}, ${o.returnedFromLoan.on}`,
          ],
        ]),
        depth
          ? h(
              'div',
              { class: 'depth-change', 'data-testid': 'depth-without' },
              h(
                'span',
                {},
                `${o.position} now: ${line(depth.now)} `,
                badge('verdict', depth.now.verdict, depth.now.verdict),
              ),
              h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
              h(
                'span',
                {},
                `without him: ${line(depth.withoutHim)} `,
                badge('verdict', depth.withoutHim.verdict, depth.withoutHim.verdict),
              ),
              h('small', {}, `need ${depth.need}`),
            )
          : null,
      );
    });
  }

  // ------------------------------------------------------------------ start

  /** Loads the club picker; false when the service asked for a key first. */
  async function loadClubs() {
    try {
      const { clubs } = await read('/v1/clubs');
      // a club from the URL that no report mentions stays selectable, and the API says why it fails
      const choices = state.club && !clubs.includes(state.club) ? [...clubs, state.club] : clubs;
      els.club.replaceChildren(...choices.map((slug) => h('option', { value: slug }, clubName(slug))));
      if (!choices.length) {
        els.club.replaceChildren(h('option', { value: '' }, 'No clubs yet'));
        showError(new Problem({ detail: 'No report has been recorded yet: post one to /v1/reports.' }, 0), 'No clubs');
      }
      if (!state.club) state.club = choices[0] || '';
      els.club.value = state.club;
      els.club.disabled = !choices.length;
    } catch (problem) {
      if (askForKeyIf(problem)) return false;
      showError(problem, 'Clubs could not be loaded:');
    }
    return true;
  }

  /**
   * The club search: as the user types (two characters or more), the clubs whose names, aliases
   * or slug match, best first, offered in the input's datalist as "name · slug"; picking one (or
   * Enter on a typed name) opens that club. Thousands of clubs once history is imported: a select
   * alone cannot be searched by "juve" or "bor dortmund".
   */
  function wireClubSearch() {
    let latest = 0; // answers can arrive out of order: only the latest request's fills the list
    let matches = [];
    let matchesFor = ''; // the text the matches answer: Enter picks only for what is typed now
    const optionLabel = (match) => `${match.name ?? clubName(match.club)} · ${match.club}`;
    const pick = (match) => {
      els.clubSearch.value = '';
      els.clubMatches.replaceChildren();
      if (![...els.club.options].some((option) => option.value === match.club)) {
        els.club.append(h('option', { value: match.club }, match.name ?? clubName(match.club)));
      }
      els.club.value = match.club;
      if (state.club === match.club) return;
      state.club = match.club;
      reload({ keepDocs: false });
    };
    els.clubSearch.addEventListener('input', async () => {
      const text = els.clubSearch.value.trim();
      // a datalist choice fills the input with its label: open that club
      const chosen = matches.find((match) => optionLabel(match) === els.clubSearch.value);
      if (chosen) return pick(chosen);
      if (text.length < 2) {
        els.clubMatches.replaceChildren();
        return;
      }
      const request = ++latest;
      try {
        const answer = await read('/v1/clubs', { query: { search: text, limit: 10 } });
        if (request !== latest) return;
        matches = answer.matches ?? [];
        matchesFor = text;
        els.clubMatches.replaceChildren(...matches.map((match) => h('option', { value: optionLabel(match) })));
      } catch (problem) {
        if (request === latest && !askForKeyIf(problem)) showError(problem, 'Club search failed:');
      }
    });
    els.clubSearch.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || matches.length === 0 || matchesFor !== els.clubSearch.value.trim()) return;
      event.preventDefault();
      pick(matches[0]);
    });
  }

  async function start() {
    const params = new URLSearchParams(location.search);
    state.club = params.get('club') || '';
    state.asOf = validDate(params.get('asOf'));
    state.knownAt = validDate(params.get('knownAt'));
    els.asOf.value = state.asOf;
    els.knownAt.value = state.knownAt;

    els.form.addEventListener('submit', (event) => event.preventDefault());
    wireClubSearch();
    els.club.addEventListener('change', () => {
      state.club = els.club.value;
      reload({ keepDocs: false });
    });
    for (const [field, input] of [
      ['asOf', els.asOf],
      ['knownAt', els.knownAt],
    ]) {
      input.addEventListener('change', () => {
        // a half-typed date reads as '' in date inputs; only a complete one (or a cleared field) counts
        if (input.value && !validDate(input.value)) return;
        if (state[field] === input.value) return;
        state[field] = input.value;
        reload();
      });
    }
    els.backToLive.addEventListener('click', () => {
      els.asOf.value = '';
      els.knownAt.value = '';
      if (isLive()) return;
      state.asOf = '';
      state.knownAt = '';
      reload();
    });

    els.keyForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const key = els.keyInput.value.trim();
      if (!key) return;
      storeKey(key);
      els.keyInput.value = '';
      els.keyForm.hidden = true;
      clearError();
      if (await loadClubs()) reload({ keepDocs: false });
    });

    if (await loadClubs()) reload({ keepDocs: false });
  }

  void start();
})();
