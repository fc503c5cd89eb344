// Patrol mode: the phone's positions (navigator.geolocation.watchPosition) gather in a buffer and
// leave through the outbox in batches (POST /api/v1/staff/{me}/positions, docs/patrol.md) —
// a minute's worth or 20 points at a time; offline they wait on the phone. The patrol goes on while
// the user moves between the phone's tabs (module state), and stops with the button.
import { el } from '../../shared/dom.js';
import { t } from '../../i18n/i18n.js';
import { createPatrolBuffer, patrolPoint } from './logic.js';
import { button, message } from './ui.js';
import { KIND } from './requests.js';

const patrol = { watch: null, timer: null, buffer: null, recorded: 0, staffId: null, outbox: null, error: null };
const listeners = new Set();

function changed() {
  for (const fn of listeners) fn();
}

async function flush(force = false) {
  const b = patrol.buffer;
  if (!b || !b.size || (!force && !b.due())) return;
  await patrol.outbox.enqueue({ kind: KIND.POSITIONS, staffId: patrol.staffId, positions: b.take() });
  changed();
}

export function startPatrol(ctx) {
  if (patrol.watch !== null || !navigator.geolocation) return;
  Object.assign(patrol, {
    buffer: createPatrolBuffer(),
    recorded: 0,
    staffId: ctx.me,
    outbox: ctx.outbox,
    error: null,
  });
  patrol.watch = navigator.geolocation.watchPosition(
    (p) => {
      if (patrol.buffer.add(patrolPoint(p))) patrol.recorded++;
      patrol.error = null;
      flush();
      changed();
    },
    (e) => {
      patrol.error = e.message || String(e.code);
      changed();
    },
    { enableHighAccuracy: true, maximumAge: 5000 },
  );
  patrol.timer = setInterval(() => flush(), 15_000);
  changed();
}

export async function stopPatrol() {
  if (patrol.watch === null) return;
  navigator.geolocation.clearWatch(patrol.watch);
  clearInterval(patrol.timer);
  patrol.watch = null;
  await flush(true);
  changed();
}

export function onPatrol() {
  return patrol.watch !== null;
}

export function renderPatrol(view, ctx) {
  const status = el('p', { id: 'm-patrol-status', class: 'm-note', role: 'status' });
  const toggle = el('div');
  function draw() {
    status.textContent = onPatrol()
      ? t('m.patrol.on', { n: patrol.recorded, b: patrol.buffer?.size ?? 0 })
      : t('m.patrol.off');
    if (patrol.error) status.textContent += ` · ${t('m.patrol.noGps', { why: patrol.error })}`;
    toggle.replaceChildren(
      onPatrol()
        ? button('m-patrol-stop', 'm.patrol.stop', () => stopPatrol(), 'm-button m-danger')
        : button('m-patrol-start', 'm.patrol.start', () => startPatrol(ctx)),
    );
  }
  listeners.add(draw);
  draw();
  view.replaceChildren(el('h2', {}, t('m.patrol.title')), message('m-patrol-hint', t('m.patrol.hint')), status, toggle);
  return () => listeners.delete(draw);
}
