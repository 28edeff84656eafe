// Runs the built Lambda bundle like a warm Lambda: one process, events from stdin in order.
import { pathToFileURL } from 'node:url';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const events = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const { handler } = await import(pathToFileURL(process.argv[2]).href);
for (const event of events) {
  await handler(event, { getRemainingTimeInMillis: () => 60_000 });
}
