// The panel's message boxes (notice, problem, the edit-conflict box) and the guard every action
// runs in, so that no failure is lost.
import { t, tOr } from '../../i18n/i18n.js';
import { el } from '../../shared/dom.js';
import { showProblem } from '../../app/problem.js';

export function createUi({ $ }) {
  function notice(text) {
    const n = $('#planner-notice');
    n.textContent = text ?? '';
    n.hidden = !text;
  }

  /** Shows a failure (a ProblemError or a made-up {problem}) in the panel; null clears it. */
  function problem(error) {
    showProblem($('#planner-problem'), error);
  }

  /** Runs an action; a failure is shown with the server's problem, never lost. */
  async function guarded(fn) {
    problem(null);
    try {
      await fn();
    } catch (err) {
      if (err?.name === 'AbortError') return;
      problem(err);
    }
  }

  function showConflict(err) {
    const box = $('#planner-conflict');
    box.replaceChildren(
      el('strong', {}, t('planner.conflict.title')),
      el('p', {}, t('planner.conflict.text')),
      el('p', { className: 'gg-hint' }, err.problem?.detail ?? ''),
      el('button', { type: 'button', on: { click: hideConflict } }, t('planner.conflict.ok')),
    );
    box.hidden = false;
    box.scrollIntoView?.({ block: 'nearest' });
  }

  function hideConflict() {
    $('#planner-conflict').hidden = true;
  }

  // server-named kinds (ops, problem types) that this screen may not know yet show as they come
  const tk = (prefix, name) => tOr(`${prefix}.${name}`, name);

  return { notice, problem, guarded, showConflict, hideConflict, tk };
}
