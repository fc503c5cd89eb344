// What waits on the phone, in the order it will be sent, and what the server refused or someone
// did first; a button to try again at once.
import { el } from '../../shared/dom.js';
import { t } from '../../i18n/i18n.js';
import { button, describeItem, describeProblem, message } from './ui.js';

export async function renderQueue(view, ctx) {
  async function draw(state = ctx.outbox.state()) {
    const items = await ctx.outbox.queue.all();
    view.replaceChildren(
      el('h2', {}, t('m.queue.title')),
      message(
        'm-queue-summary',
        state.stopped === 'login'
          ? t('m.queue.login')
          : items.length
            ? t('m.queue.waiting', { n: items.length })
            : t('m.queue.synced'),
      ),
      el(
        'ol',
        { class: 'm-list', id: 'm-queue-list' },
        ...items.map((i) => el('li', { class: 'm-queued' }, describeItem(i))),
      ),
      state.problems.length
        ? el(
            'section',
            { class: 'm-section' },
            el('h2', {}, t('m.queue.problems')),
            el('ul', {}, ...state.problems.map((p) => el('li', {}, describeProblem(p)))),
          )
        : '',
      button('m-queue-retry', 'm.queue.retry', () => ctx.outbox.run()),
    );
  }
  return ctx.outbox.subscribe((s) => draw(s));
}
