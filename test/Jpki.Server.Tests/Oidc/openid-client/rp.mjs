// A minimal relying party on openid-client, for OidcOpenIdClientBrowserTests: node rp.mjs <issuer> <client_id> <secret> <port>
// GET /login → authorization request (PKCE S256, state, nonce); GET /callback → code exchange, ID token checks
// (signature against the JWKS, iss, aud, exp, nonce), userinfo; the result page shows what openid-client accepted.
import * as client from 'openid-client';
import http from 'node:http';

const [issuer, clientId, clientSecret, port] = process.argv.slice(2);
const redirectUri = `http://127.0.0.1:${port}/callback`;
const config = await client.discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(clientSecret), {
  execute: [client.allowInsecureRequests], // the test issuer is http on loopback
});
client.enableNonRepudiationChecks(config); // validate the ID token's JWS signature with the provider's JWKS
const pending = new Map();

const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const page = (res, status, id, text) => {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><html><body><pre id="${id}">${escape(text)}</pre></body></html>`);
};

http.createServer(async (req, res) => {
  const url = new URL(req.url, redirectUri);
  try {
    if (url.pathname === '/login') {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      pending.set(state, { verifier, nonce });
      const target = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri, scope: url.searchParams.get('scope') ?? 'openid',
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce,
      });
      res.writeHead(302, { Location: target.href });
      res.end();
      return;
    }
    if (url.pathname === '/callback') {
      const state = url.searchParams.get('state');
      const expected = pending.get(state);
      pending.delete(state);
      if (!expected) {
        page(res, 400, 'error', 'unknown state ' + url.search);
        return;
      }
      const tokens = await client.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: expected.verifier, expectedState: state, expectedNonce: expected.nonce, idTokenExpected: true,
      });
      const claims = tokens.claims();
      const header = JSON.parse(Buffer.from(tokens.id_token.split('.')[0], 'base64url').toString());
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      page(res, 200, 'result', JSON.stringify({ alg: header.alg, kid: header.kid, claims, userinfo }));
      return;
    }
    page(res, 404, 'error', 'not found');
  } catch (e) {
    page(res, 500, 'error', `${e.name}: ${e.message} ${e.code ?? ''} ${e.error ?? ''} ${e.error_description ?? ''}`);
  }
}).listen(Number(port), '127.0.0.1', () => console.log('listening'));
