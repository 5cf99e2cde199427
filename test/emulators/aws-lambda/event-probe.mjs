// Test-only Lambda handler for serverless.offline.yml: answers with the event and context it was given, so that the
// suite can record how serverless-offline builds events (body encoding, header names) next to what AWS does.
export const handler = async (event, context) => ({
  statusCode: 200,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: JSON.stringify({
    event,
    context: {
      functionName: context.functionName,
      memoryLimitInMB: context.memoryLimitInMB,
      remainingTimeInMillis: context.getRemainingTimeInMillis(),
    },
  }),
});
