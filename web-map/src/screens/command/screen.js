// Command centre (指挥中心): heatmap / bins / Gi* hot spots with a playable time window and
// filters, live incidents over SSE (clustered, new ones ringed), the case board and case panel
// (only the actions the server allows), the situation panel with ECharts, and a wall-screen mode.
import './messages.js';
import './command.css';
import { fromLonLat } from 'ol/proj.js';
import { containsCoordinate } from 'ol/extent.js';
import { api } from '../../api/client.js';
import { openEventStream } from '../../api/sse.js';
import { t, getLang, onLangChange, applyI18n, formatDateTime } from '../../i18n/i18n.js';
import { createBaseMap } from '../../map/basemap.js';
import { showProblem } from '../../app/problem.js';
import { PLATFORMS, groupByPlatform } from '../../shared/taxonomy.js';
import { createLayers } from './layers.js';
import { mountPlacements } from './placements.js';
import { mountCampaigns } from './campaigns.js';
import { renderBoard, renderCase } from './board.js';
import {
  OPEN_STATUSES,
  HISTORY_DAYS,
  SPANS,
  zoneToday,
  firstDay,
  windowOf,
  analyticsParams,
  boardQuery,
  nextPosition,
  applyLiveEvent,
  applySentEvent,
  HOTSPOT_COLORS,
} from './logic.js';

const TEMPLATE = `
<div class="cmd" id="cmd">
  <div class="cmd-toolbar">
    <h1 class="gg-screen-title cmd-title" data-i18n="command.title"></h1>
    <label><span data-i18n="command.layer.mode"></span>
      <select id="cmd-mode">
        <option value="heatmap" data-i18n="command.layer.heatmap"></option>
        <option value="hex" data-i18n="command.layer.hex"></option>
        <option value="square" data-i18n="command.layer.square"></option>
        <option value="hotspots" data-i18n="command.layer.hotspots"></option>
        <option value="none" data-i18n="command.layer.none"></option>
      </select></label>
    <label><span data-i18n="command.filter.category"></span><select id="cmd-category"></select></label>
    <label><span data-i18n="command.filter.platform"></span><select id="cmd-platform"></select></label>
    <label><span data-i18n="command.filter.span"></span>
      <select id="cmd-span">${Object.keys(SPANS)
        .map((s) => `<option value="${s}" data-i18n="command.span.${s}"></option>`)
        .join('')}</select></label>
    <label class="cmd-time"><span data-i18n="command.time.slider"></span>
      <input type="range" id="cmd-time" min="0" max="${HISTORY_DAYS - 1}" step="1"></label>
    <output id="cmd-window" class="cmd-window"></output>
    <button type="button" id="cmd-play" data-i18n="command.play"></button>
    <select id="cmd-step" aria-label="step"><option value="day" data-i18n="command.step.day"></option><option value="week" data-i18n="command.step.week"></option></select>
    <span id="cmd-live" class="cmd-live"></span>
    <button type="button" id="cmd-wall" data-i18n="command.wall"></button>
  </div>
  <div class="gg-map cmd-map" id="command-map"><div class="cmd-legend" id="cmd-legend"></div><div class="cmd-toast" id="cmd-toast" role="status"></div></div>
  <aside class="cmd-side">
    <section id="cmd-board" class="cmd-board">
      <h2 data-i18n="command.board.title"></h2>
      <div class="board-filters">
        <select id="board-status" aria-label="status"></select>
        <select id="board-platform" aria-label="platform"></select>
        <select id="board-grid" aria-label="grid"></select>
        <label><input type="checkbox" id="board-overdue"> <span data-i18n="command.board.overdue"></span></label>
        <label><input type="checkbox" id="board-supervised"> <span data-i18n="command.board.supervised"></span></label>
        <label><input type="checkbox" id="board-sent"> <span data-i18n="command.board.sent"></span></label>
      </div>
      <div id="board-problem" hidden></div>
      <p class="gg-hint" id="board-count"></p>
      <ul class="board-list" id="board-list"></ul>
    </section>
    <section id="cmd-case" class="cmd-case" hidden></section>
    <section id="cmd-placements" class="cmd-placements" hidden></section>
    <section id="cmd-campaigns" class="cmd-campaigns" hidden></section>
  </aside>
  <section class="cmd-situation" id="cmd-situation">
    <div class="kpis">
      <div class="kpi"><span data-i18n="command.situation.open"></span><strong id="kpi-open">–</strong></div>
      <div class="kpi kpi-bad"><span data-i18n="command.situation.overdue"></span><strong id="kpi-overdue">–</strong></div>
      <div class="kpi"><span data-i18n="command.situation.today"></span><strong id="kpi-today">–</strong></div>
      <div class="gg-hint" id="kpi-asof"></div>
    </div>
    <div class="chart" id="chart-platform"></div>
    <div class="chart" id="chart-channel"></div>
    <div class="chart" id="chart-grid"></div>
    <div class="chart" id="chart-series"></div>
  </section>
</div>`;

