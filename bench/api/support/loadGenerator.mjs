// The API benchmark's load generator, run as a process of its own so that it does not share an event loop
// (or a core's time slices with the same process) with the API it measures. It posts member.approved
// events for the members it is given, `batch` events per request, with autocannon, and prints autocannon's
// result as one line of JSON on stdout.
//
//   node bench/api/support/loadGenerator.mjs '{"url":...,"apiKey":...,"memberIds":[...],"batch":1,
//                                              "connections":16,"overallRate":null}'
import autocannon from 'autocannon';

const { url, apiKey, memberIds, batch, connections, overallRate } = JSON.parse(process.argv[2] ?? '{}');
const requests = Math.ceil(memberIds.length / batch);
let next = 0;

const event = (memberId) => ({ type: 'member.approved', id: `approve-${memberId}`, memberId });

const result = await autocannon({
  url: `${url}/v1/events`,
  method: 'POST',
  connections: Math.min(connections, requests),
  amount: requests,
  ...(overallRate ? { overallRate } : {}),
  timeout: 120,
  headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  requests: [
    {
      setupRequest: (request) => {
        const members = memberIds.slice(next, next + batch);
        next += batch;
        const body = batch === 1 ? event(members[0] ?? 'none') : members.map(event);
        return { ...request, body: JSON.stringify(body) };
      },
    },
  ],
});
process.stdout.write(`${JSON.stringify(result)}\n`);
