// Boot: styles, the shell (header, nav, language, user) and the hash router.
import 'ol/ol.css';
import './app/app.css';
import { startApp } from './app/shell.js';

startApp(document.getElementById('app'));
