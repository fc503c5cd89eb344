// The admin screen's modal dialogs (<dialog>, so focus stays inside and Esc closes): a yes/no
// question before disabling an account or resetting a password, and the one-time password,
// shown once with a copy button and a warning, and wiped from the page when closed.
import { t } from '../../i18n/i18n.js';
import { el } from '../../shared/dom.js';

export function createDialogs({ root }) {
  const confirmBox = el(
    'dialog',
    { className: 'admin-dialog admin-confirm', id: 'admin-confirm', 'aria-labelledby': 'admin-confirm-title' },
    el('h2', { id: 'admin-confirm-title' }),
    el('p', { id: 'admin-confirm-text' }),
    el(
      'div',
      { className: 'admin-dialog-buttons' },
      el('button', { type: 'button', className: 'admin-secondary', id: 'admin-confirm-cancel' }),
      el('button', { type: 'button', className: 'gg-button admin-danger', id: 'admin-confirm-ok' }),
    ),
  );

  const otpBox = el(
    'dialog',
    { className: 'admin-dialog admin-otp', id: 'admin-otp', 'aria-labelledby': 'admin-otp-title' },
    el('h2', { id: 'admin-otp-title' }),
    el('p', { id: 'admin-otp-who' }),
    el(
      'div',
      { className: 'admin-otp-box' },
      el('code', { id: 'admin-otp-value', className: 'admin-otp-value', lang: 'en', translate: false }),
      el('button', { type: 'button', className: 'gg-button', id: 'admin-otp-copy' }),
    ),
    el('p', { className: 'admin-otp-status', id: 'admin-otp-status', role: 'status' }),
    el(
      'div',
      { className: 'admin-warning', role: 'note' },
      el('strong', { id: 'admin-otp-warning' }),
      el('span', { id: 'admin-otp-warning-detail' }),
    ),
    el(
      'div',
      { className: 'admin-dialog-buttons' },
      el('button', { type: 'button', className: 'gg-button', id: 'admin-otp-done' }),
    ),
  );
  root.append(confirmBox, otpBox);
  const $ = (sel) => root.querySelector(sel);

  /** Asks; resolves true for ok, false for cancel or Esc. */
  function confirm({ title, text, ok }) {
    $('#admin-confirm-title').textContent = title;
    $('#admin-confirm-text').textContent = text;
    $('#admin-confirm-ok').textContent = ok;
    $('#admin-confirm-cancel').textContent = t('admin.confirm.cancel');
    return new Promise((resolve) => {
      const done = (answer) => {
        confirmBox.removeEventListener('close', onClose);
        if (confirmBox.open) confirmBox.close();
        resolve(answer);
      };
      const onClose = () => done(false);
      confirmBox.addEventListener('close', onClose);
      $('#admin-confirm-ok').onclick = () => done(true);
      $('#admin-confirm-cancel').onclick = () => done(false);
      confirmBox.showModal();
      $('#admin-confirm-cancel').focus(); // the safe answer is the default
    });
  }

  let copyReset = null;
  function wipe() {
    $('#admin-otp-value').textContent = '';
    $('#admin-otp-status').textContent = '';
  }
  otpBox.addEventListener('close', wipe);
  $('#admin-otp-done').addEventListener('click', () => otpBox.close());

  async function copy() {
    const value = $('#admin-otp-value').textContent;
    const status = $('#admin-otp-status');
    let copied;
    try {
      // needs a secure context (https or localhost); a phone on http://LAN-IP has none
      await navigator.clipboard.writeText(value);
      copied = true;
    } catch {
      // fall back to selecting the text and the old copy command
      const range = document.createRange();
      range.selectNodeContents($('#admin-otp-value'));
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      try {
        copied = document.execCommand('copy');
      } catch {
        copied = false;
      }
    }
    status.textContent = t(copied ? 'admin.otp.copied' : 'admin.otp.copyFailed');
    status.dataset.copied = String(copied);
    clearTimeout(copyReset);
    if (copied) copyReset = setTimeout(() => (status.textContent = ''), 4000);
  }
  $('#admin-otp-copy').addEventListener('click', copy);

  /** Shows an answer's oneTimePassword once (created: a new account, else a reset). */
  function oneTimePassword(account, { created }) {
    $('#admin-otp-title').textContent = t(created ? 'admin.otp.createdTitle' : 'admin.otp.resetTitle');
    $('#admin-otp-who').textContent = t('admin.otp.who', { name: account.name, username: account.username });
    $('#admin-otp-value').textContent = account.oneTimePassword;
    $('#admin-otp-copy').textContent = t('admin.otp.copy');
    $('#admin-otp-status').textContent = '';
    $('#admin-otp-warning').textContent = t('admin.otp.warning');
    $('#admin-otp-warning-detail').textContent = t('admin.otp.warningDetail');
    $('#admin-otp-done').textContent = t('admin.otp.done');
    otpBox.showModal();
    $('#admin-otp-copy').focus();
    return new Promise((resolve) => otpBox.addEventListener('close', () => resolve(), { once: true }));
  }

  return {
    confirm,
    oneTimePassword,
    dispose() {
      clearTimeout(copyReset);
      wipe();
      for (const d of [confirmBox, otpBox]) if (d.open) d.close();
    },
  };
}
