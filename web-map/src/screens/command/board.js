// The case board (open cases with filters, countdowns, overdue and supervised marks) and the case
// panel (facts, timeline, the actions the server allows this user, nearest responders).
import { api, authHeaders, isStaleVersion } from '../../api/client.js';
import { session } from '../../api/session.js';
import { photoView } from '../../shared/media.js';
import { t, tOr, getLang, formatDateTime } from '../../i18n/i18n.js';
import { showProblem } from '../../app/problem.js';
import { PLATFORMS } from '../../shared/taxonomy.js';
import {
  boardCases,
  countdown,
  formatDuration,
  deadlineOf,
  isOverdue,
  actionButtons,
  actionBody,
  reporterLine,
  attributeLines,
  holdUps,
  leaderMarks,
  leaderRowMark,
  readOnlyActions,
} from './logic.js';
import { el } from '../../shared/dom.js';

export function countdownText(props, now = Date.now()) {
  const c = countdown(deadlineOf(props), now);
  if (!c) return { text: t('command.countdown.none'), overdue: false, soon: false };
  const time = formatDuration(c, getLang());
  return {
    text: t(c.overdue ? 'command.countdown.over' : 'command.countdown.left', { time }),
    overdue: c.overdue,
    soon: !c.overdue && c.ms < 3_600_000,
  };
}

export function categoryName(categories, code) {
  const c = categories.get(code);
  if (!c) return code ?? '';
  return (getLang() === 'en' ? c.nameEn : c.nameZh) || code;
}

/** The assignee's name from the staff list of their platform or grid (when the user may list staff), else null. */
async function assigneeName(routing) {
  if (!routing?.assigneeId) return null;
  for (const q of [
    routing.platform && `platform=${routing.platform}`,
    routing.gridId && `grid=${routing.gridId}`,
  ].filter(Boolean)) {
    try {
      const answer = await api(`/api/v1/staff?${q}&limit=5000`);
      const person = (answer.staff ?? answer.items ?? []).find((s) => s.id === routing.assigneeId);
      if (person) return person.name;
    } catch {
      return null; // not allowed to list staff: the id stays
    }
  }
  return null;
}

/**
 * A staff image needs the token, which an <img src> cannot send: fetched, then shown from a blob
 * URL (revoked when the list is drawn again).
 */
async function imageUrl(url, urls) {
  const r = await fetch(url, { headers: authHeaders() });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  const u = URL.createObjectURL(await r.blob());
  urls.push(u);
  return u;
}

/** The case's photos (GET …/media): thumbnails, stage, EXIF time, public or not, approve/withdraw. */
function casePhotos(id) {
  const list = el('ul', { class: 'case-photos', id: 'case-photos' }, el('li', { class: 'gg-hint' }, t('app.loading')));
  const urls = [];
  const load = () =>
    api(`/api/v1/incidents/${id}/media`)
      .then((answer) => {
        urls.splice(0).forEach((u) => URL.revokeObjectURL(u));
        const roles = session()?.claims?.roles ?? [];
        const views = (answer.media ?? []).map((m) => photoView(m, roles));
        list.replaceChildren(
          ...(views.length === 0
            ? [el('li', { class: 'gg-hint' }, t('media.none'))]
            : views.map((v) => photoItem(v, urls, load))),
        );
      })
      .catch(() => list.replaceChildren(el('li', { class: 'gg-hint' }, t('media.none'))));
  load();
  return list;
}

function photoItem(v, urls, reload) {
  const img = el('img', { alt: t(`media.stage.${v.stage}`), class: 'case-photo', loading: 'lazy' });
  imageUrl(v.thumbnail, urls)
    .then((u) => (img.src = u))
    .catch(() => {});
  const open = el('a', { href: '#', class: 'case-photo-link', dataset: { mediaId: v.id } }, img);
  open.addEventListener('click', (e) => {
    e.preventDefault();
    imageUrl(v.url, urls).then((u) => window.open(u, '_blank', 'noopener'));
  });
  const facts = [
    t(`media.stage.${v.stage}`),
    v.takenAt ? t('media.taken', { time: formatDateTime(v.takenAt) }) : null,
    v.located ? t('media.located') : null,
    t(v.public ? 'media.public' : 'media.private'),
  ].filter(Boolean);
  const problem = el('div', { hidden: true });
  let button = null;
  if (v.review) {
    button = el(
      'button',
      { type: 'button', class: 'gg-button secondary', dataset: { review: v.review } },
      t(`media.${v.review}`),
    );
    button.addEventListener('click', () => {
      button.disabled = true;
      api(`/api/v1/media/${v.id}/approval`, { method: 'POST', body: { approved: v.review === 'approve' } })
        .then(reload)
        .catch((err) => {
          button.disabled = false;
          showProblem(problem, err);
        });
    });
  }
  return el('li', {}, open, el('span', { class: 'gg-hint' }, facts.join(' · ')), button, problem);
}

