import { buildHttpHandler, type HttpResponse } from '../../_platform/http-handler';
import { preferencesDeps } from '../adapters/deps';
import { recipientOfUnsubscribeToken, unsubscribe } from '../domain/preferences';
import { unsubscribePageRoute } from '../routes';

const deps = preferencesDeps();

const page = (title: string, content: string): HttpResponse => ({
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  text: `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;max-width:560px;margin:3em auto"><h1>${title}</h1>${content}</body></html>`,
});

/**
 * GET /v1/unsubscribe/{token}: a page with one button (a GET changes nothing: mail scanners prefetch links);
 * POST /v1/unsubscribe/{token}: RFC 8058 one-click (the mailbox provider's `List-Unsubscribe=One-Click`) or that
 * button; marketing is switched off for the token's recipient, no login. Both routes share the token check.
 */
export const handler = buildHttpHandler(unsubscribePageRoute, async ({ params }, _context, event) => {
  if (event.httpMethod === 'POST') {
    await unsubscribe(deps, params.token);
    return page('You are unsubscribed', '<p>You will get no more offers from us. Order and account messages still reach you.</p>');
  }
  await recipientOfUnsubscribeToken(deps, params.token);
  return page('Unsubscribe from offers?', '<form method="post"><button type="submit">Unsubscribe</button></form>');
});
