// The token endpoint (`POST /oauth/token`, client credentials) and the check of the bearer token on /api. Tokens are
// JWTs as Commerce Layer issues them: RS512 with a `kid`, a payload naming the organization, an integration
// application, `scope`, `exp`, `iat`, `test`, `rand` and `iss: https://auth.commercelayer.io` (the issuer the SDK
// derives its domain from). They are signed with a key of this stand-in, published at /.well-known/jwks.json, so
// js-auth's `jwtVerify` accepts them when its fetch is pointed here, and a token of another stand-in is refused.
import { createPublicKey, generateKeyPair, type KeyObject, randomBytes, sign, verify } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { promisify } from "node:util";
import { authErrorBody, fail } from "./errors.ts";

export interface TokenRequestRecord {
  readonly at: string;
  readonly grantType: string | undefined;
  readonly clientId: string | undefined;
  readonly scope: string | undefined;
  /** 200 when a token was issued. */
  readonly status: number;
}

export interface TokenAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface TokenIssuerOptions {
  readonly organizationSlug: string;
  readonly organizationId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly lifetimeSeconds: number;
  /** Commerce Layer's token endpoint takes 30 requests a minute; 0 takes any number. */
  readonly requestsPerMinute: number;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** The request's fields, from a JSON or a form body, and client credentials from HTTP Basic when sent that way. */
function readTokenRequest(body: string, headers: IncomingHttpHeaders): Record<string, string> {
  let fields: Record<string, string> = {};
  const contentType = headers["content-type"] ?? "";
  try {
    if (contentType.includes("application/x-www-form-urlencoded")) {
      fields = Object.fromEntries(new URLSearchParams(body));
    } else if (body.trim() !== "") {
      fields = JSON.parse(body) as Record<string, string>;
    }
  } catch {
    return {};
  }
  const basic = /^Basic\s+(.+)$/i.exec(headers.authorization ?? "")?.[1];
  if (basic !== undefined) {
    const [clientId, ...secret] = Buffer.from(basic, "base64").toString("utf8").split(":");
    fields = { client_id: clientId ?? "", client_secret: secret.join(":"), ...fields };
  }
  return typeof fields === "object" && fields !== null ? fields : {};
}

export class TokenIssuer {
  /** Seconds a new token lives; the tests change it to have tokens expire. 0 issues tokens already expired. */
  lifetimeSeconds: number;
  readonly requests: TokenRequestRecord[] = [];
  private readonly recent: number[] = [];
  private readonly revoked = new Set<string>();
  private readonly issued = new Set<string>();
  private readonly kid: string;

  static async create(options: TokenIssuerOptions): Promise<TokenIssuer> {
    const { privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
    return new TokenIssuer(options, privateKey);
  }

  private constructor(
    private readonly options: TokenIssuerOptions,
    private readonly privateKey: KeyObject,
  ) {
    this.lifetimeSeconds = options.lifetimeSeconds;
    this.kid = randomBytes(32).toString("hex");
  }

  /** The public key as js-auth's `jwtVerify` fetches it. */
  jwks(): { keys: object[] } {
    const jwk = createPublicKey(this.privateKey).export({ format: "jwk" });
    return { keys: [{ ...jwk, kid: this.kid, alg: "RS512", use: "sig" }] };
  }

  issue(scope: string): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: "RS512", typ: "JWT", kid: this.kid };
    const payload = {
      organization: {
        id: this.options.organizationId,
        slug: this.options.organizationSlug,
        enterprise: false,
        region: "eu-west-1",
      },
      application: { id: "standInApp", client_id: this.options.clientId, kind: "integration", public: false },
      scope,
      exp: now + this.lifetimeSeconds,
      test: true,
      rand: Math.random(),
      iat: now,
      iss: "https://auth.commercelayer.io",
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const token = `${input}.${base64url(sign("sha512", Buffer.from(input), this.privateKey))}`;
    this.issued.add(token);
    return token;
  }

  handleTokenRequest(body: string, headers: IncomingHttpHeaders): TokenAnswer {
    const fields = readTokenRequest(body, headers);
    const answer = this.answerTokenRequest(fields);
    this.requests.push({
      at: new Date().toISOString(),
      grantType: fields.grant_type,
      clientId: fields.client_id,
      scope: fields.scope,
      status: answer.status,
    });
    return answer;
  }

  private answerTokenRequest(fields: Record<string, string>): TokenAnswer {
    const now = Date.now();
    while (this.recent.length > 0 && (this.recent[0] as number) <= now - 60_000) this.recent.shift();
    if (this.options.requestsPerMinute > 0 && this.recent.length >= this.options.requestsPerMinute) {
      const detail = `The token endpoint takes ${this.options.requestsPerMinute} requests a minute.`;
      return { status: 429, body: authErrorBody(429, "Too many requests", "TOO_MANY_REQUESTS", detail) };
    }
    this.recent.push(now);
    if (fields.grant_type !== "client_credentials") {
      const detail = "The authorization grant type is not supported by the authorization server.";
      return { status: 400, body: authErrorBody(400, "unsupported_grant_type", "BAD_REQUEST", detail) };
    }
    if (fields.client_id !== this.options.clientId || fields.client_secret !== this.options.clientSecret) {
      const detail =
        "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.";
      return { status: 401, body: authErrorBody(401, "invalid_client", "UNAUTHORIZED", detail) };
    }
    const scope = fields.scope ?? "market:all";
    return {
      status: 200,
      body: {
        access_token: this.issue(scope),
        token_type: "bearer",
        expires_in: this.lifetimeSeconds,
        scope,
        created_at: Math.floor(now / 1000),
      },
    };
  }

  /** `POST /oauth/revoke` (js-auth's `revoke`): the token stops working. */
  handleRevoke(body: string, headers: IncomingHttpHeaders): TokenAnswer {
    const token = readTokenRequest(body, headers).token;
    if (token !== undefined) this.revoked.add(token);
    return { status: 200, body: {} };
  }

  /** Every token issued so far stops working (a test of a client that gets a new one when refused). */
  revokeAll(): void {
    for (const token of this.issued) this.revoked.add(token);
  }

  /** Checks `Authorization: Bearer <token>` on /api; throws the API's 401 otherwise. */
  authorize(authorization: string | undefined): void {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (token === undefined) throw fail.invalidToken("The access token was not present in the request.");
    const [header, payload, signature] = token.split(".");
    if (header === undefined || payload === undefined || signature === undefined) throw fail.invalidToken();
    const signed = verify(
      "sha512",
      Buffer.from(`${header}.${payload}`),
      this.privateKey,
      Buffer.from(signature, "base64url"),
    );
    if (!signed || this.revoked.has(token)) throw fail.invalidToken();
    let claims: { exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown };
    } catch {
      throw fail.invalidToken();
    }
    if (typeof claims.exp !== "number" || claims.exp * 1000 <= Date.now()) {
      throw fail.invalidToken("The access token you provided has expired.");
    }
  }
}
