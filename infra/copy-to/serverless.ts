// What a Serverless Framework v3 service needs besides the files: the serverless.yml entries to paste (the webhook
// function, with --deferred its SQS worker, the queue and the permission to send to it; the external-resource function)
// and a warning, naming the line, when the service's own runtime is older than what Lambda still deploys.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { CLAIMS_TABLE, type StoreEngine } from "./deduplication.ts";
import type { Project } from "./detect.ts";
import { PLAIN_PATH } from "./targets.ts";

/** The oldest Node.js runtime Lambda still creates and updates functions on (it stopped for nodejs20.x). */
const OLDEST_RUNTIME = 22;

// Serverless's own variable syntax in the lines below, not template placeholders.
const fromEnv = (name: string) => `${name}: \${env:${name}, ''}`;

/** Under `functions:`: the receiving function, and with --deferred the worker (two exports of the one file). */
export function webhookFunctions(module: string, deferred: boolean): string[] {
  return [
    "commercelayer-webhook:",
    `  handler: ${module}.handler`,
    "  events:",
    `    - httpApi: { method: POST, path: ${PLAIN_PATH} }`,
    "  environment:",
    `    ${fromEnv("COMMERCELAYER_WEBHOOK_SECRET")}`,
    ...(deferred
      ? [
          // Set in the shell, a local run sends to that queue; unset, the deployed function gets the queue's URL.
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a serverless.yml line, printed as it is
          "    COMMERCELAYER_WEBHOOK_QUEUE_URL: ${env:COMMERCELAYER_WEBHOOK_QUEUE_URL, self:custom.commercelayerWebhookQueueUrl}",
          "commercelayer-webhook-worker:",
          `  handler: ${module}.worker`,
          "  timeout: 30",
          "  events:",
          "    - sqs: { arn: !GetAtt CommercelayerWebhookQueue.Arn, batchSize: 10, functionResponseType: ReportBatchItemFailures }",
          "  environment:",
          `    ${fromEnv("COMMERCELAYER_WEBHOOK_SECRET")}`,
        ]
      : []),
  ];
}

/** Under `functions:`: one function for the kinds, a POST route and its secret variable for each. */
export function externalFunction(module: string, kinds: readonly ExternalKind[], base: string): string[] {
  const secrets = [...new Set(kinds.map((kind) => EXTERNAL_KINDS[kind].secretEnv))];
  return [
    "commercelayer-external:",
    `  handler: ${module}.handler`,
    "  events:",
    ...kinds.map((kind) => `    - httpApi: { method: POST, path: ${base}/${kind} }`),
    "  environment:",
    ...secrets.map((name) => `    ${fromEnv(name)}`),
  ];
}

/** At the top level, merged with what is there: the queue and its dead-letter queue, the claims table, the rights. */
export function topLevelEntries(deferred: boolean, store: StoreEngine | undefined): string[] {
  const dynamodb = store === "dynamodb";
  if (!(deferred || dynamodb)) return [];
  return [
    ...(deferred ? ["custom:", "  commercelayerWebhookQueueUrl: !Ref CommercelayerWebhookQueue"] : []),
    "provider:",
    "  iam:",
    "    role:",
    "      statements:",
    ...(deferred
      ? ["        - { Effect: Allow, Action: [sqs:SendMessage], Resource: !GetAtt CommercelayerWebhookQueue.Arn }"]
      : []),
    ...(dynamodb
      ? [
          "        - { Effect: Allow, Action: [dynamodb:PutItem, dynamodb:DeleteItem], Resource: !GetAtt CommercelayerWebhookClaimsTable.Arn }",
        ]
      : []),
    "resources:",
    "  Resources:",
    ...(deferred
      ? [
          "    CommercelayerWebhookQueue:",
          "      Type: AWS::SQS::Queue",
          "      Properties:",
          "        VisibilityTimeout: 180",
          "        RedrivePolicy: { deadLetterTargetArn: !GetAtt CommercelayerWebhookDeadLetterQueue.Arn, maxReceiveCount: 5 }",
          "    CommercelayerWebhookDeadLetterQueue:",
          "      Type: AWS::SQS::Queue",
          "      Properties: { MessageRetentionPeriod: 1209600 }",
        ]
      : []),
    ...(dynamodb
      ? [
          "    CommercelayerWebhookClaimsTable:",
          "      Type: AWS::DynamoDB::Table",
          "      Properties:",
          `        TableName: ${CLAIMS_TABLE}`,
          "        BillingMode: PAY_PER_REQUEST",
          "        AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }]",
          "        KeySchema: [{ AttributeName: pk, KeyType: HASH }]",
          "        TimeToLiveSpecification: { AttributeName: expiresAt, Enabled: true }",
        ]
      : []),
  ];
}

/**
 * What is wrong with the service's runtime for this receiver, one line each, naming the line to change: a runtime
 * older than nodejs22.x (Lambda no longer creates or updates functions on them), none at all (Serverless v3 then
 * deploys nodejs16.x), or a validation mode in which Serverless 3.40, whose schema predates nodejs22.x, refuses it.
 */
export function runtimeWarnings(project: Project): string[] {
  const file = project.serverlessFile;
  if (file === undefined) return [];
  const lines = readFileSync(join(project.dir, file), "utf8").split(/\r?\n/);
  const warnings: string[] = [];
  const provider = lines.findIndex((line) => /^provider:\s*(#.*)?$/.test(line));
  const validation = lines.findIndex((line) => /^configValidationMode:\s*["']?error\b/.test(line));
  if (validation >= 0)
    warnings.push(
      `${file}:${validation + 1}: configValidationMode: error makes Serverless 3.40 refuse nodejs22.x (its schema predates it): set it to warn`,
    );
  if (provider < 0) {
    warnings.push(
      `${file} has no \`provider:\` section: add one with \`name: aws\` and \`runtime: nodejs${OLDEST_RUNTIME}.x\``,
    );
    return warnings;
  }
  let runtimeLine = -1;
  for (let index = provider + 1; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (/^\S/.test(line)) break;
    // The provider's own key: the first indentation under it, not a function's or a nested map's.
    if (/^ {2}runtime:/.test(line) || /^\truntime:/.test(line)) {
      runtimeLine = index;
      break;
    }
  }
  if (runtimeLine < 0) {
    warnings.push(
      `${file}:${provider + 1}: provider sets no runtime, so Serverless v3 deploys nodejs16.x, which Lambda no longer deploys: add \`runtime: nodejs${OLDEST_RUNTIME}.x\` under \`provider:\``,
    );
    return warnings;
  }
  const value = /runtime:\s*["']?([^"'\s#]+)/.exec(lines[runtimeLine] ?? "")?.[1] ?? "";
  const major = /^nodejs(\d+)\.x$/.exec(value)?.[1];
  if (major === undefined)
    warnings.push(
      `${file}:${runtimeLine + 1}: provider.runtime is ${value}, not a Node.js runtime this command can read: the receiver needs nodejs${OLDEST_RUNTIME}.x or later`,
    );
  else if (Number(major) < OLDEST_RUNTIME)
    warnings.push(
      `${file}:${runtimeLine + 1}: provider.runtime is ${value}, on which Lambda no longer creates or updates functions: change that line to \`runtime: nodejs${OLDEST_RUNTIME}.x\``,
    );
  return warnings;
}
