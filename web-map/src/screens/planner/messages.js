import { defineMessages } from '../../i18n/i18n.js';

export default defineMessages('planner', {
  'zh-CN': { title: '网格规划' },
  en: { title: 'Grid planning' },
});
