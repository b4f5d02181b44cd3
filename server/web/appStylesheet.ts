/**
 * The platform's one stylesheet, served as /static/app.css so the CSP can stay at style-src 'self' without
 * inline styles.
 */
import type { RequestHandler } from 'express';

const APP_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 "PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;color:#1f2329;background:#f5f6f8}
a{color:#c8102e}
.topbar{display:flex;align-items:center;gap:24px;padding:0 20px;height:48px;background:#fff;border-bottom:3px solid #c8102e}
.topbar .brand{font-weight:600;color:#1f2329;text-decoration:none}
.topbar nav{display:flex;gap:16px;flex:1}
.topbar nav a{text-decoration:none;color:#4e5969;padding:12px 0}
.topbar nav a.active{color:#c8102e;border-bottom:2px solid #c8102e}
.topbar .account{display:flex;align-items:center;gap:16px;color:#4e5969}
.topbar .roles{font-size:12px;color:#86909c}
.topbar form.logout{margin:0}
main{padding:20px;max-width:1280px;margin:0 auto}
table{border-collapse:collapse;background:#fff;width:100%}
th,td{border-bottom:1px solid #e5e6eb;padding:6px 10px;text-align:left;vertical-align:top}
th{background:#f2f3f5;font-weight:600}
form.card,.card{background:#fff;border:1px solid #e5e6eb;border-radius:6px;padding:16px 20px;margin:0 0 16px}
form.narrow{max-width:420px}
label{display:block;margin:10px 0 4px;font-weight:500}
input[type=text],input[type=password],input[type=email],select,textarea{width:100%;padding:6px 8px;border:1px solid #c9cdd4;border-radius:4px;font:inherit}
fieldset{border:1px solid #e5e6eb;border-radius:4px;margin:10px 0}
fieldset label{display:inline-block;font-weight:normal;margin:2px 12px 2px 0}
button{padding:6px 14px;border:1px solid #c8102e;background:#c8102e;color:#fff;border-radius:4px;font:inherit;cursor:pointer}
button.secondary{background:#fff;color:#c8102e}
.field-error{color:#c8102e;font-size:13px;margin:2px 0 0}
.invalid{border-color:#c8102e!important}
.notice{padding:8px 12px;border-radius:4px;margin:0 0 16px;background:#e8f3ff;border:1px solid #bedaff}
.error{padding:8px 12px;border-radius:4px;margin:0 0 16px;background:#ffece8;border:1px solid #fdcdc5;color:#a1151e}
.hint{color:#86909c;font-size:12px}
.inline{display:inline;margin:0}
pre{white-space:pre-wrap;background:#fff;padding:8px;border:1px solid #e5e6eb}
`;

export const serveAppStylesheet: RequestHandler = (_request, response) => {
  response.type('css').set('Cache-Control', 'public, max-age=300').send(APP_CSS);
};
