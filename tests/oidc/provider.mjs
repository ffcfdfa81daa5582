// A real OpenID provider (the npm package oidc-provider) for the tests, on 127.0.0.1.
//
//   node tests/oidc/provider.mjs CONFIG.json
//
// CONFIG.json: {"redirect_uris": [...], "users_file": "...", "sar_audience": "...", "port": 0}.
// Prints one JSON line {"issuer": "http://127.0.0.1:PORT"} when it is listening.
// Users are read from users_file at every sign-in, so a test decides their claims:
// {"login-name": {"email": "...", "staff_code": "...", "roles": [...], ...}}; names listed in
// "_id_token_only" are in the ID token but not in userinfo.
// The sign-in page asks only for a login name (the test is the only user); it grants
// every scope the client asked for.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const users = () => JSON.parse(readFileSync(config.users_file, 'utf8'));

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

const server = createServer();
server.listen(config.port || 0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'complex-cases',
        client_secret: 'complex-cases-secret',
        redirect_uris: config.redirect_uris,
        post_logout_redirect_uris: config.redirect_uris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      // HMPPS's subject access request service, and a service without its role.
      {
        client_id: 'hmpps-sar',
        client_secret: 'hmpps-sar-secret',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        authorities: ['ROLE_SAR_DATA_ACCESS'],
      },
      {
        client_id: 'other-service',
        client_secret: 'other-service-secret',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        authorities: ['ROLE_OTHER_THING'],
      },
    ],
    extraClientMetadata: { properties: ['authorities'] },
    jwks: { keys: [{ ...signingKey, kid: 'test-key-1', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['test-only-cookie-key'] },
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
      complexcases: ['staff_code', 'roles'],
    },
    scopes: ['openid', 'email', 'profile', 'complexcases', 'offline_access'],
    // The scopes' claims go in the ID token too (Entra ID's shape), not only in userinfo.
    conformIdTokenClaims: false,
    async findAccount(ctx, id) {
      const user = users()[id];
      if (!user) return undefined;
      // "_id_token_only": claims left out of userinfo, as Entra ID sends app roles.
      const { _id_token_only: idTokenOnly = [], ...claims } = user;
      return {
        accountId: id,
        claims: async (use) => {
          const released = { sub: id, ...claims };
          if (use === 'userinfo') idTokenOnly.forEach((name) => delete released[name]);
          return released;
        },
      };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Client-credentials tokens are JWTs for the service's API (HMPPS Auth's shape).
        defaultResource: (ctx) => (ctx.oidc.params.grant_type === 'client_credentials' ? config.sar_audience : undefined),
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'read',
          audience: config.sar_audience,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (ctx, token) => (token.kind === 'ClientCredentials'
      ? { authorities: ctx.oidc.client.authorities || [], client_id: ctx.oidc.client.clientId }
      : undefined),
    ttl: {
      IdToken: 600,
      AccessToken: 600,
      ClientCredentials: 600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    if (!match) {
      callback(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(`<!doctype html><html lang="en"><head><title>Test identity provider</title></head><body>
<h1>Test identity provider</h1>
<form method="post" action="/interaction/${details.uid}/login">
<label for="login">Login name</label> <input id="login" name="login" autocomplete="off">
<button type="submit">Continue</button></form></body></html>`);
        return;
      }
      let body = '';
      for await (const chunk of req) body += chunk;
      const login = new URLSearchParams(body).get('login') || '';
      if (!users()[login]) {
        await provider.interactionFinished(req, res, {
          error: 'access_denied', error_description: 'unknown login',
        }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      await provider.interactionFinished(req, res, {
        login: { accountId: login },
        consent: { grantId: await grant.save() },
      }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.statusCode = 400;
      res.end(String(error));
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
