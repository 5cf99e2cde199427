// The SQS event Lambda's event source mapping hands a worker for messages it received from the queue: the one builder
// of SQS events, for the local receiver's queue poller and the suites that drive the worker bundle.
import type { Message } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";

/** `queueArn` names the queue in each record; the region is taken from it. */
export function sqsEvent(messages: readonly Message[], queueArn: string): SQSEvent {
  const region = queueArn.split(":")[3] || "us-east-1";
  const now = String(Date.now());
  return {
    Records: messages.map((message) => ({
      messageId: message.MessageId ?? "",
      receiptHandle: message.ReceiptHandle ?? "",
      body: message.Body ?? "",
      attributes: {
        ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? "1",
        SentTimestamp: message.Attributes?.SentTimestamp ?? now,
        SenderId: message.Attributes?.SenderId ?? "AIDAEXAMPLE",
        ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? now,
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? "",
      eventSource: "aws:sqs",
      eventSourceARN: queueArn,
      awsRegion: region,
    })),
  };
}

/** The ARN of a queue, from its URL (`http://host/<account>/<name>`), as the event source mapping names it. */
export function queueArnOf(queueUrl: string, region = "us-east-1"): string {
  const [account = "000000000000", name = ""] = new URL(queueUrl).pathname.split("/").filter(Boolean);
  return `arn:aws:sqs:${region}:${account}:${name}`;
}
