import type { StoredEmail } from './ses';

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const frame = (title: string, content: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title>` +
  '<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}' +
  'pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}iframe{width:100%;height:420px;border:1px solid #ccc}</style></head>' +
  `<body>${content}</body></html>`;

/** The local mailbox: every e-mail SES was asked to send, newest first (read-only). */
export const mailboxPage = (messages: readonly StoredEmail[]): string =>
  frame('Local mailbox', `<h1>Local mailbox</h1><p>${messages.length} message(s) sent through the local SES. <a href="/_mailbox/messages">JSON</a></p>` +
    '<table><tr><th>When</th><th>To</th><th>Subject</th></tr>' +
    [...messages].reverse().map((m) => `<tr><td>${escape(m.at)}</td><td>${escape(m.to.join(', '))}</td>` +
      `<td><a href="/_mailbox/messages/${encodeURIComponent(m.messageId)}">${escape(m.subject)}</a></td></tr>`).join('') +
    '</table>');

/** One e-mail: headers (List-Unsubscribe …), the text part and the HTML part (sandboxed, no scripts). */
export const messagePage = (m: StoredEmail): string =>
  frame(m.subject, `<p><a href="/_mailbox">← mailbox</a></p><h1>${escape(m.subject)}</h1>` +
    `<table><tr><th>From</th><td>${escape(m.from)}</td></tr><tr><th>To</th><td>${escape(m.to.join(', '))}</td></tr>` +
    `<tr><th>Message id</th><td>${escape(m.messageId)}</td></tr>` +
    m.headers.map((h) => `<tr><th>${escape(h.name)}</th><td>${escape(h.value)}</td></tr>`).join('') + '</table>' +
    (m.html ? `<h2>HTML</h2><iframe sandbox srcdoc="${escape(m.html)}"></iframe>` : '') +
    (m.text ? `<h2>Text</h2><pre>${escape(m.text)}</pre>` : ''));
