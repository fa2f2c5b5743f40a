// The peer of the MLLP benchmark: @medplum/hl7's own MLLP server doing nothing but parse each
// message and answer its ACK (Hl7Message.buildAck), so that bench/mllp_load can drive it exactly as
// it drives `caredesk serve --mllp`. Uses the copy of @medplum/hl7 that tests/http installs.
//   node bench/peers/medplum-mllp-ack.mjs PORT
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const modules = path.join(root, 'tests/http/node_modules/@medplum/hl7/dist/esm/index.mjs');
const { Hl7Server } = await import(pathToFileURL(modules).href);

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node bench/peers/medplum-mllp-ack.mjs PORT (run npm ci in tests/http first)');
  process.exit(2);
}
const server = new Hl7Server((connection) => {
  connection.addEventListener('message', ({ message }) => connection.send(message.buildAck()));
});
await server.start(port);
console.log(`medplum MLLP ACK server on ${port}`);
