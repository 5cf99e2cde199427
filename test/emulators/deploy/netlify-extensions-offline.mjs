// Preloaded into netlify-cli by test/emulators/deploy/netlify.test.ts (NODE_OPTIONS=--import): answers its one call to
// Netlify's extensions host (api.netlifysdk.com, which NETLIFY_API_URL does not move) with "no extensions installed",
// so that with NETLIFY_API_URL pointing at a local stand-in of Netlify's API the CLI resolves the site online and its
// env commands run. Without it, the failed call makes the CLI fall back to an offline config with no site, and every
// env command says "No project id found" (with exit code 0). Every other request goes out as it would.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  if (url.hostname !== "api.netlifysdk.com") return realFetch(input, init);
  return Promise.resolve(new Response("[]", { status: 200, headers: { "content-type": "application/json" } }));
};