/** A list row's leaders' 督办 mark (open, or missed), with its nearest deadline as the tooltip. */
function leaderRow(c, now) {
  const mark = leaderRowMark(c, now);
  if (!mark) return null;
  const due = c.case.leaderSupervision.nextDueAt;
  return el(
    'span',
    {
      class: `mark mark-supervised mark-leader${mark === 'missed' ? ' mark-overdue' : ''}`,
      dataset: { leader: mark },
      title: due ? formatDateTime(due) : '',
    },
    t(mark === 'missed' ? 'command.board.leaderMissedMark' : 'command.board.leaderMark'),
  );
}

/** Renders the board list into ul; onOpen(id) when a row is clicked. */
export function renderBoard(ul, countSlot, cases, board, { categories, gridNames, selectedId, onOpen }) {
  const now = Date.now();
  const shown = boardCases(cases, board, now);
  countSlot.textContent = t('command.board.count', { shown: shown.length, loaded: cases.length });
  if (shown.length === 0) {
    ul.replaceChildren(el('li', { class: 'board-empty' }, t('command.board.empty')));
    return;
  }
  ul.replaceChildren(
    ...shown.map((c) => {
      const cd = countdownText(c, now);
      const marks = el(
        'span',
        { class: 'board-marks' },
        c.fresh ? el('span', { class: 'mark mark-new' }, t('command.board.newMark')) : null,
        isOverdue(c, now) ? el('span', { class: 'mark mark-overdue' }, t('command.board.overdueMark')) : null,
        c.case?.supervised ? el('span', { class: 'mark mark-supervised' }, t('command.board.supervisedMark')) : null,
        leaderRow(c, now),
      );
      const li = el(
        'li',
        {
          class: `board-row${c.id === selectedId ? ' selected' : ''}${c.fresh ? ' fresh' : ''}`,
          dataset: { id: c.id, status: c.status },
          tabIndex: 0,
        },
        el(
          'div',
          { class: 'board-line' },
          el('strong', {}, `#${c.id}`),
          el('span', { class: 'board-cat' }, categoryName(categories, c.category)),
          marks,
        ),
        el(
          'div',
          { class: 'board-line board-sub' },
          el('span', { class: `board-status status-${c.status}` }, t(`command.status.${c.status}`)),
          el(
            'span',
            {},
            (c.routing?.platform ?? c.platform) ? t(`app.platform.${c.routing?.platform ?? c.platform}`) : '',
          ),
          el('span', {}, gridNames.get(c.routing?.gridId ?? c.gridId) ?? ''),
          el('span', { class: `board-countdown${cd.overdue ? ' overdue' : cd.soon ? ' soon' : ''}` }, cd.text),
        ),
      );
      li.addEventListener('click', () => onOpen(c.id));
      li.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') onOpen(c.id);
      });
      return li;
    }),
  );
}

/** The reporter as the API gave it: masked ones say so (docs/personal-data.md). */
function reporterFact(reporter) {
  const line = reporterLine(reporter);
  if (!line) return '—';
  return line.masked ? `${line.text} (${t('command.case.reporterMasked')})` : line.text;
}

/**
 * Loads and renders one case into panel. onChanged(incident) after a successful action;
 * onResponders(answer) to draw them on the map. conflict ({id, error, action, values}): a 409
 * stale-version answer to the user's last action — shown on top, and that action's form opened
 * again with what the user had entered, so nothing typed is lost. Returns the incident.
 */
