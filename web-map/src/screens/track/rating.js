// The rating form of a handled case: a score 1–5, a comment, "not solved". It checks what the
// server would refuse before sending (the server still decides) and calls send(body fields).
import { el } from '../../shared/dom.js';
import { t } from '../../i18n/i18n.js';
import { validateRating, MAX_COMMENT } from './logic.js';

export function ratingForm(send) {
  const scores = [1, 2, 3, 4, 5].map((n) =>
    el(
      'label',
      { class: 'track-score' },
      el('input', { type: 'radio', name: 'track-satisfaction', value: String(n), id: `track-score-${n}` }),
      ` ${t('track.rate.score', { n })}`,
    ),
  );
  const comment = el('textarea', { id: 'track-comment', rows: 3, maxLength: MAX_COMMENT });
  const notSolved = el('input', { type: 'checkbox', id: 'track-not-solved' });
  const error = el('p', { class: 'track-error', id: 'track-rate-error', role: 'status' });
  const button = el('button', { type: 'submit', id: 'track-rate-submit' }, t('track.rate.submit'));
  const form = el(
    'form',
    { class: 'gg-form track-rate', id: 'track-rate-form', novalidate: true },
    el('h2', {}, t('track.rate')),
    el('p', { class: 'gg-hint' }, t('track.rate.hint')),
    el('div', { class: 'track-scores' }, ...scores),
    el('label', { htmlFor: 'track-comment' }, t('track.rate.comment')),
    comment,
    el('label', { class: 'track-not-solved' }, notSolved, ` ${t('track.rate.notSolved')}`),
    error,
    button,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const fields = {
      satisfaction: form.querySelector('input[name=track-satisfaction]:checked')?.value,
      comment: comment.value,
      notSolved: notSolved.checked,
    };
    const bad = validateRating(fields);
    error.textContent = bad ? t(bad.key, bad.params) : '';
    if (bad) return;
    button.disabled = true;
    try {
      await send(fields);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
