import { defineMessages } from '../../i18n/i18n.js';

export default defineMessages('login', {
  'zh-CN': {
    title: '登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    hint: '演示账号的密码在启动时打印，并保存在 .gridgov/secrets/demo-password',
  },
  en: {
    title: 'Log in',
    username: 'Username',
    password: 'Password',
    submit: 'Log in',
    hint: "The demo accounts' password is printed at start and kept in .gridgov/secrets/demo-password",
  },
});