export async function renderCase(
  panel,
  id,
  { categories, gridNames, onChanged, onResponders, onBack, done: lastDone = null, conflict = null },
) {
  const [incident, events, offered] = await Promise.all([
    api(`/api/v1/incidents/${id}`),
    api(`/api/v1/incidents/${id}/events`),
    // a case sent to the district is read, not acted on: its actions are refused
    api(`/api/v1/incidents/${id}/actions`).catch((e) => (e.status === 403 ? null : Promise.reject(e))),
  ]);
  const allowed = offered ?? readOnlyActions(incident);
  const c = incident;
  const cd = countdownText(c);
  const facts = [
    ['status', t(`command.status.${c.status}`), 'case-status'],
    ['category', categoryName(categories, c.category), 'case-category'],
    ['platform', c.routing?.platform ? t(`app.platform.${c.routing.platform}`) : '', 'case-platform'],
    ['grid', gridNames.get(c.routing?.gridId) ?? c.routing?.gridCode ?? '', 'case-grid'],
    ['reported', formatDateTime(c.reportedAt), 'case-reported'],
    ['step', c.case?.step ? tOr(`command.step.${c.case.step}`, c.case.step) : '—', 'case-step'],
    ['deadline', c.case?.stepDueAt ? `${formatDateTime(c.case.stepDueAt)} (${cd.text})` : '—', 'case-deadline'],
    ['assignee', c.routing?.assigneeId ? `#${c.routing.assigneeId}` : '—', 'case-assignee'],
    ['description', c.description ?? '', 'case-description'],
    ['reporter', reporterFact(c.reporter), 'case-reporter'],
  ];
  const dl = el('dl', { class: 'gg-facts' });
  for (const [key, value, domId] of facts)
    dl.append(el('dt', {}, t(`command.case.${key}`)), el('dd', { id: domId }, value));

  const marks = el(
    'p',
    { class: 'board-marks' },
    isOverdue(c) ? el('span', { class: 'mark mark-overdue' }, t('command.board.overdueMark')) : null,
    c.case?.supervised ? el('span', { class: 'mark mark-supervised' }, t('command.board.supervisedMark')) : null,
    leaderMarks(c).some((s) => s.mark === 'open')
      ? el('span', { class: 'mark mark-supervised mark-leader' }, t('command.board.leaderMark'))
      : null,
  );
  // leaders' 督办 on the case, and for a coordinated case who holds it up (docs/workflow.md)
  const supervisions = el(
    'ul',
    { class: 'case-supervisions', id: 'case-supervisions' },
    ...leaderMarks(c).map((s) =>
      el(
        'li',
        { dataset: { mark: s.mark } },
        t('command.case.supervision', { reason: s.reason, due: formatDateTime(s.dueAt) }),
        ' ',
        el('span', { class: `mark mark-${s.mark}` }, t(`command.case.supervision.${s.mark}`)),
      ),
    ),
  );
  const held = holdUps(c);
  const holdUpList = (c.case?.subtasks ?? []).length
    ? el(
        'div',
        { id: 'case-holdups' },
        el('h3', {}, t('command.case.holdUps')),
        el(
          'ul',
          { class: 'case-holdups' },
          ...(held.length === 0
            ? [el('li', { class: 'gg-hint' }, t('command.case.noHoldUps'))]
            : held.map((h) =>
                el(
                  'li',
                  { class: h.overdue ? 'overdue' : '', dataset: { subtaskId: h.id, platform: h.platform } },
                  t('command.case.holdUp', {
                    platform: t(`app.platform.${h.platform}`),
                    assignee: h.assigneeId ? `#${h.assigneeId}` : t('command.subtask.nobody'),
                    state: t(`command.subtask.${h.state}`),
                    due: formatDateTime(h.dueAt),
                  }),
                  h.overdue ? el('span', { class: 'mark mark-overdue' }, t('command.case.holdUpOverdue')) : null,
                ),
              )),
        ),
      )
    : null;

  const problem = el('div', { id: 'case-problem', hidden: true });
  const conflictBox = el('div', { id: 'case-conflict', class: 'case-conflict', role: 'alert', hidden: true });
  if (conflict?.id === id) {
    const ok = el('button', { type: 'button', class: 'gg-button secondary' }, t('command.conflict.ok'));
    ok.addEventListener('click', () => {
      conflictBox.hidden = true;
    });
    conflictBox.append(
      el('strong', {}, t('command.conflict.title')),
      el('p', {}, t('command.conflict.text')),
      el('p', { class: 'gg-hint' }, conflict.error?.problem?.detail ?? ''),
      ok,
    );
    conflictBox.hidden = false;
  }
  // the last action's result stays shown when a live change re-renders the panel
  const done = el('p', { id: 'case-done', class: 'case-done', role: 'status' });
  if (lastDone?.id === id) {
    done.textContent = lastDone.text;
    done.dataset.status = lastDone.status;
  }
  const form = el('form', {
    id: 'case-action-form',
    class: 'gg-form case-action-form',
    hidden: true,
    noValidate: true,
  });
  const actions = el('div', { class: 'case-actions', id: 'case-actions' });
  const buttons = actionButtons(allowed);
  if (allowed.readOnly) actions.append(el('p', { class: 'gg-hint' }, t('command.case.sentReadOnly')));
  else if (!allowed.inScope) actions.append(el('p', { class: 'gg-hint' }, t('command.case.outOfScope')));
  else if (buttons.length === 0) actions.append(el('p', { class: 'gg-hint' }, t('command.case.noActions')));
  if (allowed.pendingRequest)
    actions.append(
      el('p', { class: 'gg-hint', id: 'case-pending' }, t('command.case.pending', { kind: allowed.pendingRequest })),
    );
  for (const b of buttons) {
    const button = el(
      'button',
      { type: 'button', class: `case-action${b.primary ? ' primary' : ''}`, dataset: { action: b.action } },
      t(`command.action.${b.action}`),
    );
    button.addEventListener('click', () => (b.needsForm ? openForm(b) : send(b.action, {})));
    actions.append(button);
  }

  async function send(action, values) {
    const r = actionBody(action, allowed.version, values);
    if (r.missing) {
      showProblem(problem, {
        problem: { title: t('command.action.missing', { field: t(`command.field.${r.missing}`) }), detail: '' },
      });
      return;
    }
    for (const b of panel.querySelectorAll('button')) b.disabled = true;
    try {
      const after = await api(`/api/v1/incidents/${id}/actions`, { method: 'POST', body: r.body });
      const notice = {
        id,
        status: after.status,
        text: t('command.case.done', {
          action: t(`command.action.${action}`),
          status: t(`command.status.${after.status}`),
        }),
      };
      onChanged(after, notice);
      await renderCase(panel, id, { categories, gridNames, onChanged, onResponders, onBack, done: notice });
    } catch (err) {
      if (isStaleVersion(err)) {
        // someone changed the case meanwhile: nothing was done; show the case as it is now, keep the input
        await renderCase(panel, id, {
          categories,
          gridNames,
          onChanged,
          onResponders,
          onBack,
          done: lastDone,
          conflict: { id, error: err, action, values },
        }).catch((e) => {
          showProblem(problem, e);
        });
        return;
      }
      showProblem(problem, err);
      for (const b of panel.querySelectorAll('button')) b.disabled = false;
    }
  }

  function openForm(b, values = {}) {
    form.replaceChildren(el('h3', {}, t(`command.action.${b.action}`)));
    const inputs = {};
    for (const f of b.fields) {
      const label = el(
        'label',
        { htmlFor: `case-field-${f.name}` },
        t(`command.field.${f.name}`) + (f.required ? ' *' : ''),
      );
      let input;
      if (f.kind === 'text') input = el('textarea', { rows: 2, maxLength: 2000 });
      else if (f.kind === 'datetime') input = el('input', { type: 'datetime-local' });
      else if (f.kind === 'category')
        input = el(
          'select',
          {},
          ...[...categories.values()].map((cat) => new Option(categoryName(categories, cat.code), cat.code)),
        );
      else if (f.kind === 'number') input = el('input', { type: 'number', min: 1 });
      else if (f.kind === 'bool') input = el('input', { type: 'checkbox' });
      else if (f.kind === 'platform' || f.kind === 'choice') {
        const options = f.kind === 'platform' ? PLATFORMS : f.options;
        input = el(
          'select',
          {},
          ...(f.required ? [] : [new Option('—', '')]),
          ...options.map(
            (o) => new Option(f.kind === 'platform' ? t(`app.platform.${o}`) : tOr(`command.choice.${o}`, o), o),
          ),
        );
      } else if (f.kind === 'platforms') {
        input = el(
          'select',
          { multiple: true, size: 4 },
          ...PLATFORMS.map((o) => new Option(t(`app.platform.${o}`), o)),
        );
      }
      input.id = `case-field-${f.name}`;
      const v = values[f.name];
      if (v !== undefined && v !== null) {
        if (f.kind === 'bool') input.checked = !!v;
        else if (f.kind === 'platforms') for (const o of input.options) o.selected = v.includes(o.value);
        else input.value = v;
      }
      inputs[f.name] = { f, input };
      form.append(label, input);
    }
    const ok = el('button', { type: 'submit', id: 'case-action-send' }, t('command.action.send'));
    const cancel = el('button', { type: 'button', class: 'gg-button secondary' }, t('command.action.cancel'));
    cancel.addEventListener('click', () => {
      form.hidden = true;
    });
    form.append(el('div', { class: 'case-form-buttons' }, ok, cancel));
    form.onsubmit = (e) => {
      e.preventDefault();
      const values = {};
      for (const [name, { f, input }] of Object.entries(inputs)) {
        values[name] =
          f.kind === 'bool'
            ? input.checked
            : f.kind === 'platforms'
              ? [...input.selectedOptions].map((o) => o.value)
              : input.value;
      }
      send(b.action, values);
    };
    form.hidden = false;
    form.querySelector('input, textarea, select')?.focus();
  }

  const timeline = el(
    'ol',
    { class: 'case-timeline', id: 'case-timeline' },
    ...(events.events ?? []).map((e) =>
      el(
        'li',
        {},
        el('time', {}, formatDateTime(e.at)),
        el(
          'span',
          { class: 'tl-type' },
          tOr(`command.event.${e.type}`, tOr(`command.action.${e.type.toLowerCase().replaceAll('_', '-')}`, e.type)),
        ),
        e.toStatus && e.toStatus !== e.fromStatus
          ? el('span', { class: 'tl-status' }, `→ ${t(`command.status.${e.toStatus}`)}`)
          : null,
        e.actorRole ? el('span', { class: 'tl-actor' }, tOr(`app.role.${e.actorRole}`, e.actorRole)) : null,
        e.note ? el('div', { class: 'tl-note' }, e.note) : null,
        ...attributeLines(e.data).map((line) => el('div', { class: 'tl-attribute' }, line)),
      ),
    ),
  );

  const respondersList = el(
    'ul',
    { class: 'case-responders', id: 'case-responders' },
    el('li', { class: 'gg-hint' }, t('app.loading')),
  );
  if (conflict?.id === id) {
    const again = buttons.find((b) => b.action === conflict.action);
    if (again?.needsForm) openForm(again, conflict.values);
  }
  const back = el('button', { type: 'button', class: 'case-back', id: 'case-back' }, `← ${t('command.case.back')}`);
  back.addEventListener('click', onBack);
  panel.replaceChildren(
    back,
    el(
      'h2',
      { id: 'case-title', dataset: { incidentId: id, version: allowed.version } },
      t('command.case.title', { id }),
    ),
    conflictBox,
    marks,
    supervisions,
    dl,
    ...(holdUpList ? [holdUpList] : []),
    el('h3', {}, t('command.case.actions')),
    actions,
    form,
    problem,
    done,
    el('h3', {}, t('command.case.responders')),
    respondersList,
    el('h3', {}, t('media.photos')),
    casePhotos(id),
    el('h3', {}, t('command.case.timeline')),
    timeline,
  );
  panel.hidden = false;

  assigneeName(c.routing).then((name) => {
    if (name) panel.querySelector('#case-assignee').textContent = name;
  });
  api(`/api/v1/incidents/${id}/responders?limit=5`)
    .then((answer) => {
      onResponders(answer);
      const rs = answer.responders ?? [];
      respondersList.replaceChildren(
        ...(rs.length === 0
          ? [el('li', { class: 'gg-hint' }, t('command.case.noResponders'))]
          : rs.map((r) =>
              el(
                'li',
                {},
                el('strong', {}, r.name ?? `#${r.staffId}`),
                ' ',
                el('span', {}, r.platform ? t(`app.platform.${r.platform}`) : tOr(`app.role.${r.role}`, r.role)),
                ' ',
                el(
                  'span',
                  { class: 'gg-hint' },
                  t('command.case.minutes', {
                    min: Math.max(1, Math.round(r.travelSeconds / 60)),
                    m: Math.round(r.straightLineMetres),
                  }),
                ),
              ),
            )),
      );
    })
    .catch(() => {
      onResponders(null);
      respondersList.replaceChildren(el('li', { class: 'gg-hint' }, t('command.case.respondersDenied')));
    });
  return incident;
}
