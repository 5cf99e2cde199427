// Which Commerce Layer resource each kind of functions/external.ts serves: one entry per kind it implements, by id or
// by name. `npm run commercelayer` reads it (never a deployment): `apply` reads each resource's shared secret into
// .env under its kind's variable, and `enable --external-url <prefix>` points the resource's URL fields of that kind
// at `<prefix>/<kind>`, and no other field (docs/external-resources.md, "Deploying them with the template").
// `payment-gateway` attaches every payment-gateway/* kind you implement to one gateway. A kind you implement and do
// not attach here (nor with `--attach <kind>=<id>`) stops `plan`; so does a resource that does not exist.
//
// export const externalAttachments = defineExternalAttachments({
//   "tax-calculator": { name: "My tax service" },
//   "payment-gateway": { id: "AbCdEfGhIj" },
//   prices: [{ name: "Europe" }, { name: "USA" }],
// });
import { defineExternalAttachments } from "../shared/external/attachments.ts";

export const externalAttachments = defineExternalAttachments({});
