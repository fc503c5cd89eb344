import { defineMessages } from '../../i18n/i18n.js';

export default defineMessages('login', {
  'zh-CN': { title: '登录', username: '用户名', password: '密码', submit: '登录', hint: '演示账号密码均为 demo' },
  en: { title: 'Log in', username: 'Username', password: 'Password', submit: 'Log in', hint: 'Demo accounts use the password demo' },
});
