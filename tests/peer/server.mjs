// The standard alternative to Innom's sync server, for `cargo xtask bench
// --peer`: one automerge-repo Repo with the WebSocket server adapter and
// NodeFS storage, as its documentation sets it up.
//
//   node server.mjs <storage folder>
//
// Prints `listening <port>` once it accepts connections, then one line
// `saved <document id> <head,…>` after each write of a document to
// storage, so the load generator can time each change to its storage
// write. (automerge-repo writes without fsync, at most every 100 ms per
// document.)
import * as A from "@automerge/automerge";
import { Repo } from "@automerge/automerge-repo";
import { NodeWSServerAdapter } from "@automerge/automerge-repo-network-websocket";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";
import { WebSocketServer } from "ws";

const folder = process.argv[2];
if (!folder) {
  console.error("usage: node server.mjs <storage folder>");
  process.exit(2);
}
const sockets = new WebSocketServer({ host: "127.0.0.1", port: 0 });
const repo = new Repo({
  network: [new NodeWSServerAdapter(sockets)],
  storage: new NodeFSStorageAdapter(folder),
  // A sync server keeps every document it is sent and shares none unasked.
  sharePolicy: async () => false,
});

// Report each completed storage write of a document with the heads it held.
const storage = repo.storageSubsystem;
const saveDoc = storage.saveDoc.bind(storage);
storage.saveDoc = async (documentId, doc) => {
  const heads = A.getHeads(doc);
  await saveDoc(documentId, doc);
  process.stdout.write(`saved ${documentId} ${heads.join(",")}\n`);
};

sockets.on("listening", () => process.stdout.write(`listening ${sockets.address().port}\n`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
