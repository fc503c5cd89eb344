import { defineMessages } from '../../i18n/i18n.js';

export default defineMessages('command', {
  'zh-CN': { title: '指挥中心' },
  en: { title: 'Command centre' },
});
