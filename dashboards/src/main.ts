import './styles.css';
import { startApp } from './app';
import { renderAlerts } from './pages/alerts/alerts';
import { renderLatency } from './pages/latency/latency';
import { renderLogin } from './pages/login';
import { renderOverview } from './pages/overview/overview';
import { renderSloDetail } from './pages/slo/detail';

startApp(
  [
    { title: 'SLO overview', pattern: /^\/$/, showRange: false, render: renderOverview },
    { title: 'SLO', pattern: /^\/slos\/(?<name>[^/]+)$/, showRange: true, render: renderSloDetail },
    { title: 'Latency', pattern: /^\/latency$/, showRange: true, render: renderLatency },
    { title: 'Alerts', pattern: /^\/alerts$/, showRange: false, render: renderAlerts },
  ],
  renderLogin,
);
