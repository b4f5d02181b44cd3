/** The inbox pages' own styles (urgency colours, the form beside the case), inlined with the response's CSP nonce. */
const INBOX_CSS = `
.tabs{display:flex;gap:4px;margin:0 0 12px;border-bottom:1px solid #e5e6eb}
.tabs a{padding:8px 14px;text-decoration:none;color:#4e5969}
.tabs a.active{color:#c8102e;border-bottom:2px solid #c8102e}
.tabs .count{display:inline-block;min-width:20px;margin-left:4px;padding:0 6px;border-radius:10px;background:#f2f3f5;font-size:12px;text-align:center}
form.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:flex-end}
form.filters label{margin:0;font-weight:normal;font-size:12px}
form.filters input,form.filters select{width:auto}
.due-overdue{color:#c8102e;font-weight:600}
.due-soon{color:#d25f00;font-weight:600}
.due-later{color:inherit}
.legend span{margin-right:12px}
.pager{display:flex;gap:12px;align-items:center;margin:12px 0}
.task-layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px}
.task-actions form{display:inline-block;margin:0 8px 8px 0}
.task-actions select{width:auto}
dl.case{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}
dl.case dt{color:#86909c}
ol.history{padding-left:18px;margin:0}
`;

export function inboxHead(nonce: string): string {
  return `<style nonce="${nonce}">${INBOX_CSS}</style>`;
}
