// Runs the Commerce Layer stand-in by hand: `npx tsx test/support/commercelayer-api/main.ts [--port N]
// [--organization SLUG]`. It prints the four variables that point `npm run commercelayer` at it (the stand-in's test
// credentials, nothing secret) and how to fire an event; it serves until Ctrl-C. The control routes are listed in
// control-routes.ts.
import { parseArgs } from "node:util";
import { startCommerceLayerStandIn } from "./stand-in.ts";

const { values } = parseArgs({
  options: { port: { type: "string", default: "0" }, organization: { type: "string" } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number, not ${values.port}`);
  process.exit(2);
}

const standIn = await startCommerceLayerStandIn({
  port,
  ...(values.organization === undefined ? {} : { organization: values.organization }),
});
const control = `${standIn.apiEndpoint}/_stand-in`;
console.log(`Commerce Layer stand-in listening on ${standIn.apiEndpoint} (organization ${standIn.organization.slug})

export COMMERCELAYER_API_ENDPOINT=${standIn.apiEndpoint}
export COMMERCELAYER_AUTH_ENDPOINT=${standIn.authEndpoint}
export COMMERCELAYER_CLIENT_ID=${standIn.clientId}
export COMMERCELAYER_CLIENT_SECRET=${standIn.clientSecret}

Fire an event to the webhooks of its topic (a resource's id, attributes and relationships are optional):
  curl -s ${control}/emit -H 'content-type: application/json' \\
    -d '{"topic":"orders.place","resource":{"id":"ordAbCdEfG","attributes":{"status":"placed"}}}'
Seed a resource to include: POST ${control}/seed {"type":"customers","id":"cusAbCdEfG","attributes":{...}}
See what happened: GET ${control}/webhooks, ${control}/deliveries, ${control}/requests
Ctrl-C stops it.`);

const stop = () => {
  void standIn.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
