// The AWS hand-off for deferred handlers: the receiving function puts the delivery (exact body and signature) on an SQS
// queue and answers 200; the worker (sqs-worker.ts) verifies it again and runs the deferred handlers later.
//
// The function needs sqs:SendMessage on the queue, nothing else. @aws-sdk/client-sqs is in the Lambda Node.js runtime,
// so the bundles import it and do not contain it; they import it at the first hand-off, so that a function whose
// deliveries are all direct never loads the SDK (a cold start saved).
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { HandOff } from "../../webhooks/deferred.ts";
import { toQueuedDelivery } from "../queued-delivery.ts";

/** Where the deployed receiving function finds its queue (serverless.yml sets it). */
export const QUEUE_URL_ENV = "COMMERCELAYER_WEBHOOK_QUEUE_URL";

/**
 * Largest message sent, in UTF-8 bytes: SQS's classic limit, 256 KiB (serverless.yml sets the queue's
 * MaximumMessageSize to it). Commerce Layer deliveries are about 2–40 KB, so only an unusual one (an order with
 * hundreds of line items, included) comes near it; a larger one is refused here with a clear error, the delivery is
 * answered 500 and Commerce Layer retries it, and the log line says why, instead of SQS failing it less legibly.
 */
export const SQS_MAX_MESSAGE_BYTES = 256 * 1024;

export interface SqsHandOffOptions {
  /**
   * The queue's URL, or a function that reads it (called at every send: a missing URL then fails that delivery with a
   * clear 500 instead of crashing the function at import). Default: `COMMERCELAYER_WEBHOOK_QUEUE_URL`.
   */
  readonly queueUrl?: string | (() => string | undefined);
  /**
   * A client of your own (region, credentials, endpoint). Default: one client per hand-off, created at the first send
   * and reused by the warm instance, with short connection and socket timeouts.
   */
  readonly client?: SQSClient;
  /** Longest a send may take, SDK retries included, before it rejects (the delivery is then answered 500). Default 1500 ms. */
  readonly timeoutMs?: number;
}

/**
 * JSON with every non-ASCII character escaped (`\u00fc`): the same value once parsed, and a message SQS always takes.
 * SQS refuses bodies with some characters JSON.stringify leaves as they are (U+FFFE, U+FFFF), and so do emulators for
 * every character outside the BMP (emoji); real deliveries carry non-ASCII text (names, notes), rarely much of it.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function createSqsHandOff(options: SqsHandOffOptions = {}): HandOff {
  const { queueUrl = () => process.env[QUEUE_URL_ENV], timeoutMs = 1500 } = options;
  let client = options.client;
  return async (delivery) => {
    const url = typeof queueUrl === "function" ? queueUrl() : queueUrl;
    if (!url) throw new Error(`no SQS queue URL: set ${QUEUE_URL_ENV}`);
    const { SendMessageCommand, SQSClient } = await import("@aws-sdk/client-sqs");
    client ??= new SQSClient({
      requestHandler: { connectionTimeout: 500, requestTimeout: 1000, throwOnRequestTimeout: true },
    });
    const body = asciiJson(toQueuedDelivery(delivery));
    // ASCII only (asciiJson), so one byte a character: its length is its size in UTF-8.
    const bytes = body.length;
    if (bytes > SQS_MAX_MESSAGE_BYTES)
      throw new RangeError(`delivery too large for SQS: ${bytes} bytes queued, limit ${SQS_MAX_MESSAGE_BYTES}`);
    // Bounded: a slow or unreachable queue becomes a 500 (Commerce Layer retries) well inside its answer timeout
    // (shared/core/commerce-layer.ts), not a timeout.
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
  };
}
