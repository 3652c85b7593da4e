/*! OpenJpki card login client — origin-bound login with the My Number card (docs/login.md). No build step:
 *
 *   <script src="https://<jpki serve>/js/jpki-login.js"></script>
 *   const result = await JpkiLogin.run({
 *     nonceUrl: '/login/nonce',        // your server: POST → {"nonce": "..."} bound to this browser session
 *     tokenUrl: '/login/card',         // your server: POST the token → verifies it with LoginVerifier.VerifyTokenAsync
 *     helper: 'http://127.0.0.1:61001', // the citizen's jpki sign-helper (default)
 *     certificate: 'auth',             // 'auth' (4-digit PIN) or 'sign' (signature password, basic 4 info)
 *   });
 *
 * The helper shows this page's origin and asks the PIN on its own console; the page never sees the PIN. The token the
 * helper answers is {"format":"jpki-login:1","origin","nonce","certificate","algorithm":"RS256"|"ES384","signature"}; the
 * card signed SHA-256(SHA-256(origin) || SHA-256(nonce)) (RS256, today's RSA card), or with the next-generation card's
 * P-384 key SHA-384(SHA-384(origin) || SHA-384(nonce)) answering r||s (ES384). The page passes the token on unread:
 * only the server decides. Errors are JpkiLoginError with .code and a Japanese .message.
 */
(function (global) {
  'use strict';

  class JpkiLoginError extends Error {
    constructor(code, message) {
      super(message);
      this.name = 'JpkiLoginError';
      this.code = code;
    }
  }

  async function problem(response, fallbackCode) {
    let body = {};
    try { body = await response.json(); } catch (_) { /* not JSON */ }
    return new JpkiLoginError(body.code || fallbackCode, body.message || ('HTTP ' + response.status));
  }

  async function run(options) {
    const o = Object.assign({ helper: 'http://127.0.0.1:61001', certificate: 'auth' }, options || {});
    if (!o.nonceUrl || !o.tokenUrl) {
      throw new JpkiLoginError('usage', 'nonceUrl と tokenUrl を指定してください。');
    }

    const nonceResponse = await fetch(o.nonceUrl, {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: '{}',
    });
    if (!nonceResponse.ok) {
      throw await problem(nonceResponse, 'nonce-refused');
    }
    const { nonce } = await nonceResponse.json();

    let helperResponse;
    try {
      helperResponse = await fetch(String(o.helper).replace(/\/+$/, '') + '/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ nonce: nonce, certificate: o.certificate }),
      });
    } catch (_) {
      throw new JpkiLoginError('helper-unreachable',
        'ローカルヘルパー（jpki sign-helper）に接続できません。起動しているか、このサイトが --origin で許可されているか確認してください。');
    }
    if (!helperResponse.ok) {
      throw await problem(helperResponse, 'helper-refused');
    }
    const token = await helperResponse.text();

    const verify = await fetch(o.tokenUrl, {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: token,
    });
    if (!verify.ok) {
      throw await problem(verify, 'refused');
    }
    return verify.json();
  }

  global.JpkiLogin = Object.freeze({ run: run, JpkiLoginError: JpkiLoginError });
})(typeof window !== 'undefined' ? window : globalThis);
