// The test-only request headers worker-entry.ts reads (and removes) to pick the handler's configuration. A file of
// their own: a module worker may export nothing but handlers (workerd refuses to load one that exports a string).

/** `process` (the default): the factory's defaults, from process.env; `context`: the Worker's env, as on Cloudflare. */
export const SECRETS_HEADER = "x-edge-test-secrets";
/** JSON variables laid over the Worker's env (context form only): a contract case's own environment. */
export const ENV_HEADER = "x-edge-test-env";