const WALL_REFRESH_MS = 30_000;
const FRESH_MS = 60_000;
const PLAY_MIN_STEP_MS = 350;

export async function mount(root) {
  root.innerHTML = TEMPLATE;
  applyI18n(root);
  const $ = (s) => root.querySelector(s);
  const today = zoneToday();
  const filters = {
    first: firstDay(today),
    end: HISTORY_DAYS - 1,
    span: 'week',
    category: '',
    platform: '',
    mode: 'heatmap',
  };
  const board = { status: '', platform: '', grid: '', overdue: false, supervised: false, sent: false };
  const st = {
    cases: [],
    categories: new Map(),
    categoryList: [],
    grids: [],
    gridNames: new Map(),
    selected: null,
    situation: null,
    series: null,
    playing: false,
    wall: false,
    timers: [],
    closeStream: null,
  };

  const { map } = await createBaseMap($('#command-map'));
  const layers = createLayers(map);
  // ECharts is a chunk of its own, loaded while the map draws
  let charts = null;
  const chartsReady = import('./charts.js').then((m) => {
    charts = m.createCharts({
      platform: $('#chart-platform'),
      channel: $('#chart-channel'),
      grid: $('#chart-grid'),
      series: $('#chart-series'),
    });
    charts?.render(st.situation, st.series, { wall: st.wall });
  });
  $('#cmd').olMap = map;

  const [cats, grids] = await Promise.all([
    api('/api/v1/categories').then((b) => b.categories),
    api('/api/v1/grids')
      .then((fc) => fc.features.map((f) => f.properties))
      .catch(() => []),
  ]);
  st.categoryList = cats;
  st.categories = new Map(cats.map((c) => [c.code, c]));
  st.grids = grids.sort((a, b) => String(a.code).localeCompare(String(b.code)));
  st.gridNames = new Map(st.grids.map((g) => [g.id, g.name || g.code]));

  // ---- filters and time window -------------------------------------------------------------
  function renderChoices() {
    const keep = (sel, fill) => {
      const v = sel.value;
      fill();
      sel.value = v;
    };
    keep($('#cmd-category'), () => {
      const sel = $('#cmd-category');
      sel.replaceChildren(new Option(t('command.filter.all'), ''));
      for (const g of groupByPlatform(st.categoryList, getLang())) {
        const group = document.createElement('optgroup');
        group.label = t(`app.platform.${g.platform}`);
        for (const c of g.categories) group.append(new Option(c.label, c.code));
        sel.append(group);
      }
    });
    for (const id of ['#cmd-platform', '#board-platform']) {
      keep($(id), () =>
        $(id).replaceChildren(
          new Option(t('command.filter.all'), ''),
          ...PLATFORMS.map((p) => new Option(t(`app.platform.${p}`), p)),
        ),
      );
    }
    keep($('#board-status'), () =>
      $('#board-status').replaceChildren(
        new Option(t('command.board.allOpen'), ''),
        ...OPEN_STATUSES.map((s) => new Option(t(`command.status.${s}`), s)),
      ),
    );
    keep($('#board-grid'), () =>
      $('#board-grid').replaceChildren(
        new Option(t('command.board.allGrids'), ''),
        ...st.grids.map((g) => new Option(`${g.name ?? ''} ${g.code}`.trim(), g.id)),
      ),
    );
    renderWindow();
  }

  function renderWindow() {
    const w = windowOf(filters);
    $('#cmd-window').textContent = filters.span === 'day' ? w.to : t('command.time.window', w);
    $('#cmd-time').value = String(filters.end);
  }

  function renderLegend() {
    const legend = $('#cmd-legend');
    if (filters.mode === 'hotspots') {
      legend.replaceChildren(
        ...Object.entries(HOTSPOT_COLORS).map(([cls, color]) => {
          const row = document.createElement('div');
          row.innerHTML = `<i style="background:${color}"></i>`;
          row.append(t(`command.legend.${cls}`));
          return row;
        }),
      );
    } else if (filters.mode === 'hex' || filters.mode === 'square') {
      legend.textContent = t('command.legend.bins', { max: layers.analytics.get('maxCount') ?? '–' });
    } else legend.replaceChildren();
    legend.hidden = legend.childNodes.length === 0;
  }

  async function refreshLayer() {
    renderWindow();
    const map$ = $('#command-map');
    map$.dataset.layerState = 'loading';
    try {
      await layers.show(filters.mode, filters);
      renderLegend();
      map$.dataset.layerState = 'ready';
    } catch (err) {
      map$.dataset.layerState = 'error';
      toast(err.problem?.detail || err.message);
    }
  }

  // The heatmap image is ready: what the play loop and the tests wait for.
  layers.heatSource.on('imageloadend', () => {
    $('#command-map').dataset.heatmapLoaded =
      `${windowOf(filters).from}/${windowOf(filters).to}/${filters.category}/${filters.platform}`;
  });

  for (const [id, key] of [
    ['#cmd-category', 'category'],
    ['#cmd-platform', 'platform'],
    ['#cmd-span', 'span'],
    ['#cmd-mode', 'mode'],
  ]) {
    $(id).value = filters[key];
    $(id).addEventListener('change', () => {
      filters[key] = $(id).value;
      refreshLayer();
      if (key !== 'mode') loadSeries();
    });
  }
  $('#cmd-time').addEventListener('input', () => {
    filters.end = Number($('#cmd-time').value);
    refreshLayer();
  });
  $('#cmd-time').addEventListener('change', loadSeries);
  let moveTimer = null;
  map.on('moveend', () => {
    if (filters.mode === 'heatmap' || filters.mode === 'none') return;
    clearTimeout(moveTimer);
    moveTimer = setTimeout(refreshLayer, 150);
  });

  // ---- play through the days/weeks: one step once the previous frame's data is on screen -----
  async function play() {
    st.playing = !st.playing;
    $('#cmd-play').dataset.i18n = st.playing ? 'command.pause' : 'command.play';
    $('#cmd-play').textContent = t($('#cmd-play').dataset.i18n);
    $('#cmd').dataset.playing = String(st.playing);
    if (!st.playing) return;
    if (nextPosition(filters.end, $('#cmd-step').value) === null)
      filters.end = Math.min(HISTORY_DAYS - 1, SPANS[filters.span] - 1);
    while (st.playing) {
      const started = performance.now();
      const loaded =
        filters.mode === 'heatmap'
          ? new Promise((resolve) => {
              const done = () => {
                layers.heatSource.un('imageloadend', done);
                layers.heatSource.un('imageloaderror', done);
                resolve();
              };
              layers.heatSource.on('imageloadend', done);
              layers.heatSource.on('imageloaderror', done);
              setTimeout(done, 5000);
            })
          : null;
      await refreshLayer();
      if (loaded) await loaded;
      const wait = PLAY_MIN_STEP_MS - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!st.playing) break;
      const next = nextPosition(filters.end, $('#cmd-step').value);
      if (next === null) {
        st.playing = false;
        $('#cmd').dataset.playing = 'false';
        $('#cmd').dataset.playedThrough = 'true';
        $('#cmd-play').dataset.i18n = 'command.play';
        $('#cmd-play').textContent = t('command.play');
        loadSeries();
        break;
      }
      filters.end = next;
    }
  }
  $('#cmd-play').addEventListener('click', play);

  // ---- situation panel and charts --------------------------------------------------------------
  async function loadSituation() {
    try {
      st.situation = await api('/api/v1/analytics/situation');
      $('#kpi-open').textContent = st.situation.open;
      $('#kpi-overdue').textContent = st.situation.overdue;
      $('#kpi-today').textContent = (st.situation.todayByChannel ?? []).reduce((n, r) => n + r.count, 0);
      $('#kpi-asof').textContent = t('command.situation.asOf', { time: formatDateTime(st.situation.asOf) });
      charts?.render(st.situation, null, { wall: st.wall });
    } catch (err) {
      $('#kpi-asof').textContent = err.problem?.title ?? String(err);
    }
  }
  async function loadSeries() {
    try {
      const span = filters.span === 'day' || filters.span === 'week' ? 'month' : filters.span; // a line needs a few points
      st.series = await api(
        `/api/v1/analytics/timeseries?${analyticsParams({ ...filters, span }, { interval: 'day' })}`,
      );
      charts?.render(null, st.series, { wall: st.wall });
    } catch {
      // the chart keeps what it showed
    }
  }

  // ---- board, case panel, live feed --------------------------------------------------------------
  function flatten(feature) {
    return { ...feature.properties, id: feature.properties.id ?? feature.id, location: feature.geometry };
  }
  async function loadBoard() {
    try {
      const fc = await api(`/api/v1/incidents?${boardQuery(board)}`);
      const fresh = new Set(st.cases.filter((c) => c.fresh).map((c) => c.id));
      st.cases = fc.features.map(flatten).map((c) => ({ ...c, fresh: fresh.has(c.id) }));
      showProblem($('#board-problem'), null);
      drawBoard();
    } catch (err) {
      showProblem($('#board-problem'), err);
    }
  }
  function drawBoard() {
    renderBoard($('#board-list'), $('#board-count'), st.cases, board, {
      categories: st.categories,
      gridNames: st.gridNames,
      selectedId: st.selected,
      onOpen: openCase,
    });
    layers.setCases(st.cases.filter((c) => OPEN_STATUSES.includes(c.status)));
    layers.select(st.selected);
  }
  for (const [id, key, kind] of [
    ['#board-status', 'status'],
    ['#board-platform', 'platform'],
    ['#board-grid', 'grid'],
    ['#board-overdue', 'overdue', 'check'],
    ['#board-supervised', 'supervised', 'check'],
  ]) {
    $(id).addEventListener('change', () => {
      board[key] = kind === 'check' ? $(id).checked : $(id).value;
      if (kind === 'check') drawBoard();
      else loadBoard();
    });
  }
  // "sent to district": what the subdistrict sent that the district holds now (read only)
  $('#board-sent').addEventListener('change', () => {
    board.sent = $('#board-sent').checked;
    for (const id of ['#board-status', '#board-platform', '#board-grid']) $(id).disabled = board.sent;
    loadBoard();
  });

  async function openCase(id) {
    st.selected = id;
    layers.select(id);
    const panel = $('#cmd-case');
    drawBoard();
    try {
      const incident = await renderCase(panel, id, {
        categories: st.categories,
        gridNames: st.gridNames,
        onChanged: (after, notice) => {
          st.done = notice;
          mergeCase(after);
        },
        done: st.done,
        onResponders: (answer) => layers.setResponders(answer),
        onBack: closeCase,
      });
      $('#cmd-board').hidden = true;
      const at = fromLonLat(incident.location.coordinates);
      const view = map.getView();
      if (!containsCoordinate(view.calculateExtent(map.getSize()), at)) view.animate({ center: at, duration: 300 });
    } catch (err) {
      showProblem($('#board-problem'), err);
    }
  }
  function closeCase() {
    st.selected = null;
    st.done = null;
    $('#cmd-case').hidden = true;
    $('#cmd-case').replaceChildren();
    $('#cmd-board').hidden = false;
    layers.setResponders(null);
    drawBoard();
  }
  function mergeCase(incident) {
    const i = st.cases.findIndex((c) => c.id === incident.id);
    const fresh = i >= 0 ? st.cases[i].fresh : false;
    const row = { ...incident, platform: incident.routing?.platform, fresh };
    if (i >= 0) st.cases[i] = row;
    else st.cases.unshift(row);
    drawBoard();
  }

  function toast(text) {
    const box = $('#cmd-toast');
    box.textContent = text;
    box.hidden = !text;
    clearTimeout(box.timer);
    box.timer = setTimeout(() => {
      box.hidden = true;
    }, 6000);
  }

  function onLive({ event, data }) {
    if (!data || typeof data !== 'object' || !data.incidentId) return;
    if (board.sent) {
      if (event === 'incident.new') return;
      st.cases = applySentEvent(st.cases, data);
      drawBoard();
      return;
    }
    if (board.platform && data.platform !== board.platform) return;
    if (board.grid && String(data.gridId) !== String(board.grid)) return;
    const isNew = event === 'incident.new';
    if (!isNew && !st.cases.some((c) => c.id === data.incidentId)) return;
    st.cases = applyLiveEvent(st.cases, isNew ? { ...data, fromStatus: null } : data);
    drawBoard();
    if (isNew) {
      toast(t('command.live.new', { id: data.incidentId }));
      $('#cmd').dataset.lastLiveIncident = data.incidentId;
      // the event carries no deadlines: fetch the case once for the board's countdown
      api(`/api/v1/incidents/${data.incidentId}`)
        .then((full) => mergeCase(full))
        .catch(() => {});
      setTimeout(() => {
        const c = st.cases.find((x) => x.id === data.incidentId);
        if (c) {
          c.fresh = false;
          drawBoard();
        }
      }, FRESH_MS);
    } else if (st.selected === data.incidentId) {
      const panelVersion = Number($('#case-title')?.dataset.version ?? 0);
      if ((data.version ?? 0) <= panelVersion) return;
      // the user is filling in an action's form: a re-draw would throw their input away, so only say
      // so; sending checks the version and a conflict reloads the panel keeping the input
      const form = $('#case-action-form');
      if (form && !form.hidden) {
        const note =
          $('#case-changed') ??
          form.insertAdjacentElement(
            'afterbegin',
            Object.assign(document.createElement('p'), {
              id: 'case-changed',
              className: 'gg-hint case-changed',
              textContent: t('command.case.changedMeanwhile'),
            }),
          );
        note.dataset.version = data.version;
      } else openCase(data.incidentId);
    }
  }
  /** The connection indicator, in the current language. */
  function drawLive() {
    const state = $('#cmd').dataset.live;
    if (!state) return;
    $('#cmd-live').textContent =
      state === 'open' ? `● ${t('command.live.connected')}` : `○ ${t('command.live.offline')}`;
    $('#cmd-live').className = `cmd-live ${state === 'open' ? 'on' : 'off'}`;
  }
  function connectLive() {
    st.closeStream = openEventStream('/api/v1/events', {
      onEvent: onLive,
      onOpen: () => {
        $('#cmd').dataset.live = 'open';
        drawLive();
      },
      onError: () => {
        $('#cmd').dataset.live = 'error';
        drawLive();
      },
    });
  }

  // ---- wall screen ----------------------------------------------------------------------------------
  let wallTimer = null;
  function setWall(on) {
    st.wall = on;
    $('#cmd').classList.toggle('cmd-wall', on);
    document.body.classList.toggle('gg-wall', on);
    $('#cmd-wall').dataset.i18n = on ? 'command.wall.exit' : 'command.wall';
    $('#cmd-wall').textContent = t($('#cmd-wall').dataset.i18n);
    clearInterval(wallTimer);
    if (on) {
      document.documentElement.requestFullscreen?.().catch(() => {});
      wallTimer = setInterval(() => {
        loadSituation();
        loadSeries();
        loadBoard();
      }, WALL_REFRESH_MS);
    } else if (document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
    setTimeout(() => {
      map.updateSize();
      charts?.resize();
      charts?.render(st.situation, st.series, { wall: on });
    }, 50);
  }
  $('#cmd-wall').addEventListener('click', () => setWall(!st.wall));
  const onFullscreen = () => {
    if (!document.fullscreenElement && st.wall) setWall(false);
  };
  document.addEventListener('fullscreenchange', onFullscreen);

  // countdowns move on by themselves
  st.timers.push(
    setInterval(() => {
      if (!$('#cmd-board').hidden) drawBoard();
    }, 30_000),
  );

  // reports given by address that wait to be placed (command-centre roles; hidden for others)
  const placements = mountPlacements($('#cmd-placements'), map, { toast, onPlaced: mergeCase });
  // campaign progress by grid or community (docs/tasks.md; hidden without campaigns or the right)
  const campaigns = mountCampaigns($('#cmd-campaigns'));

  renderChoices();
  refreshLayer();
  connectLive();
  await Promise.all([loadBoard(), loadSituation(), loadSeries(), chartsReady]);
  const stopLang = onLangChange(() => {
    renderChoices();
    renderLegend();
    drawLive();
    if (st.situation)
      $('#kpi-asof').textContent = t('command.situation.asOf', { time: formatDateTime(st.situation.asOf) });
    drawBoard();
    charts?.render(st.situation, st.series, { wall: st.wall });
    if (st.selected) openCase(st.selected);
    placements.render();
    campaigns.render();
  });
  return () => {
    st.playing = false;
    stopLang();
    st.closeStream?.();
    st.timers.forEach(clearInterval);
    clearInterval(wallTimer);
    document.removeEventListener('fullscreenchange', onFullscreen);
    document.body.classList.remove('gg-wall');
    chartsReady.then(() => charts?.dispose());
    placements.stop();
    map.setTarget(null);
  };
}
