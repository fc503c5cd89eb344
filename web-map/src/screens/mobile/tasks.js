// My tasks (GET /api/v1/tasks?assignee=me&state=OPEN, issue #18's tasks): each with its check
// items answered on the phone — yes/no, number, text, photos — and completed through the outbox:
// each photo (POST /api/v1/tasks/{id}/photos) before the completion that names it. A server
// without tasks (404) gets a sentence, not an error.
import { el } from '../../shared/dom.js';
import { api } from '../../api/client.js';
import { t, formatDateTime } from '../../i18n/i18n.js';
import { openTasks, checkAnswers } from './logic.js';
import { button, message, photoPicker } from './ui.js';
import { KIND } from './requests.js';

async function loadTasks(outbox) {
  try {
    const answer = await api('/api/v1/tasks?assignee=me&state=OPEN');
    await outbox.queue.cachePut('tasks', answer);
    return { tasks: openTasks(answer, await outbox.queue.all()) };
  } catch (e) {
    if (e.status === 404) return { unavailable: true, tasks: [] };
    if (e.status !== 0) throw e;
    return { tasks: openTasks(await outbox.queue.cacheGet('tasks'), await outbox.queue.all()), offline: true };
  }
}

function checkInput(c) {
  const id = `m-check-${c.key}`;
  const label = el('label', { htmlFor: id }, c.label, c.required ? ` (${t('m.task.required')})` : '');
  let input;
  if (c.type === 'YES_NO') {
    input = el(
      'select',
      { id, class: 'm-input' },
      new Option('', ''),
      new Option(t('m.task.yes'), 'true'),
      new Option(t('m.task.no'), 'false'),
    );
  } else if (c.type === 'NUMBER') input = el('input', { id, class: 'm-input', inputMode: 'decimal' });
  else if (c.type === 'TEXT') input = el('input', { id, class: 'm-input' });
  const picker = c.type === 'PHOTO' || c.photoRequired ? photoPicker(`m-check-photo-${c.key}`, 'm.task.photo') : null;
  const error = el('p', { class: 'm-error', id: `${id}-error` });
  return {
    c,
    input,
    picker,
    error,
    element: el('div', { class: 'm-check' }, label, input ?? '', picker?.element ?? '', error),
  };
}

function taskForm(task, ctx, done) {
  const checks = (task.checks ?? []).map(checkInput);
  const note = el('textarea', { id: 'm-task-note', rows: 2, placeholder: t('m.task.note') });
  const submit = async () => {
    const values = Object.fromEntries(checks.filter((x) => x.input).map((x) => [x.c.key, x.input.value]));
    const photos = Object.fromEntries(checks.filter((x) => x.picker).map((x) => [x.c.key, x.picker.count()]));
    const { errors, answers } = checkAnswers(task, values, photos);
    for (const x of checks) {
      const e = errors.find((y) => y.check === x.c.key);
      x.error.textContent = e ? t(e.key) : '';
    }
    if (errors.length) return;
    const withPhotos = [];
    for (const a of answers) {
      const x = checks.find((y) => y.c.key === a.check);
      const photoKeys = [];
      for (const photo of x.picker ? await x.picker.photos() : []) {
        const item = await ctx.outbox.enqueue({ kind: KIND.TASK_PHOTO, taskId: task.id, check: a.check, photo });
        photoKeys.push(item.key);
      }
      withPhotos.push({ ...a, photoKeys });
    }
    await ctx.outbox.enqueue({
      kind: KIND.TASK_COMPLETE,
      taskId: task.id,
      expectedVersion: task.version,
      answers: withPhotos,
      note: note.value.trim() || undefined,
    });
    done();
  };
  return el(
    'div',
    { class: 'm-form', id: `m-task-form-${task.id}` },
    ...checks.map((x) => x.element),
    note,
    button('m-task-complete', 'm.task.complete', submit),
  );
}

export async function renderTasks(view, ctx) {
  view.replaceChildren(message('m-tasks-loading', t('app.loading')));
  const { tasks, unavailable, offline } = await loadTasks(ctx.outbox);
  if (unavailable) {
    view.replaceChildren(el('h2', {}, t('m.tasks.title')), message('m-tasks-unavailable', t('m.tasks.unavailable')));
    return;
  }
  const status = el('div', { id: 'm-task-status', role: 'status' });
  const items = tasks.map((task) => {
    const slot = el('div');
    const head = el(
      'button',
      {
        type: 'button',
        class: 'm-case-open',
        on: {
          click: () =>
            slot.replaceChildren(
              slot.firstChild
                ? ''
                : taskForm(task, ctx, () => {
                    slot.closest('li')?.remove(); // completed (or queued): no longer mine to do
                    status.replaceChildren(message('m-task-queued', t('m.task.queued')));
                  }),
            ),
        },
      },
      el(
        'span',
        { class: 'm-case-top' },
        el('strong', {}, t(`m.task.kind.${task.kind}`)),
        el('span', {}, task.target?.name ?? ''),
      ),
      el('span', { class: 'm-case-text' }, task.title ?? ''),
      el('span', { class: 'm-case-due' }, t('m.tasks.due', { at: formatDateTime(task.dueAt) })),
    );
    return el('li', { class: 'm-case', dataset: { id: task.id } }, head, slot);
  });
  view.replaceChildren(
    el('h2', {}, t('m.tasks.title')),
    offline ? message('m-tasks-offline', t('m.offline'), 'm-note m-warn') : '',
    status,
    items.length ? el('ul', { class: 'm-list' }, ...items) : el('p', { class: 'm-empty' }, t('m.tasks.none')),
  );
}
